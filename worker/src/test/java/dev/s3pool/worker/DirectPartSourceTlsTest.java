package dev.s3pool.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.TransferId;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.wire.GetObjectJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker's own GETs over TLS, as against S3 itself: an HTTPS server with a certificate for
 * 127.0.0.1 that the JVM trusts through {@code javax.net.ssl.trustStore}, like a private CA, and
 * the SDK's client for the error that follows.
 */
class DirectPartSourceTlsTest {

  private static final byte[] BODY = "tls body".getBytes(StandardCharsets.US_ASCII);
  private static final String PASSWORD = "changeit";
  private static final String[] TRUST_PROPERTIES = {
    "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"
  };

  private static final List<String> userAgents = new CopyOnWriteArrayList<>();
  private static HttpsServer server;
  private static DirectPartSource source;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("server.p12");
    Path cert = dir.resolve("server.pem");
    Path trust = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "s3",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-keystore",
        keys.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "s3",
        "-rfc",
        "-file",
        cert.toString(),
        "-keystore",
        keys.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "s3",
        "-file",
        cert.toString(),
        "-keystore",
        trust.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    System.setProperty("javax.net.ssl.trustStore", trust.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(store, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", DirectPartSourceTlsTest::answer);
    server.start();

    S3ClientConfig config =
        S3ClientConfig.builder()
            .region("us-east-1")
            .endpointOverride(URI.create("https://127.0.0.1:" + server.getAddress().getPort()))
            .forcePathStyle(true)
            .credentials(S3ClientConfig.Credentials.of("AKIDTEST", "secret"))
            .build();
    source = new DirectPartSource(config, 2, new SdkPartSource(() -> S3Clients.create(config, 2)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
    for (String property : TRUST_PROPERTIES) {
      System.clearProperty(property);
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool within 60 s");
    assertEquals(0, process.exitValue(), () -> "keytool " + List.of(args) + ": " + output);
  }

  /** 404 for keys under missing/, else 206 with the body. */
  private static void answer(HttpExchange exchange) throws IOException {
    userAgents.add(exchange.getRequestHeaders().getFirst("User-agent"));
    try (exchange) {
      if (exchange.getRequestURI().getRawPath().contains("/missing/")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Range", "bytes 0-7/8");
      exchange.sendResponseHeaders(206, BODY.length);
      exchange.getResponseBody().write(BODY);
    }
  }

  private static GetObjectJob job(String key) {
    return new GetObjectJob(
        new TransferId("t-tls"),
        "bucket-1",
        key,
        "/tmp/unused",
        "/tmp/unused-target",
        0,
        0,
        0,
        8,
        -1,
        "bytes=0-7",
        null,
        Map.of());
  }

  @Test
  void get_overTls_ownRequestThenTheSdksForAnError() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (PartSource.PartResponse response = source.get(job("key"))) {
      byte[] buffer = new byte[4];
      int n;
      while ((n = response.read(buffer, 0, buffer.length)) >= 0) {
        body.write(buffer, 0, n);
      }
    }
    assertArrayEquals(BODY, body.toByteArray());
    assertEquals(List.of("s3pool"), userAgents);

    S3Exception e = assertThrows(S3Exception.class, () -> source.get(job("missing/key")));
    assertEquals(404, e.statusCode());
    assertEquals(3, userAgents.size(), "own request, then the SDK's: " + userAgents);
    assertTrue(userAgents.get(2).startsWith("aws-sdk-java"), userAgents.get(2));
  }
}
