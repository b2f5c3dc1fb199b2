package dev.s3pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.S3ClientConfig.Credentials;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3ClientConfigTest {

  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";

  @Test
  void defaults_leaveEverythingToTheAwsChains() {
    S3ClientConfig config = S3ClientConfig.defaults();

    assertEquals(Optional.empty(), config.region());
    assertEquals(Optional.empty(), config.endpointOverride());
    assertEquals(Optional.empty(), config.credentials());
    assertFalse(config.forcePathStyle());
    assertEquals(Duration.ofSeconds(10), config.connectTimeout());
    assertEquals(Duration.ofSeconds(60), config.readTimeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9000", "https://s3.example.com", "http://minio/"})
  void endpointOverride_httpOrHttpsWithHost_isAccepted(String endpoint) {
    S3ClientConfig config = S3ClientConfig.builder().endpointOverride(URI.create(endpoint)).build();

    assertEquals(Optional.of(URI.create(endpoint)), config.endpointOverride());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://s3.example.com", "s3://bucket/key", "file:///tmp/x"})
  void endpointOverride_nonHttpScheme_isRejectedNamingTheUri(String endpoint) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> S3ClientConfig.builder().endpointOverride(URI.create(endpoint)));

    assertTrue(e.getMessage().contains(endpoint), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http:///path", "s3.example.com", "/relative/path"})
  void endpointOverride_withoutSchemeOrHost_isRejectedNamingTheUri(String endpoint) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> S3ClientConfig.builder().endpointOverride(URI.create(endpoint)));

    assertTrue(e.getMessage().contains(endpoint), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP://127.0.0.1:9000", "Https://s3.example.com"})
  void endpointOverride_upperCaseScheme_isAccepted(String endpoint) {
    S3ClientConfig config = S3ClientConfig.builder().endpointOverride(URI.create(endpoint)).build();

    assertEquals(Optional.of(URI.create(endpoint)), config.endpointOverride());
  }

  @Test
  void endpointOverride_null_clearsIt() {
    S3ClientConfig config =
        S3ClientConfig.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9000"))
            .endpointOverride(null)
            .build();

    assertEquals(Optional.empty(), config.endpointOverride());
  }

  @Test
  void region_blank_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> S3ClientConfig.builder().region(" "));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void connectTimeout_notPositive_isRejectedNamingTheValue(long seconds) {
    Duration timeout = Duration.ofSeconds(seconds);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> S3ClientConfig.builder().connectTimeout(timeout));

    assertEquals("connectTimeout must be > 0: " + timeout, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void readTimeout_notPositive_isRejectedNamingTheValue(long seconds) {
    Duration timeout = Duration.ofSeconds(seconds);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> S3ClientConfig.builder().readTimeout(timeout));

    assertEquals("readTimeout must be > 0: " + timeout, e.getMessage());
  }

  @Test
  void timeouts_null_areRejectedNamingTheSetting() {
    NullPointerException connect =
        assertThrows(
            NullPointerException.class, () -> S3ClientConfig.builder().connectTimeout(null));
    NullPointerException read =
        assertThrows(NullPointerException.class, () -> S3ClientConfig.builder().readTimeout(null));

    assertEquals("connectTimeout", connect.getMessage());
    assertEquals("readTimeout", read.getMessage());
  }

  @Test
  void toString_withCredentials_neverContainsSecretOrSessionToken() {
    S3ClientConfig config =
        S3ClientConfig.builder()
            .region("eu-west-1")
            .credentials(new Credentials("AKIAEXAMPLE", SECRET, SESSION_TOKEN))
            .build();

    String text = config.toString();

    assertFalse(text.contains(SECRET), text);
    assertFalse(text.contains(SESSION_TOKEN), text);
    assertTrue(text.contains("eu-west-1"), text);
  }

  @Test
  void credentialsToString_neverContainsSecretOrSessionToken() {
    String text = new Credentials("AKIAEXAMPLE", SECRET, SESSION_TOKEN).toString();

    assertFalse(text.contains(SECRET), text);
    assertFalse(text.contains(SESSION_TOKEN), text);
    assertTrue(text.contains("AKIAEXAMPLE"), text);
  }

  @Test
  void credentials_blankAccessKeyId_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Credentials.of(" ", SECRET));
  }

  @Test
  void toBuilder_keepsEverySetting() {
    S3ClientConfig original =
        S3ClientConfig.builder()
            .region("us-west-2")
            .endpointOverride(URI.create("http://127.0.0.1:9000"))
            .forcePathStyle(true)
            .credentials(Credentials.of("AKIAEXAMPLE", SECRET))
            .connectTimeout(Duration.ofSeconds(3))
            .readTimeout(Duration.ofSeconds(7))
            .build();

    S3ClientConfig copy = original.toBuilder().build();

    assertEquals(original.region(), copy.region());
    assertEquals(original.endpointOverride(), copy.endpointOverride());
    assertEquals(original.forcePathStyle(), copy.forcePathStyle());
    assertEquals(original.credentials(), copy.credentials());
    assertEquals(original.connectTimeout(), copy.connectTimeout());
    assertEquals(original.readTimeout(), copy.readTimeout());
  }
}
