package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.it.FaultProxy.Fault;
import dev.s3pool.it.FaultProxy.RequestKey;
import dev.s3pool.runtime.S3Clients;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@link FaultProxy} itself, between the workers' S3 client (same builder, short read timeout) and
 * S3Proxy: it relays faithfully without rules, its faults reach the client as streaming errors, and
 * its counters count.
 */
class FaultProxyIT {

  private static final String BUCKET = "fault-proxy-it";
  private static final String KEY = "object.bin";
  private static final String PATH = "/" + BUCKET + "/" + KEY;
  private static final byte[] OBJECT = new byte[200_003];
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static LocalS3Server server;
  private static FaultProxy proxy;
  private static S3Client s3;

  @BeforeAll
  static void start(@TempDir Path dir) {
    new SplittableRandom(7).nextBytes(OBJECT);
    server = LocalS3Server.start(dir);
    server.createBucket(BUCKET);
    server.putObject(BUCKET, KEY, OBJECT);
    proxy = FaultProxy.start(server.endpoint());
    s3 =
        S3Clients.create(
            server.clientConfig().toBuilder()
                .endpointOverride(proxy.endpoint())
                .readTimeout(READ_TIMEOUT)
                .build(),
            4);
  }

  @AfterAll
  static void stop() {
    Closing.inOrder(s3, proxy, server);
  }

  @AfterEach
  void idle() throws InterruptedException {
    proxy.clearRules();
    assertTrue(proxy.awaitNoActiveBodies(WAIT), "bodies still relayed: " + proxy.activeBodies());
  }

  @Test
  void get_noRules_returnsTheBytesAndCounts() throws Exception {
    RequestKey whole = RequestKey.get(PATH, "");
    RequestKey ranged = RequestKey.get(PATH, "bytes=1000-1999");
    int wholeBefore = proxy.requests(whole);
    int rangedBefore = proxy.requests(ranged);

    byte[] all = s3.getObjectAsBytes(get().build()).asByteArray();
    byte[] part = s3.getObjectAsBytes(get().range("bytes=1000-1999").build()).asByteArray();
    long size = s3.headObject(b -> b.bucket(BUCKET).key(KEY)).contentLength();

    assertArrayEquals(OBJECT, all);
    assertArrayEquals(Arrays.copyOfRange(OBJECT, 1000, 2000), part);
    assertEquals(OBJECT.length, size);
    assertEquals(wholeBefore + 1, proxy.requests(whole));
    assertEquals(rangedBefore + 1, proxy.requests(ranged));
    assertEquals(0, proxy.faultsInjected(whole));
    assertTrue(proxy.requests(new RequestKey("HEAD", PATH, "")) >= 1, "HEAD counted");
  }

  @Test
  void get_cutRule_failsTheBodyReadOfTheFirstGetsOnly() throws Exception {
    String range = "bytes=0-99999";
    RequestKey key = RequestKey.get(PATH, range);
    int before = proxy.requests(key);
    proxy.inject(k -> k.equals(key), 2, Fault.cutAfter(10_000));

    for (int attempt = 1; attempt <= 2; attempt++) {
      try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get().range(range).build())) {
        IOException e = assertThrows(IOException.class, body::readAllBytes, "attempt " + attempt);
        assertTrue(e.getMessage() != null, e.toString());
      }
    }
    byte[] third = s3.getObjectAsBytes(get().range(range).build()).asByteArray();

    assertArrayEquals(Arrays.copyOfRange(OBJECT, 0, 100_000), third);
    assertEquals(before + 3, proxy.requests(key));
    assertEquals(2, proxy.faultsInjected(key));
  }

  @Test
  void get_resetRule_failsTheBodyRead() throws Exception {
    String range = "bytes=100000-";
    RequestKey key = RequestKey.get(PATH, range);
    proxy.inject(k -> k.equals(key), 1, Fault.resetAfter(5_000));

    try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get().range(range).build())) {
      assertThrows(IOException.class, body::readAllBytes);
    }

    assertEquals(1, proxy.faultsInjected(key));
    assertEquals(Map.of(key, 1), proxy.faultsMatching(k -> k.range().equals(range)));
  }

  @Test
  void get_cutPastTheBodyEnd_isNoFault() throws Exception {
    String range = "bytes=0-9";
    RequestKey key = RequestKey.get(PATH, range);
    proxy.inject(k -> k.equals(key), 1, Fault.cutAfter(10));

    byte[] body = s3.getObjectAsBytes(get().range(range).build()).asByteArray();

    assertArrayEquals(Arrays.copyOfRange(OBJECT, 0, 10), body);
    assertEquals(0, proxy.faultsInjected(key));
  }

  @Test
  void get_stallRule_runsIntoTheReadTimeout() throws Exception {
    String range = "bytes=0-49999";
    RequestKey key = RequestKey.get(PATH, range);
    proxy.inject(k -> k.equals(key), 1, Fault.stallAfter(1_000));

    try (ResponseInputStream<GetObjectResponse> body = s3.getObject(get().range(range).build())) {
      assertArrayEquals(Arrays.copyOfRange(OBJECT, 0, 1_000), body.readNBytes(1_000));
      assertEquals(1, proxy.activeBodies(), "the stalled body");
      long start = System.nanoTime();
      IOException e = assertThrows(IOException.class, body::read);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertInstanceOf(SocketTimeoutException.class, e);
      assertTrue(waited.compareTo(READ_TIMEOUT.minusMillis(100)) >= 0, "waited " + waited);
      body.abort();
    }

    assertTrue(proxy.awaitNoActiveBodies(WAIT), "the client's close ends the stall");
    assertEquals(1, proxy.faultsInjected(key));
  }

  @Test
  void get_throttled_takesItsTimeAndIsIntact() throws Exception {
    String range = "bytes=0-65535";
    RequestKey key = RequestKey.get(PATH, range);
    proxy.inject(k -> k.equals(key), 1, Fault.throttle(256 * 1024));

    long start = System.nanoTime();
    byte[] body;
    try (InputStream in = s3.getObject(get().range(range).build())) {
      body = in.readAllBytes();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertArrayEquals(Arrays.copyOfRange(OBJECT, 0, 65_536), body);
    // 64 KiB at 256 KiB/s: a quarter of a second, less the first slice, which goes at once.
    assertTrue(took.toMillis() >= 200, "took " + took);
    assertEquals(1, proxy.faultsInjected(key));
  }

  @Test
  void get_delayed_waitsBeforeTheHeadAndIsIntact() throws Exception {
    String range = "bytes=2000-101999";
    RequestKey key = RequestKey.get(PATH, range);
    Duration delay = Duration.ofMillis(300);
    proxy.inject(k -> k.equals(key), 1, Fault.delay(delay));

    long start = System.nanoTime();
    byte[] body = s3.getObjectAsBytes(get().range(range).build()).asByteArray();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertArrayEquals(Arrays.copyOfRange(OBJECT, 2000, 102_000), body);
    assertTrue(took.compareTo(delay) >= 0, "took " + took);
    assertEquals(1, proxy.faultsInjected(key));
  }

  @Test
  void head_delayed_waitsToo() throws Exception {
    RequestKey key = new RequestKey("HEAD", PATH, "");
    int before = proxy.faultsInjected(key);
    Duration delay = Duration.ofMillis(300);
    proxy.inject(k -> k.equals(key), 1, Fault.delay(delay));

    long start = System.nanoTime();
    long size = s3.headObject(b -> b.bucket(BUCKET).key(KEY)).contentLength();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(OBJECT.length, size);
    assertTrue(took.compareTo(delay) >= 0, "took " + took);
    assertEquals(before + 1, proxy.faultsInjected(key));
  }

  @Test
  void get_delayedAndThrottled_takesBothAndCountsOnce() throws Exception {
    String range = "bytes=65536-131071";
    RequestKey key = RequestKey.get(PATH, range);
    Duration delay = Duration.ofMillis(300);
    proxy.inject(k -> k.equals(key), 1, Fault.throttle(256 * 1024).afterDelay(delay));

    long start = System.nanoTime();
    byte[] body;
    try (InputStream in = s3.getObject(get().range(range).build())) {
      body = in.readAllBytes();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertArrayEquals(Arrays.copyOfRange(OBJECT, 65_536, 131_072), body);
    // The delay, then 64 KiB at 256 KiB/s less the first slice (see the throttle test).
    assertTrue(took.compareTo(delay.plusMillis(200)) >= 0, "took " + took);
    assertEquals(1, proxy.faultsInjected(key));
  }

  @Test
  void fault_badDelay_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ofMillis(-1)));
    assertThrows(
        IllegalArgumentException.class, () -> Fault.cutAfter(10).afterDelay(Duration.ofMillis(-1)));
  }

  @Test
  void put_requestBodyIsForwarded() throws Exception {
    byte[] content = new byte[70_001];
    new SplittableRandom(3).nextBytes(content);

    s3.putObject(b -> b.bucket(BUCKET).key("put.bin"), RequestBody.fromBytes(content));

    assertArrayEquals(
        content, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("put.bin")).asByteArray());
    assertEquals(1, proxy.requests(new RequestKey("PUT", "/" + BUCKET + "/put.bin", "")));
  }

  private static GetObjectRequest.Builder get() {
    return GetObjectRequest.builder().bucket(BUCKET).key(KEY);
  }
}
