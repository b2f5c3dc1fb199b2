package dev.s3pool.it;

import static dev.s3pool.it.TestFiles.assertHoldsExactly;
import static dev.s3pool.it.TestFiles.assertSameContent;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.RemoteStreamingException;
import dev.s3pool.RetriesExceededException;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.it.FaultProxy.Fault;
import dev.s3pool.it.FaultProxy.RequestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming errors between the workers and S3, injected by a {@link FaultProxy} in front of
 * S3Proxy: connections cut or stalled in the middle of a part's body. The worker retries such
 * errors, 5 attempts in all, each rewriting its own range from its start; then the transfer fails
 * with {@link RetriesExceededException} carrying the last error.
 *
 * <p>Objects of 3 chunks and an odd tail: 4 ranged GETs, which the 4 worker threads run at once.
 */
class StreamingFaultsIT {

  private static final String BUCKET = "streaming-faults";
  private static final int CHUNK = 256 * 1024;
  private static final ProcessTransferConfig CONFIG =
      ProcessTransferConfig.builder()
          .multipartThreshold(CHUNK)
          .multipartChunksize(CHUNK)
          .maxRequestProcesses(4)
          .build();
  private static final int WORKER_PROCESSES = 2;
  private static final long SIZE = 3L * CHUNK + 100_003;
  private static final int ATTEMPTS = 5;

  /** Mid-body in every part, the 100 003-byte tail included; a multiple of no buffer size. */
  private static final long FAULT_AFTER_BYTES = 65_537;

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final long TIMEOUT_SECONDS = 60;
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final TransferChecks checks = new TransferChecks();

  private static Path classDir;
  private static LocalS3Server server;
  private static FaultProxy proxy;
  private static ProcessPoolDownloader downloader;

  private Path downloads;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    classDir = dir;
    server = LocalS3Server.start(dir.resolve("server"));
    server.createBucket(BUCKET);
    proxy = FaultProxy.start(server.endpoint());
    downloader =
        checks.track(
            ProcessPoolDownloader.builder()
                .clientConfig(
                    server.clientConfig().toBuilder()
                        .endpointOverride(proxy.endpoint())
                        .readTimeout(READ_TIMEOUT)
                        .build())
                .config(CONFIG)
                .workerProcesses(WORKER_PROCESSES)
                .build());
    // The first download starts the broker and the child JVMs; tests then time only themselves.
    String key = "warm-up.bin";
    Path source = putRandomObject(key);
    Path target = Files.createDirectories(dir.resolve("warm-up")).resolve(key);
    TransferFuture warmUp = downloader.downloadFile(BUCKET, key, target);
    awaitDone(warmUp);
    warmUp.result();
    assertSameContent(source, target);
  }

  @AfterAll
  static void stop() {
    // The downloader first: its workers may still be talking to the proxy and the server.
    Closing.inOrder(downloader, proxy, server);
  }

  @BeforeEach
  void freshDownloadDirectory(TestInfo test) throws IOException {
    downloads =
        checks.watch(
            Files.createDirectories(
                classDir
                    .resolve("downloads")
                    .resolve(test.getTestMethod().orElseThrow().getName())));
  }

  @AfterEach
  void clearFaults() {
    proxy.clearRules();
  }

  @Test
  void download_fourCutsPerPart_completesByteIdentical() throws Exception {
    String key = "four-cuts.bin";
    Path source = putRandomObject(key);
    // A FIN after part of the body: the workers' HTTP client (Apache 5) reports
    // org.apache.hc.core5.http.ConnectionClosedException, "Premature end of Content-Length
    // delimited message body".
    proxy.inject(RequestKey.get(pathOf(key)), ATTEMPTS - 1, Fault.cutAfter(FAULT_AFTER_BYTES));
    Path target = downloads.resolve(key);

    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, key, target));
    awaitDone(future);

    future.result();
    assertSameContent(source, target);
    assertEquals(SIZE, Files.size(target), "size of " + target);
    assertHoldsExactly(downloads, Set.of(key));
    assertEquals(perRange(key, ATTEMPTS), proxy.requestsMatching(RequestKey.get(pathOf(key))));
    assertEquals(perRange(key, ATTEMPTS - 1), proxy.faultsMatching(RequestKey.get(pathOf(key))));
  }

  @Test
  void download_fiveCutsPerPart_failsRetriesExceededWithLastStreamingError() throws Exception {
    String key = "five-cuts.bin";
    putRandomObject(key);
    // An RST after part of the body, the other way a connection breaks: java.net.SocketException,
    // "Connection reset".
    proxy.inject(RequestKey.get(pathOf(key)), ATTEMPTS, Fault.resetAfter(FAULT_AFTER_BYTES));
    Path target = downloads.resolve(key);

    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, key, target));
    awaitDone(future);

    RetriesExceededException e = assertThrows(RetriesExceededException.class, future::result);
    RemoteStreamingException last = assertInstanceOf(RemoteStreamingException.class, e.getCause());
    assertTrue(
        IOException.class.isAssignableFrom(Class.forName(last.remoteType())),
        () -> "an IOException: " + last.remoteType());
    assertEquals("GetObject", e.operation(), e.getMessage());
    assertHoldsExactly(downloads, Set.of());
    // The part that failed first was tried exactly 5 times; no part more often.
    Map<RequestKey, Integer> gets = proxy.requestsMatching(RequestKey.get(pathOf(key)));
    assertTrue(gets.containsValue(ATTEMPTS), () -> "a part tried " + ATTEMPTS + " times: " + gets);
    assertTrue(gets.values().stream().allMatch(n -> n <= ATTEMPTS), () -> "GETs: " + gets);
    assertTrue(expectedRanges(pathOf(key)).containsAll(gets.keySet()), () -> "ranges: " + gets);
  }

  @Test
  void download_stalledPastReadTimeout_retriedAndCompletes() throws Exception {
    String key = "two-stalls.bin";
    Path source = putRandomObject(key);
    proxy.inject(RequestKey.get(pathOf(key)), 2, Fault.stallAfter(FAULT_AFTER_BYTES));
    Path target = downloads.resolve(key);
    long start = System.nanoTime();

    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, key, target));
    awaitDone(future);

    future.result();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertSameContent(source, target);
    assertEquals(SIZE, Files.size(target), "size of " + target);
    assertHoldsExactly(downloads, Set.of(key));
    assertEquals(perRange(key, 3), proxy.requestsMatching(RequestKey.get(pathOf(key))));
    assertEquals(perRange(key, 2), proxy.faultsMatching(RequestKey.get(pathOf(key))));
    // Each part waited out two read timeouts before its third attempt.
    assertTrue(took.compareTo(READ_TIMEOUT.multipliedBy(2)) >= 0, "took " + took);
    assertTrue(proxy.awaitNoActiveBodies(WAIT), "the workers closed the stalled connections");
  }

  @Test
  void download_firstPartStalled_theOtherPartsDoNotWaitForIt() throws Exception {
    String key = "first-part-stalled.bin";
    Path source = putRandomObject(key);
    // The first part's response tells the object's size; its body stalls twice, a read timeout
    // each, so only its third attempt can deliver.
    RequestKey first = RequestKey.get(pathOf(key), range(0));
    proxy.inject(first::equals, 2, Fault.stallAfter(FAULT_AFTER_BYTES));
    Path target = downloads.resolve(key);

    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, key, target));
    StandaloneFleet.await(
        WAIT,
        () -> "all four parts requested: " + proxy.requestsMatching(RequestKey.get(pathOf(key))),
        () -> proxy.requestsMatching(RequestKey.get(pathOf(key))).size() == 4);
    int firstPartAttempts = proxy.requests(first);
    awaitDone(future);

    future.result();
    assertSameContent(source, target);
    assertTrue(
        firstPartAttempts < 3,
        "the other parts went out only after the first part's body, at its attempt "
            + firstPartAttempts);
    Map<RequestKey, Integer> expected = perRange(key, 1);
    expected.put(first, 3);
    assertEquals(expected, proxy.requestsMatching(RequestKey.get(pathOf(key))));
  }

  @Test
  void download_fiveStallsOnOnePart_failsRetriesExceededWithReadTimeout() throws Exception {
    String key = "five-stalls.bin";
    putRandomObject(key);
    RequestKey second = RequestKey.get(pathOf(key), range(1));
    proxy.inject(second::equals, ATTEMPTS, Fault.stallAfter(FAULT_AFTER_BYTES));
    Path target = downloads.resolve(key);

    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, key, target));
    awaitDone(future);

    RetriesExceededException e = assertThrows(RetriesExceededException.class, future::result);
    RemoteStreamingException last = assertInstanceOf(RemoteStreamingException.class, e.getCause());
    // The workers' HTTP client (Apache 5) reports a socket read timeout as it is.
    assertEquals("java.net.SocketTimeoutException", last.remoteType(), last.getMessage());
    assertHoldsExactly(downloads, Set.of());
    assertEquals(ATTEMPTS, proxy.requests(second));
    assertEquals(ATTEMPTS, proxy.faultsInjected(second));
    assertTrue(proxy.awaitNoActiveBodies(WAIT), "the workers closed the stalled connections");
  }

  /**
   * The workers sign and send their GETs themselves. S3Proxy checks every signature, and a GET it
   * refused would be asked again through the SDK's client, so one GET per part shows that none was
   * refused, for keys whose encoding is easy to get wrong.
   */
  @Test
  void download_keysWithReservedAndNonAsciiCharacters_oneSignedGetPerPart() throws Exception {
    List<String> keys =
        List.of(
            "odd keys/space+plus.bin",
            "odd keys/\u00fcn\u00efc\u00f8d\u00e9 \u00a9.bin",
            "odd keys/!$&'()*,;=:@~.bin",
            "odd keys/100% done?#[].bin");
    for (String key : keys) {
      Path source = putRandomObject(key);
      Path target = downloads.resolve(Path.of(key).getFileName().toString());
      TransferFuture future = checks.track(downloader.downloadFile(BUCKET, key, target));
      awaitDone(future);
      future.result();
      assertSameContent(source, target);
    }

    Map<RequestKey, Integer> gets =
        proxy.requestsMatching(k -> k.method().equals("GET") && k.path().contains("/odd%20keys/"));
    assertEquals(keys.size() * 4, gets.size(), "4 parts per key: " + gets);
    assertTrue(gets.values().stream().allMatch(n -> n == 1), "one GET per part: " + gets);
  }

  /** Generated content of {@link #SIZE} bytes, uploaded as {@code key}; returns the source file. */
  private static Path putRandomObject(String key) {
    Path source =
        TestFiles.writeRandom(classDir.resolve("sources").resolve(key), SIZE, key.hashCode());
    server.putObject(BUCKET, key, source);
    return source;
  }

  private static String pathOf(String key) {
    return "/" + BUCKET + "/" + key;
  }

  /** The Range header of part {@code index}, as the submitter plans it. */
  private static String range(int index) {
    long first = (long) index * CHUNK;
    long last = first + CHUNK - 1;
    return last < SIZE - 1 ? "bytes=" + first + "-" + last : "bytes=" + first + "-";
  }

  private static List<RequestKey> expectedRanges(String path) {
    List<RequestKey> keys = new ArrayList<>();
    for (int i = 0; (long) i * CHUNK < SIZE; i++) {
      keys.add(RequestKey.get(path, range(i)));
    }
    return keys;
  }

  /** {@code count} for each range of {@code key}, sorted as the proxy's counters are. */
  private static Map<RequestKey, Integer> perRange(String key, int count) {
    return expectedRanges(pathOf(key)).stream()
        .collect(Collectors.toMap(Function.identity(), k -> count, (a, b) -> a, TreeMap::new));
  }

  /** Waits, with a deadline, until the transfer succeeded or failed. */
  private static void awaitDone(TransferFuture future) throws Exception {
    future.completion().handle((ok, failure) -> null).get(TIMEOUT_SECONDS, SECONDS);
  }
}
