package dev.s3pool.submitter;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferId;
import dev.s3pool.runtime.S3Errors;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.JobFailed;
import dev.s3pool.wire.QueryTransfer;
import dev.s3pool.wire.SizeLearned;
import dev.s3pool.wire.TransferError;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the state table: counts each part once, and when a transfer ends moves its temporary file
 * onto the target (success) or deletes it (failure, cancel), then publishes the outcome.
 */
final class TransferCoordinator {

  private static final Logger log = LoggerFactory.getLogger(TransferCoordinator.class);
  private static final int REMEMBERED_IDS = 100_000;

  private final ProcessTransferConfig config;
  private final Object lock = new Object();
  private final Map<TransferId, TransferRecord> active = new HashMap<>();

  /** The last word on recently ended transfers, for clients that ask again. */
  private final Map<TransferId, TransferUpdate> ended = bounded();

  /**
   * Transfers that ended before their request came: cancelled first, or reported lost to a client
   * that asked (their request was taken by a submitter that died). Such a request is refused with
   * this error, however often it comes.
   */
  private final Map<TransferId, TransferError> endedBeforeRequest = bounded();

  /**
   * The transfers the results in hand concern, and their plans before those results: what {@link
   * #rolledBack} restores if the results' transaction does not commit. Results come on one thread.
   */
  private final Map<TransferRecord, TransferRecord.Plan> touched = new LinkedHashMap<>();

  TransferCoordinator(ProcessTransferConfig config) {
    this.config = config;
  }

  /**
   * How many of a transfer's jobs go out in the transaction that plans them; the others follow with
   * the transaction of the transfer's next result. A commit of 127 jobs (a 1 GiB object) takes
   * 70–90 ms in a fresh JVM, and the worker threads would wait for all of it. As many as the fleet
   * runs at once ({@code maxRequestProcesses}) keeps them busy meanwhile.
   */
  int firstJobs() {
    return config.maxRequestProcesses();
  }

  /**
   * Sends the first jobs of a transfer just registered, in the request's transaction; the others go
   * out with the transfer's first result. A transfer of one job (a small object, or the first part
   * of one of unknown size) has it held, to go out with other such jobs handled in the same
   * transaction ({@link Outbox#sendHeldJobs}).
   */
  void sendFirstJobs(TransferRecord record, Outbox out) throws JMSException {
    synchronized (lock) {
      if (record.partsExpected() == 1) {
        for (PartPlan.Part only : record.takeUnsent(1)) {
          out.holdJob(record.job(only));
        }
        return;
      }
      sendUnsent(record, firstJobs(), out);
    }
  }

  private void sendUnsent(TransferRecord record, int max, Outbox out) throws JMSException {
    for (PartPlan.Part part : record.takeUnsent(max)) {
      out.sendJob(record.job(part));
    }
  }

  /** Remembers {@code record}'s plan before the results in hand change it. */
  private void touch(TransferRecord record) {
    if (record != null) {
      touched.putIfAbsent(record, record.plan());
    }
  }

  /** The results handled since the last commit were committed: what they changed stands. */
  void resultsCommitted() {
    synchronized (lock) {
      touched.clear();
    }
  }

  /**
   * The transaction of requests that registered these transfers is being rolled back, and the
   * requests will come again: the transfers are forgotten and their temporary files removed, so
   * that a cancel coming meanwhile is remembered for the request instead of ending a transfer whose
   * jobs never went out, and a request refused when it comes again leaves no file behind.
   */
  void requestsRolledBack(List<TransferRecord> registered) {
    synchronized (lock) {
      for (TransferRecord record : registered) {
        active.remove(record.id, record);
        deleteQuietly(record);
      }
    }
  }

  /**
   * Adds a transfer whose jobs are about to be sent. Returns false when it ended before it got here
   * (see {@link #refusal}); the caller then cleans up and reports that.
   */
  boolean register(TransferRecord record) {
    synchronized (lock) {
      if (endedBeforeRequest.containsKey(record.id)) {
        return false;
      }
      active.put(record.id, record);
      return true;
    }
  }

  /**
   * Why a request for {@code id} must not run (it was cancelled or lost before it came), or null.
   */
  TransferError refusal(TransferId id) {
    synchronized (lock) {
      return endedBeforeRequest.get(id);
    }
  }

  /** Remembers the outcome of a transfer that ended before its jobs were sent. */
  void endedBeforeStart(TransferUpdate outcome) {
    synchronized (lock) {
      ended.put(outcome.transferId(), outcome);
    }
  }

  /**
   * Remembers the outcome of a transfer this submitter never saw, told to a client that asked; its
   * request, should it come, is refused with the same error.
   */
  void endedUnseen(TransferUpdate outcome) {
    synchronized (lock) {
      endedBeforeRequest.put(outcome.transferId(), outcome.error());
      ended.put(outcome.transferId(), outcome);
    }
  }

  void onCompleted(JobCompleted completed, Outbox out) throws JMSException {
    synchronized (lock) {
      TransferRecord record = active.get(completed.transferId());
      touch(record);
      if (record == null) {
        return; // late or duplicate result of a transfer that already ended
      }
      if (failedOnOtherVersion(record, completed.partIndex(), completed.etag(), out)) {
        return;
      }
      if (completed.objectSize() >= 0 && !record.sizeKnown()) {
        planRest(record, completed.objectSize(), completed.bytes(), out);
      } else {
        if (completed.objectSize() >= 0 && completed.objectSize() != record.totalBytes()) {
          objectChanged(
              record,
              "it is "
                  + completed.objectSize()
                  + " bytes now, "
                  + record.totalBytes()
                  + " when the parts were planned",
              out);
          return;
        }
        sendUnsent(record, Integer.MAX_VALUE, out);
      }
      if (!record.markPartDone(completed.partIndex(), completed.bytes())) {
        log.debug(
            "transferId={} part={} counted already; ignoring the duplicate",
            completed.transferId(),
            completed.partIndex());
        return;
      }
      if (!record.allPartsDone()) {
        if (record.partsExpected() > 1) {
          out.publish(record);
        }
        return;
      }
      try {
        Files.move(
            record.tempPath,
            record.finalPath,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        end(record, TransferStatus.SUCCEEDED, null, out);
      } catch (IOException e) {
        end(
            record,
            TransferStatus.FAILED,
            TransferError.of(
                ErrorKind.LOCAL_IO,
                "cannot move the download onto "
                    + record.finalPath
                    + ": "
                    + S3Errors.localMessage(e)),
            out);
      }
    }
  }

  /**
   * The first part of an object of unknown size has its response head and tells the size, before
   * its body is written: the other parts are planned now, and the first of them go out in the
   * transaction that takes this message ({@link #planRest}). Later the part's own result finds the
   * size known and sends the others. A first part that ends without this message plans the rest
   * from its result instead ({@link #onCompleted}).
   */
  void onSizeLearned(SizeLearned learned, Outbox out) throws JMSException {
    synchronized (lock) {
      TransferRecord record = active.get(learned.transferId());
      touch(record);
      if (record == null) {
        return; // the transfer ended
      }
      if (record.sizeKnown()) {
        sendUnsent(record, Integer.MAX_VALUE, out); // the size came already: a first part again
        return;
      }
      if (failedOnOtherVersion(record, 0, learned.etag(), out)) {
        return;
      }
      planRest(record, learned.objectSize(), learned.firstPartBytes(), out);
      out.publish(record);
    }
  }

  /**
   * Fails the transfer when a part came from another object version than the ones before: an ETag
   * other than the first one seen. Returns whether it did.
   */
  private boolean failedOnOtherVersion(
      TransferRecord record, int partIndex, String partEtag, Outbox out) throws JMSException {
    String otherEtag = record.etagMismatch(partEtag);
    if (otherEtag == null) {
      return false;
    }
    objectChanged(
        record,
        "part " + (partIndex + 1) + " has ETag " + otherEtag + ", the others " + record.etag(),
        out);
    return true;
  }

  private void objectChanged(TransferRecord record, String how, Outbox out) throws JMSException {
    end(
        record,
        TransferStatus.FAILED,
        TransferError.of(
            ErrorKind.OBJECT_CHANGED, record.source + " changed during the download: " + how),
        out);
  }

  /**
   * The object's size is known from its first part, which delivers bytes [0, {@code firstBytes}):
   * the first of the other parts go out in the current transaction ({@link #firstJobs}), with the
   * first part's ETag as their If-Match, the others with the next result.
   */
  private void planRest(TransferRecord record, long size, long firstBytes, Outbox out)
      throws JMSException {
    List<PartPlan.Part> rest =
        PartPlan.rest(size, firstBytes, config.multipartThreshold(), config.multipartChunksize());
    record.sizeLearned(size, rest);
    log.info("transferId={} size={} parts={}", record.id, size, record.partsExpected());
    sendUnsent(record, firstJobs(), out);
  }

  /**
   * The transaction of the result just handled was rolled back, and the result will come again.
   * Jobs it planned or sent never went out: the transfer's plan goes back to what it was, so that
   * the result plans and sends them again. The rest of what it changed may stand: a part is counted
   * once however often its result comes, and an outcome whose publication was lost is answered when
   * the client asks ({@link #query}).
   */
  void rolledBack() {
    synchronized (lock) {
      for (Map.Entry<TransferRecord, TransferRecord.Plan> e : touched.entrySet()) {
        log.info("transferId={} result rolled back; its jobs will be sent again", e.getKey().id);
        e.getKey().restore(e.getValue());
      }
      touched.clear();
    }
  }

  void onFailed(JobFailed failed, Outbox out) throws JMSException {
    synchronized (lock) {
      TransferRecord record = active.get(failed.transferId());
      if (record != null) {
        // The failure reaches the client; for this process it is an outcome, not an error.
        log.info(
            "transferId={} part={}/{} failed: {}",
            failed.transferId(),
            failed.partIndex() + 1,
            record.partsExpected(),
            failed.error().message());
        end(record, TransferStatus.FAILED, failed.error(), out);
      }
    }
  }

  /** Cancels a running transfer, or remembers the cancel for a request not yet handled. */
  void cancel(TransferId id, Outbox out) throws JMSException {
    synchronized (lock) {
      TransferRecord record = active.get(id);
      if (record != null) {
        end(
            record,
            TransferStatus.CANCELLED,
            TransferError.of(ErrorKind.CANCELLED, "transfer " + id + " was cancelled"),
            out);
      } else if (!ended.containsKey(id)) {
        endedBeforeRequest.put(
            id, TransferError.of(ErrorKind.CANCELLED, "transfer " + id + " was cancelled"));
      }
    }
  }

  /**
   * Publishes a transfer's state again, tagged for the client that asks: the running record, or the
   * outcome of a transfer that ended lately, which also goes to the query's {@code replyTo}.
   * Returns false, publishing nothing, for a transfer it has no record of.
   */
  boolean query(QueryTransfer query, Destination replyTo, String correlationId, Outbox out)
      throws JMSException {
    TransferUpdate state;
    synchronized (lock) {
      TransferRecord record = active.get(query.transferId());
      state = record != null ? record.update() : ended.get(query.transferId());
    }
    if (state == null) {
      return false;
    }
    out.publish(state, query.clientId(), replyTo, correlationId);
    return true;
  }

  private void end(TransferRecord record, TransferStatus status, TransferError error, Outbox out)
      throws JMSException {
    active.remove(record.id);
    if (status != TransferStatus.SUCCEEDED) {
      deleteQuietly(record);
    }
    record.end(status, error);
    ended.put(record.id, record.update());
    log.info(
        "transferId={} status={} bytes={} parts={}",
        record.id,
        status,
        record.totalBytes(),
        record.partsExpected());
    out.publish(record);
  }

  private static void deleteQuietly(TransferRecord record) {
    try {
      Files.deleteIfExists(record.tempPath);
    } catch (IOException e) {
      log.warn("transferId={} cannot delete {}: {}", record.id, record.tempPath, e.toString());
    }
  }

  private static <V> Map<TransferId, V> bounded() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<TransferId, V> eldest) {
        return size() > REMEMBERED_IDS;
      }
    };
  }
}
