package dev.s3pool.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.TransferId;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.wire.GetObjectJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker's own GETs against a recording HTTP server: what they send, when they hand the request
 * to the SDK's client instead, and what they read back. (S3Proxy checks the signatures in the
 * integration tests.)
 */
class DirectPartSourceTest {

  private static final byte[] BODY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** One request as the server saw it. */
  private record Seen(String rawPath, String rawQuery, Map<String, List<String>> headers) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }

    boolean fromSdk() {
      return header("User-agent").startsWith("aws-sdk-java");
    }
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private DirectPartSource source;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    S3ClientConfig config =
        S3ClientConfig.builder()
            .region("eu-west-1")
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .forcePathStyle(true)
            .credentials(S3ClientConfig.Credentials.of("AKIDTEST", "secret"))
            .readTimeout(Duration.ofSeconds(10))
            .build();
    source = new DirectPartSource(config, 2, new SdkPartSource(() -> S3Clients.create(config, 2)));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /**
   * 404 with S3's error body for keys under missing/, 403 to requests not from the SDK for keys
   * under picky/, else 206 with the scripted body.
   */
  private void answer(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    seen.add(
        new Seen(uri.getRawPath(), uri.getRawQuery(), Map.copyOf(exchange.getRequestHeaders())));
    try (exchange) {
      boolean fromSdk = seen.get(seen.size() - 1).fromSdk();
      if (uri.getRawPath().contains("/picky/") && !fromSdk) {
        exchange.sendResponseHeaders(403, -1);
        return;
      }
      if (uri.getRawPath().contains("/missing/")) {
        byte[] error =
            ("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                    + "</Error>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(404, error.length);
        exchange.getResponseBody().write(error);
        return;
      }
      exchange.getResponseHeaders().add("Content-Range", "bytes 0-15/1000");
      exchange.getResponseHeaders().add("ETag", "\"etag-1\"");
      exchange.sendResponseHeaders(206, BODY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(BODY);
      }
    }
  }

  private static GetObjectJob job(String key, String etag, Map<String, String> extraArgs) {
    return new GetObjectJob(
        new TransferId("t-1"),
        "bucket-1",
        key,
        "/tmp/unused",
        "/tmp/unused-target",
        0,
        0,
        0,
        16,
        -1,
        "bytes=0-15",
        etag,
        extraArgs);
  }

  private static byte[] readAll(PartSource.PartResponse response) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[5];
    int n;
    while ((n = response.read(buffer, 0, buffer.length)) >= 0) {
      all.write(buffer, 0, n);
    }
    return all.toByteArray();
  }

  @Test
  void get_plainJob_oneSignedRequestOfItsOwn_andReadsHeadAndBody() throws IOException {
    try (PartSource.PartResponse response =
        source.get(job("dir/a b+c~ü.bin", "\"etag-1\"", Map.of()))) {
      assertEquals("bytes 0-15/1000", response.contentRange());
      assertEquals(16L, response.contentLength());
      assertEquals("\"etag-1\"", response.eTag());
      assertArrayEquals(BODY, readAll(response));
    }

    assertEquals(1, seen.size(), "one request: " + seen);
    Seen request = seen.get(0);
    assertEquals("/bucket-1/dir/a%20b%2Bc~%C3%BC.bin", request.rawPath());
    assertEquals("s3pool", request.header("User-agent"));
    assertEquals("bytes=0-15", request.header("Range"));
    assertEquals("\"etag-1\"", request.header("If-match"));
    String authorization = request.header("Authorization");
    assertTrue(
        authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
            && authorization.contains("/eu-west-1/s3/aws4_request")
            && authorization.contains(
                "SignedHeaders=host;if-match;range;x-amz-content-sha256;x-amz-date"),
        authorization);
  }

  @Test
  void get_errorStatus_asksTheSdk_whoseExceptionReadsAsBefore() {
    S3Exception e =
        assertThrows(S3Exception.class, () -> source.get(job("missing/key", null, Map.of())));

    assertEquals(404, e.statusCode());
    assertEquals("NoSuchKey", e.awsErrorDetails().errorCode());
    assertEquals(2, seen.size(), "its own request, then the SDK's: " + seen);
    assertFalse(seen.get(0).fromSdk());
    assertTrue(seen.get(1).fromSdk(), seen.get(1).header("User-agent"));
  }

  @Test
  void get_refusedHereButNotThroughTheSdk_returnsTheSdksResponse() throws IOException {
    try (PartSource.PartResponse response = source.get(job("picky/key", null, Map.of()))) {
      assertArrayEquals(BODY, readAll(response));
    }

    assertEquals(2, seen.size(), "its own request, then the SDK's: " + seen);
    assertTrue(seen.get(1).fromSdk());
  }

  @Test
  void get_extraArgs_goThroughTheSdk() throws IOException {
    try (PartSource.PartResponse response = source.get(job("k", null, Map.of("VersionId", "v7")))) {
      assertArrayEquals(BODY, readAll(response));
    }

    assertEquals(1, seen.size());
    assertTrue(seen.get(0).fromSdk());
    assertEquals("versionId=v7", seen.get(0).rawQuery());
  }

  @Test
  void get_keyWithDotSegment_goesThroughTheSdk() throws IOException {
    try (PartSource.PartResponse response = source.get(job("a/../b", null, Map.of()))) {
      readAll(response);
    }

    assertTrue(seen.get(0).fromSdk());
  }

  @Test
  void plainKey_refusesEmptyAndDotSegments() {
    assertTrue(DirectPartSource.plainKey("a/b c/d.e"));
    assertTrue(DirectPartSource.plainKey("dir/"));
    assertTrue(DirectPartSource.plainKey("..a/b.."));
    assertFalse(DirectPartSource.plainKey("/a"));
    assertFalse(DirectPartSource.plainKey("a//b"));
    assertFalse(DirectPartSource.plainKey("a/./b"));
    assertFalse(DirectPartSource.plainKey(".."));
    assertFalse(DirectPartSource.plainKey("a/.."));
  }

  @Test
  void plainBucket_refusesArnsDirectoryBucketsAndAliases() {
    assertTrue(DirectPartSource.plainBucket("my-bucket.example"));
    assertTrue(DirectPartSource.plainBucket("ab1"));
    assertFalse(DirectPartSource.plainBucket("my-bucket--usw2-az1--x-s3"));
    assertFalse(DirectPartSource.plainBucket("my-ap-123abc--ol-s3"));
    assertFalse(DirectPartSource.plainBucket("arn:aws:s3:us-west-2:123456789012:accesspoint/ap"));
    assertFalse(DirectPartSource.plainBucket("a..b"));
    assertFalse(DirectPartSource.plainBucket("Upper"));
    assertFalse(DirectPartSource.plainBucket("-leading"));
    assertFalse(DirectPartSource.plainBucket("ab"));
  }

  @Test
  void enabled_notWhenSwitchedOffOrBehindAProxy() {
    boolean proxyVariable =
        Stream.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
            .anyMatch(name -> System.getenv(name) != null);
    assertEquals(!proxyVariable, DirectPartSource.enabled());
    System.setProperty(DirectPartSource.ENABLED_PROPERTY, "false");
    try {
      assertFalse(DirectPartSource.enabled());
    } finally {
      System.clearProperty(DirectPartSource.ENABLED_PROPERTY);
    }
    System.setProperty("https.proxyHost", "proxy.example");
    try {
      assertFalse(DirectPartSource.enabled());
    } finally {
      System.clearProperty("https.proxyHost");
    }
  }
}
