package dev.s3pool.it;

import static dev.s3pool.ProcessTransferConfig.MiB;
import static dev.s3pool.it.TestFiles.assertHoldsExactly;
import static dev.s3pool.it.TestFiles.assertSameContent;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferFuture;
import dev.s3pool.broker.ArtemisFleetFactory;
import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every S3-compatible server must get from s3pool, end to end: real child JVMs, a real server
 * over HTTP, real files. A subclass provides the server through the hooks below.
 *
 * <p>One downloader, with a small split configuration, serves the whole class so that its child
 * JVMs start once; the tests that stop a downloader, or need the default configuration, build their
 * own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DownloadContract {

  /** Small sizes with threshold != chunk size, so that a mix-up of the two shows. */
  static final ProcessTransferConfig SMALL =
      ProcessTransferConfig.builder()
          .multipartThreshold(96 * 1024)
          .multipartChunksize(40 * 1024)
          .maxRequestProcesses(4)
          .build();

  static final int WORKER_PROCESSES = 2;
  static final String BUCKET = "s3pool-it";
  static final long TIMEOUT_SECONDS = 60;
  static final String MISSING_KEY_MESSAGE =
      "An error occurred (NoSuchKey) when calling the GetObject operation:"
          + " The specified key does not exist.";

  /** Sources, downloads and server data of the whole class; removed after the last test. */
  private Path workDir;

  /** Remembers the shared downloader's fleet, whose broker password the children must not show. */
  private final AtomicReference<Fleet> sharedFleet = new AtomicReference<>();

  private ProcessPoolDownloader downloader;
  private Path downloads;

  /** Starts the server, which may keep its data below {@code dataDir}. */
  protected abstract void startServer(Path dataDir) throws Exception;

  /** Stops the server. */
  protected abstract void stopServer() throws Exception;

  /** How child JVMs reach the server; holds explicit credentials. */
  protected abstract S3ClientConfig clientConfig();

  protected abstract void createBucket(String bucket);

  protected abstract void putObject(String bucket, String key, Path file);

  /** HeadObject requests the server has answered so far, or empty when it cannot tell. */
  protected abstract OptionalLong headObjectCount();

  @BeforeAll
  void startServerAndDownloader(@TempDir Path classDir) throws Exception {
    workDir = classDir;
    startServer(workDir.resolve("server"));
    createBucket(BUCKET);
    FleetFactory recording =
        settings -> {
          Fleet fleet = new ArtemisFleetFactory().start(settings);
          sharedFleet.set(fleet);
          return fleet;
        };
    downloader =
        ProcessPoolDownloader.builder()
            .clientConfig(clientConfig())
            .config(SMALL)
            .workerProcesses(WORKER_PROCESSES)
            .fleetFactory(recording)
            .build();
  }

  @AfterAll
  void stopDownloaderAndServer() throws Exception {
    try {
      if (downloader != null) {
        downloader.close();
      }
    } finally {
      stopServer();
    }
  }

  @BeforeEach
  void freshDownloadDirectory(TestInfo test) throws IOException {
    downloads =
        Files.createDirectories(
            workDir.resolve("downloads").resolve(test.getTestMethod().orElseThrow().getName()));
  }

  @Test
  void download_emptyObject_isByteIdentical() throws Exception {
    assertDownloadsByteIdentical(downloader, "sizes/empty", 0);
  }

  @Test
  void download_oneByte_isByteIdentical() throws Exception {
    assertDownloadsByteIdentical(downloader, "sizes/one-byte", 1);
  }

  @Test
  void download_thresholdMinusOne_isByteIdentical() throws Exception {
    assertDownloadsByteIdentical(
        downloader, "sizes/threshold-minus-one", SMALL.multipartThreshold() - 1);
  }

  @Test
  void download_threshold_isByteIdentical() throws Exception {
    assertDownloadsByteIdentical(downloader, "sizes/threshold", SMALL.multipartThreshold());
  }

  @Test
  void download_thresholdPlusOne_isByteIdentical() throws Exception {
    assertDownloadsByteIdentical(
        downloader, "sizes/threshold-plus-one", SMALL.multipartThreshold() + 1);
  }

  @Test
  void download_threeChunksAndOddTail_isByteIdentical() throws Exception {
    long size = 3 * SMALL.multipartChunksize() + 4099;
    assertTrue(size >= SMALL.multipartThreshold(), "the object must be split: " + size);
    assertDownloadsByteIdentical(downloader, "sizes/three-chunks-and-tail", size);
  }

  @Test
  void download_over100MiBWithDefaultConfig_isByteIdentical() throws Exception {
    long size = 100 * MiB + 12_345;
    try (ProcessPoolDownloader defaults = newDownloader(ProcessTransferConfig.defaults())) {
      assertDownloadsByteIdentical(defaults, "sizes/over-100-mib", size);
    }
  }

  @Test
  void download_fiftyObjectsAtOnce_allByteIdentical() throws Exception {
    // 0 B to 147 KB: both sides of the threshold, so some are split and some are not.
    Map<String, Path> sources = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      String name = String.format("object-%02d.bin", i);
      sources.put(name, putRandomObject("fifty/" + name, i * 3001L));
    }
    Map<String, TransferFuture> futures = new LinkedHashMap<>();
    for (String name : sources.keySet()) {
      futures.put(name, downloader.downloadFile(BUCKET, "fifty/" + name, downloads.resolve(name)));
    }

    for (TransferFuture future : futures.values()) {
      awaitDone(future);
    }
    List<Executable> checks = new ArrayList<>();
    sources.forEach(
        (name, source) ->
            checks.add(
                () -> {
                  futures.get(name).result();
                  assertSameContent(source, downloads.resolve(name));
                }));
    assertAll(checks);
    assertHoldsExactly(downloads, sources.keySet());
  }

  @Test
  void download_withExpectedSize_sendsNoHeadObject() throws Exception {
    assertDownloadSendsNoHeadObject("expected-size/given", true);
  }

  @Test
  void download_withoutExpectedSize_sendsNoHeadObject_theFirstGetTellsTheSize() throws Exception {
    assertDownloadSendsNoHeadObject("expected-size/absent", false);
  }

  /** Downloads a 3-chunks-plus-one object, with or without its size, and counts HeadObjects. */
  private void assertDownloadSendsNoHeadObject(String key, boolean giveSize) throws Exception {
    long size = 3 * SMALL.multipartChunksize() + 1;
    Path source = putRandomObject(key, size);
    Path target = downloads.resolve(key.replace('/', '-') + ".bin");
    OptionalLong headsBefore = headObjectCount();

    TransferFuture future =
        downloader.downloadFile(BUCKET, key, target, Map.of(), giveSize ? size : null);
    awaitDone(future);

    future.result();
    assertSameContent(source, target);
    assumeTrue(headsBefore.isPresent(), "this server does not count HeadObject requests");
    assertEquals(headsBefore, headObjectCount(), "HeadObject requests");
  }

  @Test
  void download_missingKey_fails404() throws Exception {
    Path target = downloads.resolve("missing.bin");

    TransferFuture future = downloader.downloadFile(BUCKET, "no/such/key", target);
    awaitDone(future);

    S3TransferException e = assertThrows(S3TransferException.class, future::result);
    assertEquals(MISSING_KEY_MESSAGE, e.getMessage());
    assertEquals(404, e.statusCode());
    assertHoldsExactly(downloads, Set.of());
  }

  @Test
  void download_unknownExtraArg_throwsListingAllowedNames() {
    Path target = downloads.resolve("never.bin");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> downloader.downloadFile(BUCKET, "any", target, Map.of("Foo", "bar"), null));

    assertTrue(e.getMessage().contains("'Foo'"), e.getMessage());
    for (String allowed :
        List.of(
            "ChecksumMode",
            "VersionId",
            "SSECustomerAlgorithm",
            "SSECustomerKey",
            "SSECustomerKeyMD5",
            "RequestPayer",
            "ExpectedBucketOwner")) {
      assertTrue(
          e.getMessage().contains(allowed), () -> allowed + " missing in: " + e.getMessage());
    }
    assertHoldsExactly(downloads, Set.of());
  }

  @Test
  void childCommandLines_nameRole_andHoldNoSecret() throws Exception {
    // A download first: it starts the shared fleet, and proves the children got the explicit
    // credentials some other way.
    assertDownloadsByteIdentical(downloader, "command-lines/probe", 1000);
    String secretKey = clientConfig().credentials().orElseThrow().secretAccessKey();
    String brokerPassword =
        ((ActiveMQConnectionFactory) sharedFleet.get().connectionFactory()).getPassword();
    assertFalse(brokerPassword == null || brokerPassword.isBlank(), "broker password");

    Map<Long, List<String>> commandLines = new LinkedHashMap<>();
    for (ProcessHandle child : downloader.childProcesses()) {
      commandLines.put(child.pid(), commandLine(child.pid()));
    }

    Map<String, Long> roles =
        commandLines.values().stream()
            .map(DownloadContract::roleOf)
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertEquals(Map.of("submitter", 1L, "worker", (long) WORKER_PROCESSES), roles, "roles");
    commandLines.forEach(
        (pid, args) -> {
          String all = String.join(" ", args);
          assertFalse(all.contains(secretKey), "secret key on the command line of pid " + pid);
          assertFalse(
              all.contains(brokerPassword), "broker password on the command line of " + pid);
        });
  }

  @Test
  void close_leavesNoChildJvmAlive() throws Exception {
    Set<Long> descendantsBefore = descendantPids();
    List<ProcessHandle> children;
    List<ProcessHandle> descendantsStarted;
    try (ProcessPoolDownloader own = newDownloader(SMALL)) {
      assertDownloadsByteIdentical(own, "close/probe", 1000);
      children = own.childProcesses();
      descendantsStarted =
          ProcessHandle.current()
              .descendants()
              .filter(p -> !descendantsBefore.contains(p.pid()))
              .toList();
    }

    assertEquals(1 + WORKER_PROCESSES, children.size(), "submitter and workers: " + children);
    Set<Long> startedPids =
        descendantsStarted.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    for (ProcessHandle child : children) {
      assertTrue(startedPids.contains(child.pid()), "pid " + child.pid() + " is a descendant");
    }
    List<Executable> checks = new ArrayList<>();
    for (ProcessHandle process : descendantsStarted) {
      checks.add(() -> assertFalse(process.isAlive(), "pid " + process.pid() + " is alive"));
    }
    assertAll(checks);
  }

  @Test
  void result_afterClose_stillReportsSuccess() throws Exception {
    Path source = putRandomObject("after-close/object", SMALL.multipartThreshold() + 17);
    Path target = downloads.resolve("object.bin");
    TransferFuture future;
    try (ProcessPoolDownloader own = newDownloader(SMALL)) {
      future = own.downloadFile(BUCKET, "after-close/object", target);
    }

    assertNull(future.completion().get(TIMEOUT_SECONDS, SECONDS));
    assertTrue(future.done(), "done");
    assertDoesNotThrow(future::result);
    assertSameContent(source, target);
    assertHoldsExactly(downloads, Set.of("object.bin"));
  }

  /**
   * Uploads {@code sizeBytes} of generated content as {@code key}, downloads it with {@code
   * through}, and checks the file and that nothing else is left beside it.
   */
  private void assertDownloadsByteIdentical(
      ProcessPoolDownloader through, String key, long sizeBytes) throws Exception {
    Path source = putRandomObject(key, sizeBytes);
    String name = Path.of(key).getFileName() + ".bin";
    Path target = downloads.resolve(name);

    TransferFuture future = through.downloadFile(BUCKET, key, target);
    awaitDone(future);

    future.result();
    assertSameContent(source, target);
    assertHoldsExactly(downloads, Set.of(name));
  }

  /** Writes generated content of {@code sizeBytes} bytes, uploads it as {@code key}, returns it. */
  private Path putRandomObject(String key, long sizeBytes) {
    Path source =
        TestFiles.writeRandom(workDir.resolve("sources").resolve(key), sizeBytes, key.hashCode());
    putObject(BUCKET, key, source);
    return source;
  }

  private ProcessPoolDownloader newDownloader(ProcessTransferConfig config) {
    return ProcessPoolDownloader.builder()
        .clientConfig(clientConfig())
        .config(config)
        .workerProcesses(WORKER_PROCESSES)
        .build();
  }

  /** Waits, with a deadline, until the transfer succeeded or failed. */
  static void awaitDone(TransferFuture future) throws Exception {
    future.completion().handle((ok, failure) -> null).get(TIMEOUT_SECONDS, SECONDS);
  }

  private static Set<Long> descendantPids() {
    return ProcessHandle.current()
        .descendants()
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** The arguments a process was started with, from {@code /proc/<pid>/cmdline}. */
  private static List<String> commandLine(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
  }

  /**
   * "submitter" or "worker", as the command line names it. The classpath is left out: it holds the
   * jars of both roles. Fails when the command line does not name s3pool and exactly one role.
   */
  private static String roleOf(List<String> args) {
    List<String> withoutClasspath = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (Set.of("-cp", "-classpath", "--class-path").contains(args.get(i))) {
        i++;
      } else {
        withoutClasspath.add(args.get(i));
      }
    }
    String shown = String.join(" ", withoutClasspath);
    assertTrue(shown.contains("s3pool"), "names s3pool: " + shown);
    boolean submitter = shown.contains("submitter");
    boolean worker = shown.contains("worker");
    assertTrue(submitter != worker, "names exactly one role: " + shown);
    return submitter ? "submitter" : "worker";
  }
}
