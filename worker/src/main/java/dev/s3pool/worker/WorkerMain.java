package dev.s3pool.worker;

import dev.s3pool.runtime.ChildRuntime;
import dev.s3pool.runtime.ConsumerLoop;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.spi.ChildSettings;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.MalformedMessageException;
import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of an s3pool worker JVM: {@code threads} competing consumers of the job queue, each
 * with its own transacted session, so a job is acknowledged only together with its result.
 *
 * <p>Started by the embedded default with {@code --settings-from-stdin}, or on its own: {@code
 * WorkerMain --broker URL [--threads N] ...} (see {@code StandaloneOptions}).
 */
public final class WorkerMain {

  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);
  private static final Duration RETRY_WAIT = Duration.ofMillis(200);

  /**
   * Artemis's duplicate-detection header. A result carries its job's message id there, so the
   * broker drops a second result of the same job (a commit retried across a failover).
   */
  static final String DUPLICATE_ID_PROPERTY = "_AMQ_DUPL_ID";

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    ChildRuntime.run(
        "worker",
        args,
        new ChildRuntime.Wiring() {
          private PartSource parts;

          @Override
          public void prepare(ChildSettings settings) {
            SdkPartSource sdk =
                new SdkPartSource(
                    () -> S3Clients.create(settings.clientConfig(), settings.threads()));
            Thread warmUp;
            if (DirectPartSource.enabled()) {
              DirectPartSource direct =
                  new DirectPartSource(settings.clientConfig(), settings.threads(), sdk);
              parts = direct;
              warmUp = new Thread(direct::warmUp, "s3pool-worker-warm-up");
            } else {
              parts = sdk;
              // Built now, and warmed up while the connection and the sessions are set up: the
              // first job's GET is then quicker, and it is on the path of every first download.
              warmUp =
                  new Thread(
                      () -> log.debug("S3 client warmed up: {}", S3Clients.warmUp(sdk.client())),
                      "s3pool-worker-warm-up");
            }
            warmUp.setDaemon(true);
            warmUp.start();
          }

          @Override
          public List<ConsumerLoop> wire(ChildSettings settings, Connection connection) {
            long pid = ProcessHandle.current().pid();
            SizeAnnouncer sizes = new SizeAnnouncer(connection);
            List<ConsumerLoop> loops = new ArrayList<>();
            for (int i = 0; i < settings.threads(); i++) {
              GetObjectWorker worker =
                  new GetObjectWorker(parts, "worker-" + pid + "-" + i, sizes, RETRY_WAIT);
              loops.add(
                  new ConsumerLoop(
                      connection, Destinations.WORKER_JOBS, session -> handler(session, worker)));
            }
            return loops;
          }
        });
  }

  /**
   * Runs the jobs of each message it is handed (one, or several small ones the submitter put in one
   * message) and sends their results, as one message, in the same transaction.
   */
  private static ConsumerLoop.Handler handler(Session session, GetObjectWorker worker)
      throws JMSException {
    MessageProducer results = session.createProducer(session.createQueue(Destinations.JOB_RESULTS));
    return message -> {
      List<WireMessage> done = run(worker, message);
      if (!done.isEmpty()) {
        Message m = WireCodec.encodeAll(session, done);
        m.setStringProperty(DUPLICATE_ID_PROPERTY, "result-of-" + message.getJMSMessageID());
        results.send(m);
      }
    };
  }

  /** The results to report for {@code message}: none for a skipped job, or a message not a job. */
  private static List<WireMessage> run(GetObjectWorker worker, Message message) {
    List<WireMessage> decoded;
    try {
      decoded = WireCodec.decodeAll(message);
    } catch (MalformedMessageException e) {
      log.error("dropping malformed job: {}", e.getMessage());
      return List.of();
    }
    List<WireMessage> results = new ArrayList<>(decoded.size());
    for (WireMessage m : decoded) {
      if (!(m instanceof GetObjectJob job)) {
        log.error("dropping {} sent to {}", m.getClass().getSimpleName(), Destinations.WORKER_JOBS);
        continue;
      }
      WireMessage result = worker.run(job);
      if (result != null) {
        results.add(result);
      }
    }
    return results;
  }
}
