package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.broker.BrokerOptions;
import dev.s3pool.broker.S3PoolBroker;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.wire.Destinations;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.DivertConfiguration;
import org.apache.activemq.artemis.core.server.ComponentConfigurationRoutingType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A standalone s3pool fleet for the tests: an in-process, persistent {@link S3PoolBroker} with a
 * user and password on a fixed port (so that it restarts on the same URL), and submitter and worker
 * JVMs started as real processes with the standalone command line. Credentials reach the processes
 * through their environment only, never their command line.
 *
 * <pre>{@code
 * try (StandaloneFleet fleet = StandaloneFleet.start(dir, s3)) {
 *   fleet.startSubmitter(s3.endpoint());
 *   fleet.startWorker(s3.endpoint());
 *   fleet.downloader().downloadFile(bucket, key, target).completion().get(60, SECONDS);
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes the downloaders it made, stops every process it started (SIGTERM, then
 * SIGKILL, each with a bounded wait), stops the broker, and fails if a process is still alive.
 */
final class StandaloneFleet implements AutoCloseable {

  static final String USER = "fleet-user";
  static final Duration WAIT = Duration.ofSeconds(60);

  private static final Duration STOP_WAIT = Duration.ofSeconds(15);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  /** Every process started by any fleet in this JVM, killed if the JVM exits with them alive. */
  private static final Set<Process> EVERY_PROCESS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> EVERY_PROCESS.forEach(Process::destroyForcibly), "standalone-fleet-kill"));
  }

  private final BrokerOptions options;
  private final LocalS3Server s3;
  private final Path logDir;
  private final List<Started> started = new CopyOnWriteArrayList<>();
  private final List<ProcessPoolDownloader> downloaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger launches = new AtomicInteger();
  private volatile S3PoolBroker broker;

  /** A process this fleet started, with the file its output goes to. */
  record Started(String role, Process process, Path log) {
    long pid() {
      return process.pid();
    }

    /** The last lines of its output, for failure messages. */
    String tail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return role
            + " pid "
            + process.pid()
            + (process.isAlive() ? " (alive)" : " (exited " + process.exitValue() + ")")
            + ":\n  "
            + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
      } catch (IOException e) {
        return role + " pid " + process.pid() + ": cannot read " + log + ": " + e;
      }
    }
  }

  /** A message read from a spy queue: its properties and, for a map or text message, its body. */
  record Spied(Map<String, Object> properties, Map<String, Object> body, String text) {
    String property(String name) {
      Object value = properties.get(name);
      return value == null ? null : value.toString();
    }

    String field(String name) {
      Object value = body.get(name);
      return value == null ? null : value.toString();
    }
  }

  private StandaloneFleet(BrokerOptions options, LocalS3Server s3, Path logDir) {
    this.options = options;
    this.s3 = s3;
    this.logDir = logDir;
  }

  /**
   * Starts a persistent broker with its journal below {@code dir}, on a free port it keeps across
   * restarts, with user {@link #USER} and a random password. Processes will use {@code s3}'s keys.
   */
  static StandaloneFleet start(Path dir, LocalS3Server s3) {
    BrokerOptions options =
        new BrokerOptions(
            "127.0.0.1",
            freePort(),
            USER,
            "broker-password-" + UUID.randomUUID(),
            dir.resolve("broker-data"),
            BrokerOptions.DEFAULT_MAX_SIZE_BYTES);
    Path logs;
    try {
      logs = Files.createDirectories(dir.resolve("process-logs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StandaloneFleet fleet = new StandaloneFleet(options, s3, logs);
    fleet.broker = S3PoolBroker.start(options);
    return fleet;
  }

  S3PoolBroker broker() {
    return broker;
  }

  String url() {
    return broker.tcpUrl();
  }

  String password() {
    return options.password();
  }

  /** Stops the broker and starts it again on the same port, with the same journal. */
  void restartBroker() {
    broker.close();
    broker = S3PoolBroker.start(options);
  }

  /**
   * A downloader that uses this fleet: it connects by URL and starts nothing. Closed by {@link
   * #closeDownloaders()}.
   */
  ProcessPoolDownloader downloader() {
    return track(ProcessPoolDownloader.builder().brokerUrl(url(), USER, password()).build());
  }

  /** Closes {@code downloader} in {@link #closeDownloaders()}. */
  ProcessPoolDownloader track(ProcessPoolDownloader downloader) {
    downloaders.add(downloader);
    return downloader;
  }

  /**
   * Closes the downloaders made or tracked so far, each within a bounded wait: close() waits for
   * every transfer, so one stuck transfer is cancelled by interrupting the closing thread.
   */
  void closeDownloaders() {
    List<ProcessPoolDownloader> open = List.copyOf(downloaders);
    downloaders.clear();
    List<String> stuck = new ArrayList<>();
    for (ProcessPoolDownloader downloader : open) {
      Thread closer = new Thread(downloader::close, "standalone-fleet-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(WAIT.toMillis());
        if (closer.isAlive()) {
          closer.interrupt(); // cancels what is still in flight
          closer.join(STOP_WAIT.toMillis());
          stuck.add(
              closer.isAlive()
                  ? "did not close even when interrupted, at " + stackOf(closer)
                  : "closed only when interrupted");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stuck.add("interrupted while closing");
      }
    }
    assertEquals(List.of(), stuck, "downloaders not closed within " + WAIT);
  }

  /** A plain Artemis JMS connection factory for this broker, with the fleet's credentials. */
  ActiveMQConnectionFactory connectionFactory() {
    return new ActiveMQConnectionFactory(url(), USER, password());
  }

  /**
   * Starts {@code SubmitterMain --broker URL --endpoint-url ENDPOINT --region us-east-1 --threads 2
   * OPTIONS} and waits until it consumes requests and job results.
   */
  Started startSubmitter(URI endpoint, String... options) {
    int before = consumers("s3pool.download-requests");
    Started submitter = launchSubmitter(endpoint, options);
    awaitConsumers(submitter, "s3pool.download-requests", before + 2);
    return submitter;
  }

  /** {@link #startSubmitter} without waiting for it to consume. */
  Started launchSubmitter(URI endpoint, String... options) {
    return launch("submitter", "dev.s3pool.submitter.SubmitterMain", endpoint, options);
  }

  /**
   * Starts {@code WorkerMain --broker URL --endpoint-url ENDPOINT --region us-east-1 --threads 2}
   * and waits until its two threads consume jobs.
   */
  Started startWorker(URI endpoint) {
    int before = consumers("s3pool.worker-jobs");
    Started worker = launch("worker", "dev.s3pool.worker.WorkerMain", endpoint);
    awaitConsumers(worker, "s3pool.worker-jobs", before + 2);
    return worker;
  }

  private Started launch(String role, String mainClass, URI endpoint, String... extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Ds3pool.role=" + role);
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx256m");
    command.add("-D" + LOG_LEVEL_PROPERTY + "=" + System.getProperty(LOG_LEVEL_PROPERTY, "warn"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    Collections.addAll(
        command,
        "--broker",
        url(),
        "--endpoint-url",
        endpoint.toString(),
        "--region",
        s3.region(),
        "--threads",
        "2");
    Collections.addAll(command, extra);
    Path log = logDir.resolve(role + "-" + launches.incrementAndGet() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("S3POOL_"));
    env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
    env.put("AWS_REGION", s3.region());
    env.put("S3POOL_BROKER_USER", USER);
    env.put("S3POOL_BROKER_PASSWORD", password());
    try {
      Process process = builder.start();
      EVERY_PROCESS.add(process);
      Started s = new Started(role, process, log);
      started.add(s);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  /** Consumers the broker now has on {@code queue}. */
  int consumers(String queue) {
    return queue(queue).getConsumerCount();
  }

  /** Messages now in {@code queue}, delivered or not. */
  long messages(String queue) {
    return queue(queue).getMessageCount();
  }

  private Queue queue(String name) {
    Queue queue = broker.server().locateQueue(SimpleString.of(name));
    assertNotNull(queue, () -> "no queue " + name + " on the broker");
    return queue;
  }

  /** Waits until {@code queue} has {@code count} consumers, failing early if the process exits. */
  private void awaitConsumers(Started process, String queue, int count) {
    await(
        WAIT,
        () -> process.role() + " pid " + process.pid() + " consuming " + queue,
        () -> {
          if (!process.process().isAlive()) {
            fail(process.role() + " exited early: " + process.tail());
          }
          return consumers(queue) >= count;
        });
  }

  /** Queues bound to {@code address}: for a topic, one per subscription. */
  int subscriptions(String address) {
    try {
      return broker.server().bindingQuery(SimpleString.of(address)).getQueueNames().size();
    } catch (Exception e) {
      throw new IllegalStateException("cannot query the bindings of " + address, e);
    }
  }

  /**
   * Copies, from now on, every message sent to each of {@code addresses} into a new anycast queue
   * (non-exclusive diverts: the messages still go where they were going), and returns its name.
   */
  String spyOn(String... addresses) {
    String spy = "spy." + UUID.randomUUID();
    try {
      broker
          .server()
          .createQueue(
              QueueConfiguration.of(spy)
                  .setAddress(spy)
                  .setRoutingType(RoutingType.ANYCAST)
                  .setAutoCreateAddress(true));
      for (String address : addresses) {
        broker
            .server()
            .deployDivert(
                new DivertConfiguration()
                    .setName(spy + "<-" + address)
                    .setAddress(address)
                    .setForwardingAddress(spy)
                    .setRoutingType(ComponentConfigurationRoutingType.ANYCAST)
                    .setExclusive(false));
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not set up the spy on " + List.of(addresses), e);
    }
    return spy;
  }

  /** {@link #spyOn} every s3pool address: requests, jobs, results and the monitor topic. */
  String spyOnEveryAddress() {
    return spyOn(
        Destinations.DOWNLOAD_REQUESTS,
        Destinations.WORKER_JOBS,
        Destinations.JOB_RESULTS,
        Destinations.MONITOR);
  }

  /**
   * Waits until {@code queue} holds at least {@code count} messages. A spy queue may count a
   * message a moment after a consumer of another copy saw it: the client's future completes from
   * the monitor topic's copy of the last outcome, perhaps before its diverted copy is counted here.
   */
  void awaitMessages(String queue, long count) {
    await(
        WAIT,
        () -> messages(queue) + " of " + count + " messages on " + queue,
        () -> messages(queue) >= count);
  }

  /** Takes every message now in {@code queue}, each within a bounded wait. */
  List<Spied> drain(String queue) throws JMSException {
    long count = messages(queue);
    List<Spied> spied = new ArrayList<>();
    try (Connection connection = connectionFactory().createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
      for (long i = 0; i < count; i++) {
        Message m = consumer.receive(10_000);
        assertNotNull(m, () -> "message " + spied.size() + " of " + count + " on " + queue);
        spied.add(read(m));
      }
    }
    return spied;
  }

  private static Spied read(Message m) throws JMSException {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Object name : Collections.list((Enumeration<?>) m.getPropertyNames())) {
      properties.put(name.toString(), m.getObjectProperty(name.toString()));
    }
    properties.put("JMSCorrelationID", m.getJMSCorrelationID());
    properties.put("JMSType", m.getJMSType());
    Map<String, Object> body = new LinkedHashMap<>();
    String text = null;
    if (m instanceof MapMessage map) {
      for (Object name : Collections.list((Enumeration<?>) map.getMapNames())) {
        Object value = map.getObject(name.toString());
        body.put(
            name.toString(),
            value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : value);
      }
    } else if (m instanceof TextMessage t) {
      text = t.getText();
    } else if (m instanceof BytesMessage b) {
      byte[] bytes = new byte[(int) b.getBodyLength()];
      b.readBytes(bytes);
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return new Spied(properties, body, text);
  }

  /**
   * Stops {@code process}: SIGTERM and a bounded wait, then SIGKILL and another. Returns whether it
   * is dead.
   */
  static boolean stop(Started process) {
    Process p = process.process();
    try {
      p.destroy();
      if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    boolean dead = !p.isAlive();
    if (dead) {
      EVERY_PROCESS.remove(p);
    }
    return dead;
  }

  /**
   * Closes the downloaders, stops every process this fleet started and the broker; fails if a
   * downloader did not close or a process is still alive.
   */
  @Override
  public void close() {
    List<Long> alive = new ArrayList<>();
    try {
      closeDownloaders();
    } finally {
      stopAll(alive);
    }
    assertEquals(List.of(), alive, "standalone processes alive after their stop");
  }

  private void stopAll(List<Long> alive) {
    try {
      for (Started s : started) {
        if (!stop(s)) {
          alive.add(s.pid());
        }
      }
    } finally {
      broker.close();
    }
  }

  private static String stackOf(Thread thread) {
    StringBuilder stack = new StringBuilder();
    for (StackTraceElement frame : thread.getStackTrace()) {
      stack.append("\n    at ").append(frame);
    }
    return stack.toString();
  }

  /** Polls {@code condition} until true, failing after {@code timeout} with {@code what}. */
  static void await(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + timeout + ": " + what.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what.get());
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
