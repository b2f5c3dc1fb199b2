package dev.s3pool.submitter;

import dev.s3pool.runtime.ConsumerLoop;
import dev.s3pool.wire.CancelTransfer;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.JobFailed;
import dev.s3pool.wire.MalformedMessageException;
import dev.s3pool.wire.QueryTransfer;
import dev.s3pool.wire.SizeLearned;
import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches what reaches the submitter: requests and cancels to the {@link GetObjectSubmitter} and
 * the {@link TransferCoordinator}, job results to the coordinator. A request that breaks the wire
 * contract is answered with an error on its JMSReplyTo, or moved to the dead-letter queue when it
 * has none; either way the submitter carries on.
 */
final class RequestHandler {

  private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

  private final GetObjectSubmitter submitter;
  private final TransferCoordinator coordinator;

  RequestHandler(GetObjectSubmitter submitter, TransferCoordinator coordinator) {
    this.submitter = submitter;
    this.coordinator = coordinator;
  }

  ConsumerLoop.Handler handlerFor(Outbox out) {
    return message -> onRequest(message, out);
  }

  ConsumerLoop.Handler resultHandlerFor(Outbox out) {
    return new ConsumerLoop.Handler() {
      @Override
      public void handle(Message message) throws JMSException {
        onResult(message, out);
      }

      @Override
      public void rolledBack() {
        coordinator.rolledBack();
      }
    };
  }

  private void onRequest(Message message, Outbox out) throws JMSException {
    WireMessage decoded;
    try {
      decoded = WireCodec.decode(message);
    } catch (MalformedMessageException e) {
      log.error("rejecting request messageId={}: {}", message.getJMSMessageID(), e.getMessage());
      out.reject(message, "malformed request: " + e.getMessage());
      return;
    }
    if (decoded instanceof DownloadFileRequest request) {
      submitter.submit(request, message.getJMSReplyTo(), Outbox.correlationId(message), out);
    } else if (decoded instanceof CancelTransfer cancel) {
      coordinator.cancel(cancel.transferId(), out);
    } else if (decoded instanceof QueryTransfer query) {
      submitter.query(query, message.getJMSReplyTo(), Outbox.correlationId(message), out);
    } else {
      String reason =
          decoded.getClass().getSimpleName()
              + " does not belong on "
              + Destinations.DOWNLOAD_REQUESTS;
      log.error("rejecting request messageId={}: {}", message.getJMSMessageID(), reason);
      out.reject(message, reason);
    }
  }

  private void onResult(Message message, Outbox out) throws JMSException {
    WireMessage decoded;
    try {
      decoded = WireCodec.decode(message);
    } catch (MalformedMessageException e) {
      log.error("moving a malformed job result to the dead-letter queue: {}", e.getMessage());
      out.reject(message, e.getMessage());
      return;
    }
    if (decoded instanceof JobCompleted completed) {
      coordinator.onCompleted(completed, out);
    } else if (decoded instanceof SizeLearned learned) {
      coordinator.onSizeLearned(learned, out);
    } else if (decoded instanceof JobFailed failed) {
      coordinator.onFailed(failed, out);
    } else {
      log.error(
          "moving {} sent to {} to the dead-letter queue",
          decoded.getClass().getSimpleName(),
          Destinations.JOB_RESULTS);
      out.reject(message, "not a job result");
    }
  }
}
