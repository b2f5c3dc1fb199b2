package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.TransferFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.Executable;

/**
 * The invariants every test of a download must leave true, checked after it: every future it made
 * is done, no temporary file ({@code name.xxxxxxxx}) is left beside a target or below a watched
 * directory, and no child JVM of a downloader it made is alive once that downloader is closed.
 *
 * <pre>{@code
 * @RegisterExtension static final TransferChecks checks = new TransferChecks();
 *
 * @BeforeAll static void start() { downloader = checks.track(ProcessPoolDownloader.builder()...build()); }
 * @BeforeEach void dir() { downloads = checks.watch(Files.createDirectories(...)); }
 * @Test void t() { TransferFuture f = checks.track(downloader.downloadFile(b, k, downloads.resolve("x"))); }
 * }</pre>
 *
 * <p>A downloader tracked during a test is closed and checked after that test; one tracked outside
 * a test (in {@code @BeforeAll}) is closed and checked after all tests of the class, which should
 * close it first themselves, in the order their servers need. Register the extension on a static
 * field, so that it sees both.
 */
final class TransferChecks implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  /** The submitter's temporary file: the target's name, a dot and 8 random characters. */
  private static final Pattern TEMP_SUFFIX = Pattern.compile("\\.[a-z0-9]{8}");

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<TransferFuture> futures = new CopyOnWriteArrayList<>();
  private final List<Path> directories = new CopyOnWriteArrayList<>();
  private final List<ProcessPoolDownloader> testDownloaders = new CopyOnWriteArrayList<>();
  private final List<ProcessPoolDownloader> classDownloaders = new CopyOnWriteArrayList<>();

  /** Children of the class-level downloaders, as seen after each test. */
  private final Set<ProcessHandle> classChildren = new LinkedHashSet<>();

  private volatile boolean inTest;

  /** Checks after this test that {@code future} is done and left no temporary file. */
  TransferFuture track(TransferFuture future) {
    futures.add(future);
    return future;
  }

  /**
   * Closes {@code downloader} after this test (or after all tests, when tracked outside one) and
   * checks that none of its child JVMs is alive.
   */
  ProcessPoolDownloader track(ProcessPoolDownloader downloader) {
    (inTest ? testDownloaders : classDownloaders).add(downloader);
    return downloader;
  }

  /** Checks after this test that no temporary file is left below {@code directory}. */
  Path watch(Path directory) {
    directories.add(directory);
    return directory;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    inTest = true;
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    inTest = false;
    List<TransferFuture> made = List.copyOf(futures);
    List<ProcessPoolDownloader> own = List.copyOf(testDownloaders);
    List<Path> watched = List.copyOf(directories);
    futures.clear();
    testDownloaders.clear();
    directories.clear();
    synchronized (classChildren) {
      classDownloaders.forEach(d -> classChildren.addAll(d.childProcesses()));
    }

    List<Executable> checks = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (TransferFuture future : made) {
      awaitQuietly(future, deadline);
      checks.add(
          () -> assertTrue(future.done(), () -> "not done after " + WAIT + ": " + of(future)));
    }
    for (ProcessPoolDownloader downloader : own) {
      checks.add(() -> assertClosesWithoutChildren(downloader, List.of()));
    }
    for (TransferFuture future : made) {
      checks.add(() -> assertNoTempFileBeside(future.meta().callArgs().filename()));
    }
    for (Path dir : watched) {
      checks.add(() -> assertNoTempFileBelow(dir));
    }
    assertAll("after the test", checks);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<ProcessPoolDownloader> own = List.copyOf(classDownloaders);
    classDownloaders.clear();
    List<ProcessHandle> seen;
    synchronized (classChildren) {
      seen = List.copyOf(classChildren);
      classChildren.clear();
    }
    List<Executable> checks = new ArrayList<>();
    for (ProcessPoolDownloader downloader : own) {
      checks.add(() -> assertClosesWithoutChildren(downloader, seen));
    }
    assertAll("after all tests", checks);
  }

  /**
   * Closes {@code downloader} (a no-op when closed already) within {@link #WAIT}, then asserts that
   * none of its children, nor of {@code alsoSeen}, is alive. Kills them if the close hangs.
   */
  private static void assertClosesWithoutChildren(
      ProcessPoolDownloader downloader, List<ProcessHandle> alsoSeen) throws InterruptedException {
    Set<ProcessHandle> children = new LinkedHashSet<>(alsoSeen);
    children.addAll(downloader.childProcesses());
    Thread closer = new Thread(downloader::close, "transfer-checks-close");
    closer.setDaemon(true);
    closer.start();
    closer.join(WAIT.toMillis());
    children.addAll(downloader.childProcesses());
    if (closer.isAlive()) {
      children.forEach(ProcessHandle::destroyForcibly);
      fail("close() still running after " + WAIT + "; killed its children " + pids(children));
    }
    List<Long> alive =
        children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    children.forEach(ProcessHandle::destroyForcibly); // a failed check leaves nothing behind
    assertEquals(List.of(), alive, "child JVMs alive after close()");
  }

  private static void assertNoTempFileBeside(Path target) {
    Path dir = target.getParent();
    Pattern temp =
        Pattern.compile(Pattern.quote(target.getFileName().toString()) + TEMP_SUFFIX.pattern());
    Set<String> left = new TreeSet<>();
    try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
      files
          .map(p -> p.getFileName().toString())
          .filter(name -> temp.matcher(name).matches())
          .forEach(left::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(Set.of(), left, "temporary files of " + target);
  }

  private static void assertNoTempFileBelow(Path dir) {
    Set<String> left = new TreeSet<>();
    for (String file : TestFiles.regularFiles(dir)) {
      String name = Path.of(file).getFileName().toString();
      int dot = name.lastIndexOf('.');
      if (dot > 0 && TEMP_SUFFIX.matcher(name.substring(dot)).matches()) {
        left.add(file);
      }
    }
    assertEquals(Set.of(), left, "temporary files below " + dir);
  }

  private static void awaitQuietly(TransferFuture future, long deadline)
      throws InterruptedException {
    try {
      future
          .completion()
          .handle((ok, failure) -> null)
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // reported by the done() check
    }
  }

  private static String of(TransferFuture future) {
    return future.meta().transferId() + " " + future.meta().callArgs();
  }

  private static List<Long> pids(Set<ProcessHandle> processes) {
    return processes.stream().map(ProcessHandle::pid).toList();
  }
}
