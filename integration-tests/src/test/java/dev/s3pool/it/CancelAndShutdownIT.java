package dev.s3pool.it;

import static dev.s3pool.it.TestFiles.assertSameContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ObjectChangedException;
import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferCancelledException;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.it.FaultProxy.Fault;
import dev.s3pool.it.FaultProxy.RequestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers ended from outside while their parts are in flight: cancel, shutdown, and the object
 * overwritten on the server. GETs of the big object are throttled so that its 16 parts (4 at a
 * time) take seconds.
 */
class CancelAndShutdownIT {

  private static final String BUCKET = "cancel-shutdown";
  private static final int CHUNK = 128 * 1024;
  private static final long SIZE = 16L * CHUNK - 777;
  private static final ProcessTransferConfig CONFIG =
      ProcessTransferConfig.builder()
          .multipartThreshold(CHUNK)
          .multipartChunksize(CHUNK)
          .maxRequestProcesses(4)
          .build();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BIG = "/" + BUCKET + "/big.bin";

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
    source = TestFiles.writeRandom(dir.resolve("source.bin"), SIZE, 23);
    server.putObject(BUCKET, "big.bin", source);
    server.putObject(BUCKET, "small.bin", new byte[] {7});
    proxy = FaultProxy.start(server.endpoint());
    proxy.inject(RequestKey.get(BIG), Integer.MAX_VALUE, Fault.throttle(256 * 1024));
    downloader =
        checks.track(
            ProcessPoolDownloader.builder()
                .clientConfig(
                    server.clientConfig().toBuilder().endpointOverride(proxy.endpoint()).build())
                .config(CONFIG)
                .workerProcesses(2)
                .build());
    downloads = checks.watch(Files.createDirectories(dir.resolve("downloads")));
  }

  @AfterEach
  void stop() {
    // The downloader first: its workers may still be talking to the proxy and the server.
    Closing.inOrder(downloader, proxy, server);
  }

  @Test
  void cancel_midTransfer_failsWithinSecondsSkipsQueuedPartsOthersFinish() throws Exception {
    Path other = TestFiles.writeRandom(dir.resolve("other.bin"), 3 * CHUNK + 5, 29);
    server.putObject(BUCKET, "other.bin", other);
    TransferFuture big = track("big.bin", Map.of(), null);
    assertTrue(proxy.awaitActiveBodies(2, WAIT), "the parts did not start");
    TransferFuture unrelated = track("other.bin", Map.of(), null);

    long start = System.nanoTime();
    big.cancel();

    assertThrows(CancellationException.class, () -> big.completion().get(10, TimeUnit.SECONDS));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < 5_000, "cancel took " + millis + " ms");
    assertThrows(TransferCancelledException.class, big::result);
    assertFalse(Files.exists(downloads.resolve("big.bin")));
    unrelated.completion().get(60, TimeUnit.SECONDS);
    assertSameContent(other, downloads.resolve("other.bin"));
    // Jobs still queued at the cancel were skipped: not every part was ever requested.
    assertTrue(proxy.awaitNoActiveBodies(WAIT));
    int partsRequested = proxy.requestsMatching(RequestKey.get(BIG)).size();
    assertTrue(partsRequested < 16, partsRequested + " of 16 parts were requested");
  }

  @Test
  void completionCancel_midTransfer_cancelsTheTransfer() throws Exception {
    TransferFuture big = track("big.bin", Map.of(), null);
    assertTrue(proxy.awaitActiveBodies(2, WAIT), "the parts did not start");

    assertTrue(big.completion().cancel(true));

    assertThrows(TransferCancelledException.class, big::result);
    assertFalse(Files.exists(downloads.resolve("big.bin")));
  }

  @Test
  void shutdown_withTransfersInFlight_waitsForThemAndResultWorksAfter() throws Exception {
    TransferFuture big = track("big.bin", Map.of(), null);
    TransferFuture small = track("small.bin", Map.of(), null);
    assertTrue(proxy.awaitActiveBodies(1, WAIT), "the parts did not start");

    downloader.shutdown();

    assertTrue(big.done(), "shutdown returned before the transfer ended");
    big.result();
    small.result();
    assertSameContent(source, downloads.resolve("big.bin"));
    downloader.childProcesses().forEach(c -> assertFalse(c.isAlive(), "child " + c.pid()));
    assertThrows(
        IllegalStateException.class,
        () -> downloader.downloadFile(BUCKET, "small.bin", downloads.resolve("late")));
  }

  @Test
  void objectOverwrittenMidTransfer_failsObjectChangedAndWritesNothing() throws Exception {
    TransferFuture big = track("big.bin", Map.of(), null);
    assertTrue(proxy.awaitActiveBodies(2, WAIT), "the parts did not start");

    server.putObject(BUCKET, "big.bin", TestFiles.writeRandom(dir.resolve("v2.bin"), SIZE, 31));

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> big.completion().get(60, TimeUnit.SECONDS));
    ObjectChangedException changed = assertInstanceOfChanged(e.getCause());
    assertTrue(
        changed.getMessage().startsWith("s3://" + BUCKET + "/big.bin changed during the download"),
        changed.getMessage());
    assertFalse(Files.exists(downloads.resolve("big.bin")));
  }

  @Test
  void objectOverwrittenMidTransfer_withoutHeadObject_failsObjectChanged() throws Exception {
    TransferFuture big = track("big.bin", Map.of(), SIZE);
    assertTrue(proxy.awaitActiveBodies(2, WAIT), "the parts did not start");

    server.putObject(BUCKET, "big.bin", TestFiles.writeRandom(dir.resolve("v2.bin"), SIZE, 37));

    ExecutionException e =
        assertThrows(ExecutionException.class, () -> big.completion().get(60, TimeUnit.SECONDS));
    assertInstanceOfChanged(e.getCause());
    assertFalse(Files.exists(downloads.resolve("big.bin")));
    assertEquals(
        0,
        proxy.requestsMatching(key -> key.method().equals("HEAD")).size(),
        "expectedSize was given: no HeadObject");
  }

  private TransferFuture track(String key, Map<String, String> extraArgs, Long expectedSize) {
    return checks.track(
        downloader.downloadFile(BUCKET, key, downloads.resolve(key), extraArgs, expectedSize));
  }

  private static ObjectChangedException assertInstanceOfChanged(Throwable error) {
    assertTrue(error instanceof ObjectChangedException, "not an ObjectChangedException: " + error);
    return (ObjectChangedException) error;
  }
}
