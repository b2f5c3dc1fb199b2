package dev.s3pool.it;

import static dev.s3pool.it.TestFiles.assertSameContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.internal.DefaultTransferFuture;
import dev.s3pool.it.FaultProxy.Fault;
import dev.s3pool.it.FaultProxy.RequestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs killed with SIGKILL in the middle of a transfer. A dead worker loses nothing: the
 * broker gives its job to another worker and the fleet starts a replacement. A dead submitter takes
 * its state table with it: the transfers it held fail with a clear error and leave nothing behind,
 * and a new submitter serves the next ones.
 *
 * <p>Every GET of the big object is throttled, so that its 8 parts (2 workers x 2 threads, 4 at a
 * time) stay in flight for seconds.
 */
class ProcessDeathIT {

  private static final String BUCKET = "process-death";
  private static final int CHUNK = 256 * 1024;
  private static final long SIZE = 8L * CHUNK - 12_345;
  private static final long BYTES_PER_SECOND = 256 * 1024;
  private static final ProcessTransferConfig CONFIG =
      ProcessTransferConfig.builder()
          .multipartThreshold(CHUNK)
          .multipartChunksize(CHUNK)
          .maxRequestProcesses(4)
          .build();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final TransferChecks checks = new TransferChecks();

  @TempDir Path dir;
  private LocalS3Server server;
  private FaultProxy proxy;
  private ProcessPoolDownloader downloader;
  private Path source;
  private Path downloads;

  @BeforeEach
  void start() throws Exception {
    server = LocalS3Server.start(dir.resolve("server"));
    server.createBucket(BUCKET);
    source = TestFiles.writeRandom(dir.resolve("source.bin"), SIZE, 17);
    server.putObject(BUCKET, "big.bin", source);
    server.putObject(BUCKET, "small.bin", new byte[] {4, 2});
    proxy = FaultProxy.start(server.endpoint());
    proxy.inject(
        RequestKey.get("/" + BUCKET + "/big.bin"),
        Integer.MAX_VALUE,
        Fault.throttle(BYTES_PER_SECOND));
    downloader =
        checks.track(
            ProcessPoolDownloader.builder()
                .clientConfig(
                    server.clientConfig().toBuilder().endpointOverride(proxy.endpoint()).build())
                .config(CONFIG)
                .workerProcesses(2)
                .build());
    downloads = checks.watch(Files.createDirectories(dir.resolve("downloads")));
    // Starts the fleet, so that the tests find their child JVMs running.
    TransferFuture warmUp =
        checks.track(downloader.downloadFile(BUCKET, "small.bin", downloads.resolve("warm-up")));
    warmUp.completion().get(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    // The downloader first: its workers may still be talking to the proxy and the server.
    Closing.inOrder(downloader, proxy, server);
  }

  @Test
  void workerKilledMidJob_jobRedeliveredAndTransferCompletes() throws Exception {
    TransferFuture future = startBigDownload();
    // 3 of the 4 slots busy: each worker JVM (2 threads) holds at least one job.
    assertTrue(proxy.awaitActiveBodies(3, WAIT), "the parts did not start");
    ProcessHandle victim = workers().get(0);

    victim.destroyForcibly(); // SIGKILL

    future.completion().get(60, TimeUnit.SECONDS);
    future.result();
    assertSameContent(source, downloads.resolve("big.bin"));
    assertFalse(victim.isAlive());
    assertEquals(2, workers().size(), "the fleet replaces the dead worker");
    assertFalse(workers().contains(victim));
    assertRedeliveredAndCountedOnce(future);
  }

  @Test
  void allWorkersKilledMidJob_replacedAndTransferCompletes() throws Exception {
    TransferFuture future = startBigDownload();
    assertTrue(proxy.awaitActiveBodies(3, WAIT), "the parts did not start");
    List<ProcessHandle> victims = workers();

    victims.forEach(ProcessHandle::destroyForcibly);

    // Within WAIT, well before the 60 s after which a child that was never told its broker is
    // ready would connect anyway: the replacements are told at once.
    future.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    future.result();
    assertSameContent(source, downloads.resolve("big.bin"));
    victims.forEach(v -> assertFalse(v.isAlive(), "worker " + v.pid()));
    List<ProcessHandle> replacements = workers();
    assertEquals(2, replacements.size());
    replacements.forEach(r -> assertFalse(victims.contains(r)));
    assertRedeliveredAndCountedOnce(future);
    // The first part had told the size and the others were running when its worker died: it was
    // fetched again, and the rest was not planned twice.
    RequestKey firstPart = RequestKey.get("/" + BUCKET + "/big.bin", "bytes=0-" + (CHUNK - 1));
    assertTrue(proxy.requests(firstPart) >= 2, "first part fetched " + proxy.requests(firstPart));
  }

  @Test
  void submitterKilledMidTransfer_futureFailsClearlyAndNothingIsLeft() throws Exception {
    TransferFuture future = startBigDownload();
    assertTrue(proxy.awaitActiveBodies(3, WAIT), "the parts did not start");
    ProcessHandle submitter = submitter();

    submitter.destroyForcibly();

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.completion().get(30, TimeUnit.SECONDS));
    S3TransferException failure = assertInstanceOf(S3TransferException.class, e.getCause());
    assertTrue(
        failure
            .getMessage()
            .startsWith(
                "the s3pool submitter JVM died (submitter JVM pid " + submitter.pid() + " exited"),
        failure.getMessage());
    assertFalse(Files.exists(downloads.resolve("big.bin")));
    // The workers finish or skip the jobs already queued; nothing may bring the file back.
    assertTrue(proxy.awaitNoActiveBodies(WAIT), "the orphaned parts never ended");
    assertFalse(Files.exists(downloads.resolve("big.bin")));

    // A new submitter serves the next transfer.
    assertNotEquals(submitter, submitter());
    TransferFuture next =
        checks.track(downloader.downloadFile(BUCKET, "small.bin", downloads.resolve("next")));
    next.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(2, Files.size(downloads.resolve("next")));
  }

  @Test
  void childrenSignalledSigint_ignoreItAndKeepWorking() throws Exception {
    List<ProcessHandle> children = downloader.childProcesses();
    for (ProcessHandle child : children) {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
      assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT");
    }

    // A whole download later (seconds: every part is throttled), the same JVMs did the work.
    TransferFuture future = startBigDownload();
    future.completion().get(60, TimeUnit.SECONDS);
    assertSameContent(source, downloads.resolve("big.bin"));
    children.forEach(c -> assertTrue(c.isAlive(), "child " + c.pid() + " died of SIGINT"));
    assertEquals(children, downloader.childProcesses(), "no child was replaced");
  }

  private TransferFuture startBigDownload() {
    return checks.track(downloader.downloadFile(BUCKET, "big.bin", downloads.resolve("big.bin")));
  }

  /** Some range was fetched twice (a redelivered job), yet the bytes were counted once. */
  private void assertRedeliveredAndCountedOnce(TransferFuture future) {
    int gets =
        proxy.requestsMatching(RequestKey.get("/" + BUCKET + "/big.bin")).values().stream()
            .mapToInt(Integer::intValue)
            .sum();
    assertTrue(gets > 8, "no part was fetched again: " + gets + " GETs for 8 parts");
    DefaultTransferFuture mirror = (DefaultTransferFuture) future;
    assertEquals(SIZE, mirror.totalBytes());
    assertEquals(SIZE, mirror.bytesDone(), "bytes counted by the coordinator");
  }

  private List<ProcessHandle> workers() throws IOException {
    return downloader.childProcesses().stream().filter(p -> role(p).equals("worker")).toList();
  }

  private ProcessHandle submitter() throws IOException {
    return downloader.childProcesses().stream()
        .filter(p -> role(p).equals("submitter"))
        .findFirst()
        .orElseThrow();
  }

  private static String role(ProcessHandle process) {
    try {
      String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return cmdline.contains("-Ds3pool.role=worker") ? "worker" : "submitter";
    } catch (IOException e) {
      return "gone";
    }
  }
}
