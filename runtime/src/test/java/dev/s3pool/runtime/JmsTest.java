package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JmsTest {

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:61616", "tcp://broker.example.com:5445/"})
  void factory_plainTcpUrl_connectsWhereTheUrlParserWould(String url) throws Exception {
    try (ActiveMQConnectionFactory direct = Jms.factory(url, "fleet", "s3cret");
        ActiveMQConnectionFactory parsed = new ActiveMQConnectionFactory(url, "fleet", "s3cret")) {
      assertEquals(connectors(parsed), connectors(direct));
      assertEquals(parsed.isHA(), direct.isHA());
      assertFalse(direct.isHA());
      assertEquals("fleet", direct.getUser());
      assertEquals("s3cret", direct.getPassword());
    }
  }

  @Test
  void factory_urlWithParameters_goesThroughTheParser() throws Exception {
    try (ActiveMQConnectionFactory f =
        Jms.factory("tcp://127.0.0.1:61616?connectionTTL=1234", null, null)) {
      assertEquals(1234, f.getConnectionTTL());
    }
  }

  @Test
  void factory_failoverList_keepsEveryBroker() throws Exception {
    try (ActiveMQConnectionFactory f =
        Jms.factory("(tcp://10.0.0.1:61616,tcp://10.0.0.2:61616)?ha=true", null, null)) {
      assertEquals(2, f.getStaticConnectors().length);
      assertEquals(true, f.isHA());
    }
  }

  @Test
  void connectionFactory_setsTheConsumerWindow() throws Exception {
    try (ActiveMQConnectionFactory f =
        (ActiveMQConnectionFactory)
            Jms.connectionFactory("tcp://127.0.0.1:61616", null, null, 65_536)) {
      assertEquals(65_536, f.getConsumerWindowSize());
      assertEquals(-1, f.getReconnectAttempts());
    }
  }

  @Test
  void skipNettyVersionScan_leavesTheVersionUnknownAndTheContextLoaderAsItWas() {
    ClassLoader before = Thread.currentThread().getContextClassLoader();

    Jms.skipNettyVersionScan();

    assertEquals("unknown", TransportConstants.NETTY_VERSION);
    assertSame(before, Thread.currentThread().getContextClassLoader());
  }

  @Test
  void daemonGlobalExecutorThread_nettysGlobalExecutorRunsOnADaemonThread() throws Exception {
    assumeTrue(Runtime.version().feature() < 26, "left as it is on Java 26+");

    Jms.daemonGlobalExecutorThread();

    // A thread started before the change is still the old kind: let it end first.
    try {
      assertTrue(GlobalEventExecutor.INSTANCE.awaitInactivity(10, TimeUnit.SECONDS));
    } catch (IllegalStateException neverStarted) {
      // no thread yet in this JVM
    }
    CompletableFuture<Boolean> daemon = new CompletableFuture<>();
    GlobalEventExecutor.INSTANCE.execute(() -> daemon.complete(Thread.currentThread().isDaemon()));
    assertTrue(daemon.get(10, TimeUnit.SECONDS), "the executor's thread is not a daemon");
  }

  /** Factory name and host/port of each connector; the generated transport names differ. */
  private static List<String> connectors(ActiveMQConnectionFactory f) {
    return Arrays.stream(f.getStaticConnectors()).map(JmsTest::describe).toList();
  }

  private static String describe(TransportConfiguration t) {
    return t.getFactoryClassName()
        + " host="
        + t.getParams().get("host")
        + " port="
        + t.getParams().get("port");
  }
}
