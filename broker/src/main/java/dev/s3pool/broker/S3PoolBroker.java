package dev.s3pool.broker;

import dev.s3pool.runtime.Jms;
import dev.s3pool.wire.Destinations;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.management.MBeanServerFactory;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Artemis broker with s3pool's destinations and address settings. README's "Broker settings"
 * explains why each setting is there.
 *
 * <pre>{@code
 * try (S3PoolBroker broker = S3PoolBroker.start(BrokerOptions.embedded("s3pool", password))) {
 *   String url = broker.tcpUrl(); // hand to child JVMs
 * }
 * }</pre>
 */
public final class S3PoolBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3PoolBroker.class);
  private static final AtomicInteger IN_VM_IDS = new AtomicInteger();

  /** Brokers running in this JVM; the in-VM connector's shared threads go with the last one. */
  private static final AtomicInteger RUNNING = new AtomicInteger();

  private static final String ROLE = "s3pool";

  /** Memory for queued messages over all addresses before the broker pages to disk. */
  static final long GLOBAL_MAX_SIZE_BYTES = 128L * 1024 * 1024;

  /** Deliveries of one message before the broker moves it to the dead-letter queue. */
  static final int MAX_DELIVERY_ATTEMPTS = 10;

  private final BrokerOptions options;
  private final EmbeddedActiveMQ server;
  private final int inVmId;
  private final int port;
  private final Path tempDir;

  private S3PoolBroker(
      BrokerOptions options, EmbeddedActiveMQ server, int inVmId, int port, Path tempDir) {
    this.options = options;
    this.server = server;
    this.inVmId = inVmId;
    this.port = port;
    this.tempDir = tempDir;
  }

  /** Starts a broker; throws when it cannot bind or start. */
  public static S3PoolBroker start(BrokerOptions options) {
    Path tempDir = null;
    try {
      Path dataDir = options.dataDir();
      if (dataDir == null) {
        tempDir = Files.createTempDirectory("s3pool-broker-");
        dataDir = tempDir;
      }
      Jms.prepareNetty();
      int inVmId = IN_VM_IDS.incrementAndGet();
      int port = options.port() == 0 ? freePort(options.host()) : options.port();
      Configuration config = configuration(options, dataDir, inVmId, port);
      EmbeddedActiveMQ server =
          new EmbeddedActiveMQ()
              .setConfiguration(config)
              // JMX is off (see configuration), but without a server of its own Artemis asks
              // for the platform's, whose creation registers every platform MXBean: about
              // 0.07 s of CPU at each start.
              .setMbeanServer(MBeanServerFactory.newMBeanServer());
      if (options.user() != null) {
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(options.user(), options.password());
        users.addRole(options.user(), ROLE);
        server.setSecurityManager(
            new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
      }
      server.start();
      RUNNING.incrementAndGet();
      log.info(
          "broker started url=tcp://{}:{} persistent={}",
          options.host(),
          port,
          options.dataDir() != null);
      return new S3PoolBroker(options, server, inVmId, port, tempDir);
    } catch (Exception e) {
      deleteRecursively(tempDir);
      throw new IllegalStateException("could not start the s3pool broker: " + e.getMessage(), e);
    }
  }

  static Configuration configuration(BrokerOptions options, Path dataDir, int inVmId, int port)
      throws Exception {
    ConfigurationImpl config = new ConfigurationImpl();
    config.setName("s3pool-" + inVmId);
    config.setPersistenceEnabled(options.dataDir() != null);
    config.setJournalDirectory(dataDir.resolve("journal").toString());
    config.setBindingsDirectory(dataDir.resolve("bindings").toString());
    config.setPagingDirectory(dataDir.resolve("paging").toString());
    config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
    config.setJMXManagementEnabled(false);
    // All addresses together; each address also has its own limit below.
    config.setGlobalMaxSize(GLOBAL_MAX_SIZE_BYTES);
    config.setSecurityEnabled(options.user() != null);
    // Transports are given as objects, not URLs: Artemis's URL parser goes through
    // commons-beanutils, whose set-up costs a starting JVM about 0.1 s of CPU.
    config.addAcceptorConfiguration(
        new TransportConfiguration(InVMAcceptorFactory.class.getName(), inVm(inVmId), "in-vm"));
    config.addAcceptorConfiguration(
        new TransportConfiguration(
            NettyAcceptorFactory.class.getName(),
            Map.of(
                TransportConstants.HOST_PROP_NAME,
                options.host(),
                TransportConstants.PORT_PROP_NAME,
                port,
                // by the time the broker stops, its clients are gone; Netty's default quiet
                // period of 100 ms added that much to every close()
                TransportConstants.QUIET_PERIOD,
                0),
            "tcp"));
    if (options.user() != null) {
      config.putSecurityRoles(
          "#",
          Set.of(
              new Role(
                  ROLE, true, true, true, true, true, true, true, true, true, true, true, true)));
    }
    for (String queue :
        new String[] {
          Destinations.DOWNLOAD_REQUESTS,
          Destinations.WORKER_JOBS,
          Destinations.JOB_RESULTS,
          Destinations.DEAD_LETTER
        }) {
      config.addAddressConfiguration(
          new CoreAddressConfiguration()
              .setName(queue)
              .addRoutingType(RoutingType.ANYCAST)
              .addQueueConfiguration(
                  QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)));
    }
    config.addAddressConfiguration(
        new CoreAddressConfiguration()
            .setName(Destinations.SUBMITTER_LOCK)
            .addRoutingType(RoutingType.ANYCAST)
            .addQueueConfiguration(
                QueueConfiguration.of(Destinations.SUBMITTER_LOCK)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setMaxConsumers(1)));
    config.addAddressConfiguration(
        new CoreAddressConfiguration()
            .setName(Destinations.MONITOR)
            .addRoutingType(RoutingType.MULTICAST));
    config.addAddressSetting("#", addressSettings(DEFAULT_MAX_SIZE));
    config.addAddressSetting(
        Destinations.WORKER_JOBS,
        addressSettings(options.jobsMaxSizeBytes())
            // a job held by a worker that died goes straight to the next worker
            .setRedeliveryDelay(0)
            // workers take one job at a time even when a plain JMS client forgets to say so
            .setDefaultConsumerWindowSize(0));
    return config;
  }

  private static final long DEFAULT_MAX_SIZE = BrokerOptions.DEFAULT_MAX_SIZE_BYTES;

  private static AddressSettings addressSettings(long maxSizeBytes) {
    return new AddressSettings()
        .setMaxSizeBytes(maxSizeBytes)
        .setPageSizeBytes((int) Math.min(maxSizeBytes, 1024 * 1024))
        .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
        .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
        .setDeadLetterAddress(SimpleString.of(Destinations.DEAD_LETTER))
        // s3pool sets no message expiry; naming an address keeps the broker from warning
        .setExpiryAddress(SimpleString.of(Destinations.DEAD_LETTER))
        .setRedeliveryDelay(100);
  }

  /** The URL child JVMs and remote clients connect with. */
  public String tcpUrl() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return "tcp://" + host + ":" + port;
  }

  /** A connection factory for clients inside this JVM (no network hop). */
  public ConnectionFactory inVmConnectionFactory() {
    ActiveMQConnectionFactory factory =
        new ActiveMQConnectionFactory(
            false, new TransportConfiguration(InVMConnectorFactory.class.getName(), inVm(inVmId)));
    factory.setUser(options.user());
    factory.setPassword(options.password());
    return factory;
  }

  private static Map<String, Object> inVm(int inVmId) {
    return Map.of(
        org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants.SERVER_ID_PROP_NAME,
        inVmId);
  }

  /** The running Artemis server, for tests and management. */
  public ActiveMQServer server() {
    return server.getActiveMQServer();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("broker did not stop cleanly", e);
    } finally {
      if (RUNNING.decrementAndGet() == 0) {
        // The in-VM connector keeps a JVM-wide pool of non-daemon threads, idle for 60 s before
        // they end: without this, a program's JVM would linger a minute after close().
        InVMConnector.resetThreadPool();
      }
      deleteRecursively(tempDir);
    }
  }

  /** A TCP port that is free on {@code host} now, for a broker about to start. */
  static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
