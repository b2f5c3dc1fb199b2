package dev.s3pool.broker;

import dev.s3pool.spi.ChildSettings;
import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetSettings;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a broker inside this JVM, protected by a generated password, plus one
 * submitter JVM and the configured number of worker JVMs, all owned and stopped by this fleet.
 *
 * <p>A child that dies is started again. A dead worker loses nothing: the broker gives its job to
 * another worker. A dead submitter takes the state table with it, so the transfers in flight are
 * reported lost ({@link #onTransfersLost}) and the new submitter serves later ones. A role whose
 * JVMs keep dying ({@value #RESTARTS_PER_WINDOW} restarts within {@link #RESTART_WINDOW}) is not
 * restarted again, and {@link #failure()} says why.
 */
public final class EmbeddedFleet implements Fleet {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedFleet.class);
  static final String SUBMITTER_MAIN = "dev.s3pool.submitter.SubmitterMain";
  static final String WORKER_MAIN = "dev.s3pool.worker.WorkerMain";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int SUBMITTER_THREADS = 4;
  static final int RESTARTS_PER_WINDOW = 5;
  static final Duration RESTART_WINDOW = Duration.ofMinutes(1);

  private static final String USER = "s3pool";

  private volatile S3PoolBroker broker;
  private final FleetSettings settings;
  private final String brokerUrl;
  private final String password;
  private final Object lock = new Object();
  private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
  private final Deque<Long> restarts = new ArrayDeque<>();

  /** Restarts and listeners run here, one at a time, never on the JDK's shared pool. */
  private final ExecutorService supervisor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "s3pool-fleet-supervisor");
            t.setDaemon(true);
            return t;
          });

  private ChildProcess submitter;
  private final List<ChildProcess> workers = new ArrayList<>();
  private String failure;
  private boolean closing;

  private EmbeddedFleet(FleetSettings settings, String brokerUrl, String password) {
    this.settings = settings;
    this.brokerUrl = brokerUrl;
    this.password = password;
  }

  /**
   * Starts the child JVMs and the broker; on any failure stops what did start, then throws. The
   * broker's port is chosen first, so the children get their settings at once and boot and build
   * their S3 clients while the broker starts; once it listens, they are told to connect.
   */
  public static EmbeddedFleet start(FleetSettings settings) {
    String password = generatedPassword();
    BrokerOptions options;
    try {
      options = BrokerOptions.embedded(USER, password);
      options = options.withPort(S3PoolBroker.freePort(options.host()));
    } catch (IOException e) {
      throw new IllegalStateException("could not find a free port for the broker: " + e, e);
    }
    String url = "tcp://" + options.host() + ":" + options.port();
    EmbeddedFleet fleet = new EmbeddedFleet(settings, url, password);
    try {
      synchronized (fleet.lock) {
        fleet.submitter = fleet.startSubmitter();
        for (int i = 0; i < settings.workerProcesses(); i++) {
          fleet.workers.add(fleet.startWorker(i));
        }
      }
      S3PoolBroker broker = S3PoolBroker.start(options);
      synchronized (fleet.lock) {
        fleet.broker = broker;
        fleet.submitter.brokerReady();
        fleet.workers.forEach(ChildProcess::brokerReady);
      }
      return fleet;
    } catch (Exception e) {
      fleet.close();
      throw new IllegalStateException("could not start the s3pool fleet: " + e.getMessage(), e);
    }
  }

  private ChildProcess startSubmitter() throws IOException {
    return startChild("submitter", SUBMITTER_MAIN, SUBMITTER_THREADS, -1);
  }

  private ChildProcess startWorker(int index) throws IOException {
    return startChild("worker", WORKER_MAIN, settings.threadsOfWorker(index), index);
  }

  /** Starts a child and watches it (worker {@code index}, or the submitter for -1). */
  private ChildProcess startChild(String role, String mainClass, int threads, int index)
      throws IOException {
    ChildProcess child =
        ChildProcess.start(role, mainClass, childSettings(threads), settings.childJvmOptions());
    watch(child, index);
    if (broker != null) {
      child.brokerReady(); // a restart: the broker listens already
    }
    return child;
  }

  private ChildSettings childSettings(int threads) {
    return new ChildSettings(
        brokerUrl,
        USER,
        password,
        threads,
        settings.clientConfig(),
        settings.transferConfig(),
        null);
  }

  /** When {@code child} exits, replaces it (worker {@code index}, or the submitter for -1). */
  private void watch(ChildProcess child, int index) {
    var unused = child.handle().onExit().thenRunAsync(() -> onChildExit(child, index), supervisor);
  }

  private void onChildExit(ChildProcess child, int index) {
    String exit;
    synchronized (lock) {
      if (closing || failure != null) {
        return;
      }
      exit = child.exitDescription();
      log.warn("{}; starting a new one", exit);
      if (!restartAllowed()) {
        failure =
            exit
                + ", and s3pool JVMs exited "
                + RESTARTS_PER_WINDOW
                + " times within "
                + RESTART_WINDOW.toSeconds()
                + " s; not starting them again";
        log.error(failure);
        return;
      }
      try {
        if (index < 0) {
          submitter = startSubmitter();
        } else {
          workers.set(index, startWorker(index));
        }
      } catch (IOException e) {
        failure = exit + ", and a new one could not be started: " + e.getMessage();
        log.error(failure);
        return;
      }
    }
    if (index < 0) {
      String reason = "the s3pool submitter JVM died (" + exit + ")";
      lostListeners.forEach(listener -> listener.accept(reason));
    }
  }

  private boolean restartAllowed() {
    long now = System.nanoTime();
    while (!restarts.isEmpty() && now - restarts.peekFirst() > RESTART_WINDOW.toNanos()) {
      restarts.removeFirst();
    }
    if (restarts.size() >= RESTARTS_PER_WINDOW) {
      return false;
    }
    restarts.addLast(now);
    return true;
  }

  @Override
  public ConnectionFactory connectionFactory() {
    return broker.inVmConnectionFactory();
  }

  @Override
  public List<ProcessHandle> processes() {
    synchronized (lock) {
      List<ProcessHandle> all = new ArrayList<>();
      if (submitter != null) {
        all.add(submitter.handle());
      }
      workers.forEach(w -> all.add(w.handle()));
      return all;
    }
  }

  @Override
  public void onTransfersLost(Consumer<String> listener) {
    lostListeners.add(listener);
  }

  @Override
  public String failure() {
    synchronized (lock) {
      return failure;
    }
  }

  /** The broker, for tests and management. */
  public S3PoolBroker broker() {
    return broker;
  }

  @Override
  public void close() {
    List<ChildProcess> all = new ArrayList<>();
    synchronized (lock) {
      closing = true;
      all.addAll(workers);
      if (submitter != null) {
        all.add(submitter);
      }
    }
    all.forEach(ChildProcess::requestStop);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    all.forEach(c -> c.awaitExit(deadline));
    supervisor.shutdownNow();
    if (broker != null) {
      broker.close();
    }
    log.info("fleet stopped");
  }

  private static String generatedPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
