package dev.s3pool.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerMainTest {

  @Test
  void parse_nothing_loopback61616InMemoryWithoutCredentials() {
    BrokerOptions options = BrokerMain.parse(new String[0], Map.of());

    assertEquals("127.0.0.1", options.host());
    assertEquals(61616, options.port());
    assertNull(options.user());
    assertNull(options.dataDir());
  }

  @Test
  void parse_everything_passwordMayComeFromTheEnvironment() {
    BrokerOptions options =
        BrokerMain.parse(
            new String[] {"--bind", "0.0.0.0:7000", "--user", "fleet", "--data-dir", "journal"},
            Map.of("S3POOL_BROKER_PASSWORD", "s3cret"));

    assertEquals("0.0.0.0", options.host());
    assertEquals(7000, options.port());
    assertEquals("fleet", options.user());
    assertEquals("s3cret", options.password());
    assertEquals(Path.of("journal").toAbsolutePath(), options.dataDir());
  }

  @Test
  void parse_nameEqualsValue_asForEveryCommand() {
    BrokerOptions options =
        BrokerMain.parse(new String[] {"--bind=127.0.0.1:7001", "--data-dir=journal"}, Map.of());

    assertEquals(7001, options.port());
    assertEquals(Path.of("journal").toAbsolutePath(), options.dataDir());
  }

  @Test
  void parse_publicAddressWithoutCredentials_refused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BrokerMain.parse(new String[] {"--bind", "0.0.0.0:7000"}, Map.of()));
    assertTrue(e.getMessage().contains("must require credentials"), e.getMessage());
  }

  @Test
  void parse_badBind_namesTheValue() {
    assertEquals(
        "--bind takes HOST:PORT: '7000'",
        assertThrows(
                IllegalArgumentException.class,
                () -> BrokerMain.parse(new String[] {"--bind", "7000"}, Map.of()))
            .getMessage());
    assertEquals(
        "unknown option for broker: --port",
        assertThrows(
                IllegalArgumentException.class,
                () -> BrokerMain.parse(new String[] {"--port", "1"}, Map.of()))
            .getMessage());
  }
}
