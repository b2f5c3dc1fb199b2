package dev.s3pool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.S3ClientConfig.Credentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChildSettingsTest {

  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static final ProcessTransferConfig TRANSFER =
      ProcessTransferConfig.builder()
          .multipartThreshold(5 * ProcessTransferConfig.MiB)
          .multipartChunksize(3 * ProcessTransferConfig.MiB)
          .maxRequestProcesses(7)
          .build();

  @Test
  void encodeRead_everythingSet_roundTrips() throws IOException {
    S3ClientConfig client =
        S3ClientConfig.builder()
            .region("eu-central-1")
            .endpointOverride(URI.create("http://127.0.0.1:9000/"))
            .forcePathStyle(true)
            .credentials(new Credentials("AKIAEXAMPLE", SECRET, "session=token/with+chars"))
            .connectTimeout(Duration.ofMillis(1500))
            .readTimeout(Duration.ofSeconds(90))
            .build();
    ChildSettings settings =
        new ChildSettings(
            "tcp://127.0.0.1:61616", "s3pool", "p#ss: w=rd!", 4, client, TRANSFER, null);

    assertSameSettings(settings, roundTrip(settings));
  }

  @Test
  void encodeRead_awsDefaults_roundTripsWithoutCredentialsRegionOrEndpoint() throws IOException {
    ChildSettings settings =
        new ChildSettings(
            "tcp://127.0.0.1:61616", null, null, 1, S3ClientConfig.defaults(), TRANSFER, null);

    ChildSettings read = roundTrip(settings);

    assertSameSettings(settings, read);
    assertNull(read.brokerUser());
    assertNull(read.brokerPassword());
    assertEquals(Optional.empty(), read.clientConfig().credentials());
    assertEquals(Optional.empty(), read.clientConfig().region());
    assertEquals(Optional.empty(), read.clientConfig().endpointOverride());
  }

  @Test
  void encodeRead_credentialsWithoutSessionToken_keepsTokenNull() throws IOException {
    S3ClientConfig client =
        S3ClientConfig.builder().credentials(Credentials.of("AKIAEXAMPLE", SECRET)).build();
    ChildSettings settings = new ChildSettings("tcp://h:1", null, null, 2, client, TRANSFER, null);

    Credentials read = roundTrip(settings).clientConfig().credentials().orElseThrow();

    assertEquals(Credentials.of("AKIAEXAMPLE", SECRET), read);
    assertNull(read.sessionToken());
  }

  @Test
  void encode_endsWithTheEndMarkerLine() {
    String block = minimal().encode();

    assertTrue(block.endsWith("\n" + ChildSettings.END_MARKER + "\n"), block);
  }

  @Test
  void read_stopsAtEndMarker_andLeavesTheRestUnread() throws IOException {
    ChildSettings settings = minimal();
    BufferedReader in =
        new BufferedReader(new StringReader(settings.encode() + "next line\nmore\n"));

    ChildSettings read = ChildSettings.read(in);

    assertSameSettings(settings, read);
    assertEquals("next line", in.readLine());
    assertEquals("more", in.readLine());
  }

  @Test
  void read_inputWithoutEndMarker_throwsIOException() {
    String block = minimal().encode();
    String truncated = block.substring(0, block.indexOf(ChildSettings.END_MARKER));

    IOException e = assertThrows(IOException.class, () -> read(truncated));

    assertTrue(e.getMessage().contains(ChildSettings.END_MARKER), e.getMessage());
  }

  @Test
  void read_inputCutMidBlock_throwsIOException() {
    String block = minimal().encode();

    assertThrows(IOException.class, () -> read(block.substring(0, block.length() / 2)));
  }

  @Test
  void read_emptyInput_throwsIOException() {
    assertThrows(IOException.class, () -> read(""));
  }

  @Test
  void toString_neverContainsSecretKeyOrBrokerPassword() {
    S3ClientConfig client =
        S3ClientConfig.builder().credentials(Credentials.of("AKIAEXAMPLE", SECRET)).build();
    ChildSettings settings =
        new ChildSettings("tcp://h:1", "user", "broker-password-42", 1, client, TRANSFER, null);

    String text = settings.toString();

    assertFalse(text.contains(SECRET), text);
    assertFalse(text.contains("broker-password-42"), text);
  }

  @Test
  void constructor_zeroThreads_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ChildSettings(
                    "tcp://h:1", null, null, 0, S3ClientConfig.defaults(), TRANSFER, null));

    assertEquals("threads must be > 0: 0", e.getMessage());
  }

  @Test
  void encodeRead_subMillisecondTimeout_survives() throws IOException {
    S3ClientConfig client = S3ClientConfig.builder().readTimeout(Duration.ofNanos(500_000)).build();
    ChildSettings settings = new ChildSettings("tcp://h:1", null, null, 1, client, TRANSFER, null);

    assertEquals(Duration.ofNanos(500_000), roundTrip(settings).clientConfig().readTimeout());
  }

  private static ChildSettings minimal() {
    return new ChildSettings(
        "tcp://127.0.0.1:61616", null, null, 3, S3ClientConfig.defaults(), TRANSFER, null);
  }

  private static ChildSettings roundTrip(ChildSettings settings) throws IOException {
    return read(settings.encode());
  }

  private static ChildSettings read(String text) throws IOException {
    return ChildSettings.read(new BufferedReader(new StringReader(text)));
  }

  /**
   * Field by field: S3ClientConfig and ProcessTransferConfig do not define equals, so the record's
   * own equals would compare them by identity.
   */
  private static void assertSameSettings(ChildSettings expected, ChildSettings actual) {
    assertEquals(expected.brokerUrl(), actual.brokerUrl());
    assertEquals(expected.brokerUser(), actual.brokerUser());
    assertEquals(expected.brokerPassword(), actual.brokerPassword());
    assertEquals(expected.threads(), actual.threads());

    S3ClientConfig e = expected.clientConfig();
    S3ClientConfig a = actual.clientConfig();
    assertEquals(e.region(), a.region());
    assertEquals(e.endpointOverride(), a.endpointOverride());
    assertEquals(e.forcePathStyle(), a.forcePathStyle());
    assertEquals(e.credentials(), a.credentials());
    assertEquals(e.connectTimeout(), a.connectTimeout());
    assertEquals(e.readTimeout(), a.readTimeout());

    ProcessTransferConfig et = expected.transferConfig();
    ProcessTransferConfig at = actual.transferConfig();
    assertEquals(et.multipartThreshold(), at.multipartThreshold());
    assertEquals(et.multipartChunksize(), at.multipartChunksize());
    assertEquals(et.maxRequestProcesses(), at.maxRequestProcesses());
  }

  @Test
  void encodeRead_downloadRoot_survives() throws IOException {
    ChildSettings settings =
        new ChildSettings(
            "tcp://h:1", null, null, 1, S3ClientConfig.defaults(), TRANSFER, "/srv/downloads");

    assertEquals("/srv/downloads", roundTrip(settings).downloadRoot());
  }
}
