package dev.s3pool.runtime;

import dev.s3pool.spi.ChildSettings;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What every s3pool child JVM does at start: ignore Ctrl-C (the parent decides when children stop),
 * read its {@link ChildSettings} from standard input, and exit once that pipe closes, which happens
 * when the parent stops it or dies.
 */
public final class ChildRuntime {

  private static final Logger log = LoggerFactory.getLogger(ChildRuntime.class);

  /** How long {@code onStop} may take before the JVM halts anyway. */
  private static final long STOP_GRACE_MILLIS = 5_000;

  /**
   * How long a child started by the embedded fleet waits for {@link
   * ChildSettings#BROKER_READY_LINE} before it tries to connect anyway (and then retries for about
   * a minute, see {@link Jms#connectionFactory}).
   */
  private static final long BROKER_READY_WAIT_SECONDS = 60;

  private ChildRuntime() {}

  /** Builds a child's consumer loops once its settings and broker connection exist. */
  public interface Wiring {
    /**
     * Work that needs the settings but not the broker (an S3 client); it runs while the connection
     * to the broker is made, which matters when the broker is still starting.
     */
    default void prepare(ChildSettings settings) throws Exception {}

    List<ConsumerLoop> wire(ChildSettings settings, Connection connection) throws Exception;
  }

  /**
   * The whole life of a child JVM: settings ({@link #start}), a broker connection, the loops {@code
   * wiring} makes (each on its own thread), and a stop that ends them and the connection. A bad
   * command line prints the problem and the usage, and exits with status 2; {@code --help} prints
   * the usage and returns.
   */
  public static void run(String role, String[] args, Wiring wiring) throws Exception {
    run(role, args, 0, wiring);
  }

  /**
   * {@link #run(String, String[], Wiring)} with consumers that buffer up to {@code
   * consumerWindowBytes} of messages ahead (0: none, each receive asks the broker). A queue whose
   * messages should go to whichever consumer is free (jobs) wants 0; one read by a single busy
   * consumer (requests, results) is faster with a window.
   */
  public static void run(String role, String[] args, int consumerWindowBytes, Wiring wiring)
      throws Exception {
    if (StandaloneOptions.wantsHelp(args)) {
      System.out.print(StandaloneOptions.usage(role));
      return;
    }
    List<ConsumerLoop> loops = new CopyOnWriteArrayList<>();
    AtomicReference<Connection> connection = new AtomicReference<>();
    Runnable stop =
        () -> {
          loops.forEach(ConsumerLoop::stop);
          Connection c = connection.get();
          if (c != null) {
            try {
              c.close();
              Jms.stopNetworkThreads();
            } catch (JMSException e) {
              log.debug("role={} closing the broker connection failed", role, e);
            }
          }
        };
    CountDownLatch brokerReady = new CountDownLatch(1);
    ChildSettings settings;
    try {
      settings = start(role, args, stop, brokerReady);
    } catch (IllegalArgumentException e) {
      System.err.println("s3pool " + role + ": " + e.getMessage());
      System.err.println(StandaloneOptions.usage(role));
      System.exit(2);
      return;
    }
    try {
      connectAndWire(role, settings, consumerWindowBytes, wiring, brokerReady, loops, connection);
    } catch (Exception | Error e) {
      // The watch on standard input keeps the JVM alive, so a child that cannot start must end
      // itself; its parent sees the exit.
      log.error("role={} could not start: {}", role, e.toString(), e);
      System.exit(1);
    }
  }

  private static void connectAndWire(
      String role,
      ChildSettings settings,
      int consumerWindowBytes,
      Wiring wiring,
      CountDownLatch brokerReady,
      List<ConsumerLoop> loops,
      AtomicReference<Connection> connection)
      throws Exception {
    ConnectionFactory factory =
        Jms.connectionFactory(
            settings.brokerUrl(),
            settings.brokerUser(),
            settings.brokerPassword(),
            consumerWindowBytes);
    CompletableFuture<Connection> connecting = new CompletableFuture<>();
    Thread connector =
        new Thread(
            () -> {
              try {
                awaitBrokerReady(role, brokerReady);
                connecting.complete(factory.createConnection());
              } catch (JMSException | RuntimeException e) {
                connecting.completeExceptionally(e);
              }
            },
            "s3pool-" + role + "-connect");
    connector.setDaemon(true);
    connector.start();
    wiring.prepare(settings);
    try {
      connection.set(connecting.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JMSException jms) {
        throw jms;
      }
      throw e;
    }
    List<ConsumerLoop> wired = wiring.wire(settings, connection.get());
    for (int i = 0; i < wired.size(); i++) {
      loops.add(wired.get(i));
      wired.get(i).start("s3pool-" + role + "-" + i);
    }
    connection.get().start();
    log.info("role={} ready broker={} loops={}", role, settings.brokerUrl(), wired.size());
  }

  /**
   * Waits until the parent says its broker listens, so that the first connection attempt finds it:
   * an attempt that fails waits for the next retry (100 ms and growing), which used to cost a
   * starting fleet up to 0.3 s after its broker was up.
   */
  private static void awaitBrokerReady(String role, CountDownLatch brokerReady) {
    if (brokerReady.getCount() > 0) {
      log.debug("role={} waiting for the parent's {}", role, ChildSettings.BROKER_READY_LINE);
    }
    try {
      if (!brokerReady.await(BROKER_READY_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn(
            "role={} the parent did not say its broker was ready within {} s; connecting anyway",
            role,
            BROKER_READY_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts a child JVM.
   *
   * <p>With {@code --settings-from-stdin} (the embedded default) it reads the settings block, then
   * watches standard input on a thread of its own. The parent's {@link
   * ChildSettings#BROKER_READY_LINE} opens {@code brokerReady}. When the parent writes {@link
   * ChildSettings#STOP_LINE} and closes the pipe, it runs {@code onStop} (finish the job in hand,
   * close the connection) and exits; when the pipe closes without it, the parent has died, and the
   * JVM exits at once.
   *
   * <p>Otherwise {@code args} are a standalone command line ({@link StandaloneOptions}), {@code
   * brokerReady} is open at once (the connection retries until the broker listens), and {@code
   * onStop} runs at SIGTERM or Ctrl-C.
   *
   * @throws IllegalArgumentException for a bad command line, naming the bad option
   */
  static ChildSettings start(
      String role, String[] args, Runnable onStop, CountDownLatch brokerReady) throws IOException {
    if (args.length == 1 && args[0].equals("--settings-from-stdin")) {
      return start(role, onStop, brokerReady);
    }
    brokerReady.countDown();
    ChildSettings settings = StandaloneOptions.parse(role, args, System.getenv());
    // On its own, the process stops like any server: SIGTERM or Ctrl-C, then a graceful stop.
    Runtime.getRuntime().addShutdownHook(new Thread(onStop, "s3pool-" + role + "-stop"));
    return settings;
  }

  private static ChildSettings start(String role, Runnable onStop, CountDownLatch brokerReady)
      throws IOException {
    ignoreInterrupts();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    ChildSettings settings = ChildSettings.read(in);
    Thread watch =
        new Thread(
            () -> awaitEndOfInput(in, role, onStop, brokerReady),
            "s3pool-" + role + "-parent-watch");
    // Not a daemon: the JVM lives until this thread has stopped everything and exits. Otherwise
    // the end of the last consumer thread would start the JVM's own exit while the network
    // threads still run, and that exit waits 300 ms for threads in native code.
    watch.setDaemon(false);
    watch.start();
    return settings;
  }

  /** Ctrl-C in a terminal reaches the whole process group; children leave it to their parent. */
  public static void ignoreInterrupts() {
    try {
      Signal.handle(new Signal("INT"), signal -> {});
    } catch (IllegalArgumentException e) {
      log.debug("cannot ignore SIGINT on this platform", e);
    }
  }

  private static void awaitEndOfInput(
      BufferedReader in, String role, Runnable onStop, CountDownLatch brokerReady) {
    boolean asked = false;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        asked |= line.equals(ChildSettings.STOP_LINE);
        if (line.equals(ChildSettings.BROKER_READY_LINE)) {
          brokerReady.countDown();
        }
      }
    } catch (IOException e) {
      log.debug("standard input failed; treating the parent as gone", e);
    }
    if (!asked) {
      // The pipe closed without a word: the parent died. In the embedded default the broker died
      // with it, so there is nothing to close gracefully; jobs not committed go back to the
      // queue of whatever broker remains.
      log.warn("role={} parent died; exiting", role);
      Runtime.getRuntime().halt(1);
    }
    log.info("role={} asked to stop", role);
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(STOP_GRACE_MILLIS);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(3);
            },
            "s3pool-" + role + "-halt");
    halt.setDaemon(true);
    halt.start();
    try {
      onStop.run();
    } finally {
      System.exit(0);
    }
  }
}
