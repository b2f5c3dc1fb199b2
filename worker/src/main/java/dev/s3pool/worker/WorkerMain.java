package dev.s3pool.worker;

import dev.s3pool.runtime.ChildRuntime;
import dev.s3pool.runtime.ConsumerLoop;
import dev.s3pool.runtime.Jms;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.spi.ChildSettings;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.MalformedMessageException;
import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Entry point of an s3pool worker JVM: {@code threads} competing consumers of the job queue, each
 * with its own transacted session, so a job is acknowledged only together with its result.
 *
 * <p>Usage: {@code WorkerMain --settings-from-stdin} (as the embedded default starts it).
 */
public final class WorkerMain {

  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);
  private static final Duration RETRY_WAIT = Duration.ofMillis(200);

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !args[0].equals("--settings-from-stdin")) {
      System.err.println("usage: WorkerMain --settings-from-stdin");
      System.exit(2);
    }
    List<ConsumerLoop> loops = new ArrayList<>();
    Connection[] connection = new Connection[1];
    ChildSettings settings =
        ChildRuntime.start(
            "worker",
            () -> {
              loops.forEach(ConsumerLoop::stop);
              try {
                if (connection[0] != null) {
                  connection[0].close();
                }
              } catch (Exception e) {
                log.debug("closing the broker connection failed", e);
              }
            });
    S3Client s3 = S3Clients.create(settings.clientConfig(), settings.threads());
    connection[0] =
        Jms.connectionFactory(
                settings.brokerUrl(), settings.brokerUser(), settings.brokerPassword())
            .createConnection();
    long pid = ProcessHandle.current().pid();
    for (int i = 0; i < settings.threads(); i++) {
      String name = "worker-" + pid + "-" + i;
      GetObjectWorker worker = new GetObjectWorker(s3, name, RETRY_WAIT);
      ConsumerLoop loop =
          new ConsumerLoop(
              connection[0],
              Destinations.WORKER_JOBS,
              session -> {
                MessageProducer results =
                    session.createProducer(session.createQueue(Destinations.JOB_RESULTS));
                return message -> {
                  WireMessage decoded;
                  try {
                    decoded = WireCodec.decode(message);
                  } catch (MalformedMessageException e) {
                    log.error("dropping malformed job: {}", e.getMessage());
                    return;
                  }
                  if (!(decoded instanceof GetObjectJob job)) {
                    log.error(
                        "dropping {} sent to {}",
                        decoded.getClass().getSimpleName(),
                        Destinations.WORKER_JOBS);
                    return;
                  }
                  WireMessage result = worker.run(job);
                  if (result != null) {
                    results.send(WireCodec.encode(session, result));
                  }
                };
              });
      loops.add(loop);
      loop.start("s3pool-" + name);
    }
    connection[0].start();
    log.info("worker ready broker={} threads={}", settings.brokerUrl(), settings.threads());
  }
}
