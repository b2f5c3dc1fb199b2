package dev.s3pool.broker;

import dev.s3pool.spi.ChildSettings;
import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetSettings;
import jakarta.jms.ConnectionFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a broker inside this JVM, protected by a generated password, plus one
 * submitter JVM and the configured number of worker JVMs, all owned and stopped by this fleet.
 */
public final class EmbeddedFleet implements Fleet {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedFleet.class);
  static final String SUBMITTER_MAIN = "dev.s3pool.submitter.SubmitterMain";
  static final String WORKER_MAIN = "dev.s3pool.worker.WorkerMain";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int SUBMITTER_THREADS = 4;

  private final S3PoolBroker broker;
  private final ChildProcess submitter;
  private final List<ChildProcess> workers;

  private EmbeddedFleet(S3PoolBroker broker, ChildProcess submitter, List<ChildProcess> workers) {
    this.broker = broker;
    this.submitter = submitter;
    this.workers = workers;
  }

  /** Starts the broker and the child JVMs; on any failure stops what did start, then throws. */
  public static EmbeddedFleet start(FleetSettings settings) {
    String user = "s3pool";
    String password = generatedPassword();
    S3PoolBroker broker = S3PoolBroker.start(BrokerOptions.embedded(user, password));
    List<ChildProcess> started = new ArrayList<>();
    try {
      ChildProcess submitter =
          ChildProcess.start(
              "submitter",
              SUBMITTER_MAIN,
              childSettings(broker, user, password, SUBMITTER_THREADS, settings),
              settings.childJvmOptions());
      started.add(submitter);
      List<ChildProcess> workers = new ArrayList<>();
      for (int i = 0; i < settings.workerProcesses(); i++) {
        ChildProcess worker =
            ChildProcess.start(
                "worker",
                WORKER_MAIN,
                childSettings(broker, user, password, settings.threadsOfWorker(i), settings),
                settings.childJvmOptions());
        started.add(worker);
        workers.add(worker);
      }
      return new EmbeddedFleet(broker, submitter, List.copyOf(workers));
    } catch (Exception e) {
      stopAll(started);
      broker.close();
      throw new IllegalStateException("could not start s3pool child JVMs: " + e.getMessage(), e);
    }
  }

  private static ChildSettings childSettings(
      S3PoolBroker broker, String user, String password, int threads, FleetSettings settings) {
    return new ChildSettings(
        broker.tcpUrl(),
        user,
        password,
        threads,
        settings.clientConfig(),
        settings.transferConfig());
  }

  @Override
  public ConnectionFactory connectionFactory() {
    return broker.inVmConnectionFactory();
  }

  @Override
  public List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(submitter.handle());
    workers.forEach(w -> all.add(w.handle()));
    return all;
  }

  @Override
  public String failure() {
    String submitterExit = submitter.exitDescription();
    if (submitterExit != null) {
      return submitterExit;
    }
    if (workers.stream().noneMatch(ChildProcess::isAlive)) {
      return "all "
          + workers.size()
          + " worker JVMs exited ("
          + workers.get(0).exitDescription()
          + ")";
    }
    return null;
  }

  /** The broker, for tests and management. */
  public S3PoolBroker broker() {
    return broker;
  }

  @Override
  public void close() {
    List<ChildProcess> all = new ArrayList<>(workers);
    all.add(submitter);
    stopAll(all);
    broker.close();
    log.info("fleet stopped");
  }

  private static void stopAll(List<ChildProcess> children) {
    children.forEach(ChildProcess::requestStop);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    children.forEach(c -> c.awaitExit(deadline));
  }

  private static String generatedPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
