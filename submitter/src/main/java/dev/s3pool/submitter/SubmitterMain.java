package dev.s3pool.submitter;

import dev.s3pool.runtime.ChildRuntime;
import dev.s3pool.runtime.ConsumerLoop;
import dev.s3pool.runtime.Jms;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.spi.ChildSettings;
import dev.s3pool.wire.CancelTransfer;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.JobFailed;
import dev.s3pool.wire.MalformedMessageException;
import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Entry point of an s3pool submitter JVM: request-handling threads (HeadObject, split, send jobs)
 * and one coordinator thread (counts parts, finalizes files, publishes outcomes).
 *
 * <p>Usage: {@code SubmitterMain --settings-from-stdin} (as the embedded default starts it).
 */
public final class SubmitterMain {

  private static final Logger log = LoggerFactory.getLogger(SubmitterMain.class);

  private SubmitterMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !args[0].equals("--settings-from-stdin")) {
      System.err.println("usage: SubmitterMain --settings-from-stdin");
      System.exit(2);
    }
    List<ConsumerLoop> loops = new ArrayList<>();
    Connection[] connection = new Connection[1];
    ChildSettings settings =
        ChildRuntime.start(
            "submitter",
            () -> {
              loops.forEach(ConsumerLoop::stop);
              closeQuietly(connection[0]);
            });
    S3Client s3 = S3Clients.create(settings.clientConfig(), settings.threads());
    connection[0] =
        Jms.connectionFactory(
                settings.brokerUrl(), settings.brokerUser(), settings.brokerPassword())
            .createConnection();
    TransferCoordinator coordinator = new TransferCoordinator();
    GetObjectSubmitter submitter =
        new GetObjectSubmitter(s3, settings.transferConfig(), coordinator);
    for (int i = 0; i < settings.threads(); i++) {
      ConsumerLoop loop =
          new ConsumerLoop(
              connection[0],
              Destinations.DOWNLOAD_REQUESTS,
              session -> {
                Outbox out = new Outbox(session);
                return message -> onRequest(message, submitter, coordinator, out);
              });
      loops.add(loop);
      loop.start("s3pool-submitter-" + i);
    }
    ConsumerLoop results =
        new ConsumerLoop(
            connection[0],
            Destinations.JOB_RESULTS,
            session -> {
              Outbox out = new Outbox(session);
              return message -> onResult(message, coordinator, out);
            });
    loops.add(results);
    results.start("s3pool-coordinator");
    connection[0].start();
    log.info("submitter ready broker={} threads={}", settings.brokerUrl(), settings.threads());
  }

  private static void onRequest(
      Message message, GetObjectSubmitter submitter, TransferCoordinator coordinator, Outbox out)
      throws Exception {
    WireMessage decoded;
    try {
      decoded = WireCodec.decode(message);
    } catch (MalformedMessageException e) {
      log.error(
          "dropping malformed request messageId={}: {}", message.getJMSMessageID(), e.getMessage());
      return;
    }
    if (decoded instanceof DownloadFileRequest request) {
      String correlationId =
          message.getJMSCorrelationID() != null
              ? message.getJMSCorrelationID()
              : message.getJMSMessageID();
      submitter.submit(request, message.getJMSReplyTo(), correlationId, out);
    } else if (decoded instanceof CancelTransfer cancel) {
      coordinator.cancel(cancel.transferId(), out);
    } else {
      log.error(
          "dropping {} sent to {}",
          decoded.getClass().getSimpleName(),
          Destinations.DOWNLOAD_REQUESTS);
    }
  }

  private static void onResult(Message message, TransferCoordinator coordinator, Outbox out)
      throws Exception {
    WireMessage decoded;
    try {
      decoded = WireCodec.decode(message);
    } catch (MalformedMessageException e) {
      log.error("dropping malformed job result: {}", e.getMessage());
      return;
    }
    if (decoded instanceof JobCompleted completed) {
      coordinator.onCompleted(completed, out);
    } else if (decoded instanceof JobFailed failed) {
      coordinator.onFailed(failed, out);
    } else {
      log.error(
          "dropping {} sent to {}", decoded.getClass().getSimpleName(), Destinations.JOB_RESULTS);
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (Exception e) {
      log.debug("closing the broker connection failed", e);
    }
  }
}
