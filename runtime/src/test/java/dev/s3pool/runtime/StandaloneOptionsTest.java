package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.spi.ChildSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StandaloneOptionsTest {

  private static final Map<String, String> ENV =
      Map.of("S3POOL_BROKER_USER", "fleet", "S3POOL_BROKER_PASSWORD", "s3cret");

  @Test
  void parse_worker_takesBrokerThreadsEndpointAndCredentialsFromTheEnvironment() {
    ChildSettings settings =
        StandaloneOptions.parse(
            "worker",
            new String[] {
              "--broker", "tcp://10.0.0.1:61616", "--threads", "3",
              "--endpoint-url", "http://127.0.0.1:9000", "--region", "eu-west-1",
              "--read-timeout-seconds", "7"
            },
            ENV);

    assertEquals("tcp://10.0.0.1:61616", settings.brokerUrl());
    assertEquals("fleet", settings.brokerUser());
    assertEquals("s3cret", settings.brokerPassword());
    assertEquals(3, settings.threads());
    assertEquals(
        Optional.of(URI.create("http://127.0.0.1:9000")),
        settings.clientConfig().endpointOverride());
    assertTrue(settings.clientConfig().forcePathStyle());
    assertEquals(Optional.of("eu-west-1"), settings.clientConfig().region());
    assertEquals(Duration.ofSeconds(7), settings.clientConfig().readTimeout());
    assertTrue(settings.clientConfig().credentials().isEmpty(), "AWS credentials: the chain");
    assertNull(settings.downloadRoot());
  }

  @Test
  void parse_submitter_defaultsAndDownloadRootMadeAbsolute() {
    ChildSettings settings =
        StandaloneOptions.parse(
            "submitter",
            new String[] {
              "--broker",
              "tcp://h:1",
              "--download-root",
              "data/../downloads",
              "--multipart-chunksize",
              "1048576"
            },
            Map.of());

    assertEquals(4, settings.threads());
    assertNull(settings.brokerUser());
    assertTrue(settings.downloadRoot().startsWith("/"), settings.downloadRoot());
    assertTrue(settings.downloadRoot().endsWith("/downloads"), settings.downloadRoot());
    assertEquals(1048576, settings.transferConfig().multipartChunksize());
  }

  @Test
  void parse_submitter_takesByteSizesAndNameEqualsValue() {
    ChildSettings settings =
        StandaloneOptions.parse(
            "submitter",
            new String[] {
              "--broker=tcp://h:1",
              "--multipart-threshold",
              "64MiB",
              "--multipart-chunksize=8MiB+1",
              "--threads=2"
            },
            Map.of());

    assertEquals("tcp://h:1", settings.brokerUrl());
    assertEquals(64L << 20, settings.transferConfig().multipartThreshold());
    assertEquals((8L << 20) + 1, settings.transferConfig().multipartChunksize());
    assertEquals(2, settings.threads());
  }

  @Test
  void parse_badByteSizeOrHugeThreadCount_namesOptionAndValue() {
    assertEquals(
        "--multipart-chunksize is not a byte size (like 8388608, 8MiB or 8MiB+1): '8XiB'",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    StandaloneOptions.parse(
                        "submitter",
                        new String[] {"--broker", "tcp://h:1", "--multipart-chunksize", "8XiB"},
                        ENV))
            .getMessage());
    assertEquals(
        "--threads is too large: 3000000000",
        refusal(new String[] {"--broker", "tcp://h:1", "--threads", "3000000000"}, ENV));
  }

  @Test
  void usage_namesEveryOptionOfTheRole() {
    String submitter = StandaloneOptions.usage("submitter");
    for (String option :
        new String[] {
          "--broker",
          "--threads",
          "--endpoint-url",
          "--region",
          "--read-timeout-seconds",
          "--download-root",
          "--multipart-threshold",
          "--multipart-chunksize"
        }) {
      assertTrue(StandaloneOptions.synopsis("submitter").contains(option), option);
      assertTrue(submitter.contains("\n  " + option + " "), option);
    }
    assertFalse(StandaloneOptions.synopsis("worker").contains("--download-root"));
  }

  @Test
  void wantsHelp_onlyForHelpOrH() {
    assertTrue(StandaloneOptions.wantsHelp(new String[] {"--broker", "tcp://h:1", "--help"}));
    assertTrue(StandaloneOptions.wantsHelp(new String[] {"-h"}));
    assertFalse(StandaloneOptions.wantsHelp(new String[] {"--broker", "tcp://h:1"}));
    assertFalse(StandaloneOptions.wantsHelp(new String[] {"--helpful", "x"}));
    assertTrue(StandaloneOptions.wantsHelp(new String[] {"--user=u", "-h"}));
    assertFalse(StandaloneOptions.wantsHelp(new String[] {"--password", "-h"}), "a value");
  }

  @Test
  void parse_halfTheBrokerCredentials_namesBothVariables() {
    assertEquals(
        "set both S3POOL_BROKER_USER and S3POOL_BROKER_PASSWORD for the broker, or neither",
        refusal(new String[] {"--broker", "tcp://h:1"}, Map.of("S3POOL_BROKER_PASSWORD", "x")));
  }

  @Test
  void parse_missingBroker_saysItIsRequired() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StandaloneOptions.parse("worker", new String[0], ENV));
    assertTrue(e.getMessage().startsWith("--broker URL is required"), e.getMessage());
  }

  @Test
  void parse_submitterOptionOnAWorker_isUnknown() {
    assertEquals(
        "unknown option for worker: --download-root",
        refusal(new String[] {"--broker", "tcp://h:1", "--download-root", "/x"}, ENV));
  }

  @Test
  void parse_badNumbers_nameOptionAndValue() {
    assertEquals(
        "--threads is not a number: 'many'",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    StandaloneOptions.parse(
                        "worker", new String[] {"--broker", "tcp://h:1", "--threads", "many"}, ENV))
            .getMessage());
    assertEquals(
        "--threads must be > 0: 0",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    StandaloneOptions.parse(
                        "worker", new String[] {"--broker", "tcp://h:1", "--threads", "0"}, ENV))
            .getMessage());
    assertEquals(
        "--broker needs a value",
        assertThrows(
                IllegalArgumentException.class,
                () -> StandaloneOptions.parse("worker", new String[] {"--broker"}, ENV))
            .getMessage());
  }

  /** The message of the IllegalArgumentException a worker's {@code args} get. */
  private static String refusal(String[] args, Map<String, String> env) {
    return assertThrows(
            IllegalArgumentException.class, () -> StandaloneOptions.parse("worker", args, env))
        .getMessage();
  }
}
