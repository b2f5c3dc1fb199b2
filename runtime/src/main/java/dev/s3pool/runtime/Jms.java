package dev.s3pool.runtime;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.SharedEventLoopGroup;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection factories for child JVMs, by broker URL. */
public final class Jms {

  /** {@code tcp://host:port}, nothing more: a host name or IPv4 address, no query, no list. */
  private static final Pattern PLAIN_TCP_URL =
      Pattern.compile("tcp://([A-Za-z0-9][A-Za-z0-9.-]*):([0-9]{1,5})/?");

  private static final String NETTY_VERSIONS = "META-INF/io.netty.versions.properties";

  private static final Logger log = LoggerFactory.getLogger(Jms.class);

  private static boolean nettyConstantsReady;

  private static boolean globalExecutorDaemon;

  private Jms() {}

  /**
   * A factory for {@code url} (Artemis core URL such as {@code tcp://127.0.0.1:61616}) with
   * consumer window 0: a consumer holds no prefetched messages, so jobs go to whichever worker is
   * free (competing consumers), and a slow worker never sits on a backlog. A lost connection is
   * re-established for as long as it takes (a broker restart).
   */
  public static ConnectionFactory connectionFactory(String url, String user, String password) {
    return connectionFactory(url, user, password, 0);
  }

  /** {@link #connectionFactory(String, String, String)} with another consumer window. */
  public static ConnectionFactory connectionFactory(
      String url, String user, String password, int consumerWindowBytes) {
    ActiveMQConnectionFactory factory = factory(url, user, password);
    factory.setConsumerWindowSize(consumerWindowBytes);
    // A process started before its broker waits for it (about a minute), then fails clearly. The
    // first retries come soon: the embedded fleet starts its children while its broker starts.
    factory.setInitialConnectAttempts(20);
    factory.setReconnectAttempts(-1);
    factory.setRetryInterval(100);
    factory.setRetryIntervalMultiplier(1.5);
    factory.setMaxRetryInterval(5_000);
    return factory;
  }

  /**
   * A factory for {@code url}. A plain {@code tcp://host:port}, which is what the embedded fleet
   * hands its children, gets its transport directly: Artemis's URL parser sets the factory's
   * properties through commons-beanutils, and setting that up costs a starting JVM about 0.1 s of
   * CPU. Every other URL (query parameters, a failover list, another scheme) goes through the
   * parser.
   */
  static ActiveMQConnectionFactory factory(String url, String user, String password) {
    prepareNetty();
    Matcher plain = PLAIN_TCP_URL.matcher(url);
    if (!plain.matches() || Integer.parseInt(plain.group(2)) > 65_535) {
      return new ActiveMQConnectionFactory(url, user, password);
    }
    Map<String, Object> params =
        Map.of(
            TransportConstants.HOST_PROP_NAME,
            plain.group(1),
            TransportConstants.PORT_PROP_NAME,
            Integer.parseInt(plain.group(2)));
    ActiveMQConnectionFactory factory =
        new ActiveMQConnectionFactory(
            false, new TransportConfiguration(NettyConnectorFactory.class.getName(), params));
    factory.setUser(user);
    factory.setPassword(password);
    return factory;
  }

  /**
   * Prepares Netty for s3pool's use of it in this JVM: {@link #skipNettyVersionScan()} and {@link
   * #daemonGlobalExecutorThread()}. Call it before the first Netty connector or acceptor is made.
   */
  public static void prepareNetty() {
    skipNettyVersionScan();
    daemonGlobalExecutorThread();
  }

  /**
   * Makes the thread of Netty's {@link GlobalEventExecutor} a daemon thread. Every Netty event loop
   * that ends (those of the broker's TCP acceptor, and of the JMS client) reports its end on that
   * executor, whose thread Netty starts as a non-daemon thread that ends at its next idle tick, up
   * to a second later. A program whose {@code main} returned right after {@code close()} waited for
   * it: 0 to 1 s, at random, after every download was done. Netty has no setting for this, so the
   * executor's thread factory is replaced by reflection. Where that fails (another Netty), or on
   * Java 26 and later (which warn when a final field is changed), nothing changes but the wait.
   * Later calls do nothing.
   */
  public static synchronized void daemonGlobalExecutorThread() {
    if (globalExecutorDaemon || Runtime.version().feature() >= 26) {
      return;
    }
    globalExecutorDaemon = true;
    try {
      Field factory = GlobalEventExecutor.class.getDeclaredField("threadFactory");
      factory.setAccessible(true);
      // As Netty builds it, but with daemon threads.
      ThreadFactory daemons =
          ThreadExecutorMap.apply(
              new DefaultThreadFactory(
                  DefaultThreadFactory.toPoolName(GlobalEventExecutor.class),
                  true,
                  Thread.NORM_PRIORITY,
                  null),
              GlobalEventExecutor.INSTANCE);
      factory.set(GlobalEventExecutor.INSTANCE, daemons);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("Netty's global executor keeps its non-daemon thread", e);
    }
  }

  /**
   * Initializes Artemis's Netty transport constants without Netty's version scan. Their class
   * initializer asks Netty for its version, only for a debug log line, and Netty reads every {@code
   * META-INF/io.netty.versions.properties} on the classpath and parses the dates in them: about 40
   * ms of CPU in a starting JVM, in each of s3pool's JVMs. With a context class loader that has
   * none of those files the answer is empty, and the version logs as "unknown". Call it before the
   * first Netty connector or acceptor is made; later calls do nothing.
   */
  public static synchronized void skipNettyVersionScan() {
    if (nettyConstantsReady) {
      return;
    }
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(
        new ClassLoader(Jms.class.getClassLoader()) {
          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            return name.equals(NETTY_VERSIONS)
                ? Collections.emptyEnumeration()
                : super.getResources(name);
          }
        });
    try {
      Class.forName(
          TransportConstants.class.getName(), true, TransportConstants.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(context);
      nettyConstantsReady = true;
    }
  }

  /**
   * Ends the JMS client's network threads once its connections are closed, and waits up to 1 s for
   * them. A JVM that exits while a thread sits in a native call (here: epoll_wait) waits 300 ms for
   * it, on every stop.
   */
  public static void stopNetworkThreads() {
    SharedEventLoopGroup.forceShutdown();
    long deadline = System.nanoTime() + 1_000_000_000L;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains("activemq-client-remoting")) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          t.join(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
