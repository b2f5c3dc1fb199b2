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
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Handles requests; the single jobs of small transfers are held and go out together when the
   * requests handled in one transaction are committed ({@link Outbox#sendHeldJobs}).
   */
  ConsumerLoop.Handler handlerFor(Outbox out) {
    List<TransferRecord> registered = new ArrayList<>();
    return new ConsumerLoop.Handler() {
      @Override
      public void handle(Message message) throws JMSException {
        TransferRecord record = onRequest(message, out);
        if (record != null) {
          registered.add(record);
        }
      }

      @Override
      public void beforeCommit() throws JMSException {
        out.sendHeldJobs();
      }

      @Override
      public void committed() {
        registered.clear();
      }

      @Override
      public void rolledBack() {
        out.dropHeldJobs();
        coordinator.requestsRolledBack(registered);
        registered.clear();
      }
    };
  }

  ConsumerLoop.Handler resultHandlerFor(Outbox out) {
    return new ConsumerLoop.Handler() {
      @Override
      public void handle(Message message) throws JMSException {
        onResult(message, out);
      }

      @Override
      public void committed() {
        coordinator.resultsCommitted();
      }

      @Override
      public void rolledBack() {
        coordinator.rolledBack();
      }
    };
  }

  /** Handles one request; returns the transfer it registered, if any. */
  private TransferRecord onRequest(Message message, Outbox out) throws JMSException {
    WireMessage decoded;
    try {
      decoded = WireCodec.decode(message);
    } catch (MalformedMessageException e) {
      log.error("rejecting request messageId={}: {}", message.getJMSMessageID(), e.getMessage());
      out.reject(message, "malformed request: " + e.getMessage());
      return null;
    }
    if (decoded instanceof DownloadFileRequest request) {
      return submitter.submit(request, message.getJMSReplyTo(), Outbox.correlationId(message), out);
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
    return null;
  }

  /** Handles a message of job results: one, or those of the jobs a worker got in one message. */
  private void onResult(Message message, Outbox out) throws JMSException {
    List<WireMessage> results;
    try {
      results = WireCodec.decodeAll(message);
    } catch (MalformedMessageException e) {
      log.error("moving a malformed job result to the dead-letter queue: {}", e.getMessage());
      out.reject(message, e.getMessage());
      return;
    }
    for (WireMessage decoded : results) {
      if (!(decoded instanceof JobCompleted
          || decoded instanceof SizeLearned
          || decoded instanceof JobFailed)) {
        log.error(
            "moving {} sent to {} to the dead-letter queue",
            decoded.getClass().getSimpleName(),
            Destinations.JOB_RESULTS);
        out.reject(message, "not a job result: " + decoded.getClass().getSimpleName());
        return;
      }
    }
    for (WireMessage decoded : results) {
      if (decoded instanceof JobCompleted completed) {
        coordinator.onCompleted(completed, out);
      } else if (decoded instanceof SizeLearned learned) {
        coordinator.onSizeLearned(learned, out);
      } else {
        coordinator.onFailed((JobFailed) decoded, out);
      }
    }
  }
}
