package dev.s3pool.submitter;

import dev.s3pool.TransferId;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.TransferError;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import jakarta.jms.Destination;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * One row of the state table: what the coordinator knows of a transfer. Guarded by the {@link
 * TransferCoordinator}'s lock.
 */
final class TransferRecord {

  final TransferId id;
  final DownloadFileRequest request;
  final String clientId;
  final Destination replyTo;
  final String correlationId;
  final Path tempPath;
  final Path finalPath;
  final String source;
  private long totalBytes;
  private int partsExpected;
  private final BitSet partsDone = new BitSet();
  private long bytesDone;
  private String etag;
  private TransferStatus status = TransferStatus.IN_PROGRESS;
  private TransferError error;

  /** Planned parts whose jobs have not been sent yet: {@code unsent} from {@code unsentFrom}. */
  private List<PartPlan.Part> unsent = List.of();

  private int unsentFrom;

  /**
   * What a rollback must restore: the size and part count, and which planned jobs were sent.
   *
   * @param totalBytes the size, or -1
   * @param partsExpected how many parts
   * @param unsent the planned parts
   * @param unsentFrom the first of them not sent
   */
  record Plan(long totalBytes, int partsExpected, List<PartPlan.Part> unsent, int unsentFrom) {}

  /**
   * @param totalBytes the object's size, or -1 until the first part has read it
   * @param partsExpected how many parts; 1 (the first) while the size is unknown
   */
  TransferRecord(
      DownloadFileRequest request,
      Destination replyTo,
      String correlationId,
      Path tempPath,
      Path finalPath,
      String etag,
      long totalBytes,
      int partsExpected) {
    this.request = request;
    this.id = request.transferId();
    this.clientId = request.clientId();
    this.source = "s3://" + request.bucket() + "/" + request.key();
    this.replyTo = replyTo;
    this.correlationId = correlationId;
    this.tempPath = tempPath;
    this.finalPath = finalPath;
    this.etag = etag;
    this.totalBytes = totalBytes;
    this.partsExpected = partsExpected;
  }

  long totalBytes() {
    return totalBytes;
  }

  int partsExpected() {
    return partsExpected;
  }

  boolean sizeKnown() {
    return totalBytes >= 0;
  }

  /** The first part has read the object's size; the {@code rest} of the parts will follow it. */
  void sizeLearned(long size, List<PartPlan.Part> rest) {
    totalBytes = size;
    partsExpected = 1 + rest.size();
    toSend(rest);
  }

  /** These parts' jobs are to be sent, a few now and the others later ({@link #takeUnsent}). */
  void toSend(List<PartPlan.Part> parts) {
    unsent = parts;
    unsentFrom = 0;
  }

  /** Up to {@code max} planned parts whose jobs were not sent yet; they count as sent now. */
  List<PartPlan.Part> takeUnsent(int max) {
    int to = (int) Math.min(unsent.size(), (long) unsentFrom + max);
    List<PartPlan.Part> taken = unsent.subList(unsentFrom, to);
    unsentFrom = to;
    return taken;
  }

  Plan plan() {
    return new Plan(totalBytes, partsExpected, unsent, unsentFrom);
  }

  /** Back to {@code plan}: the jobs planned or sent since were rolled back, never sent. */
  void restore(Plan plan) {
    totalBytes = plan.totalBytes();
    partsExpected = plan.partsExpected();
    unsent = plan.unsent();
    unsentFrom = plan.unsentFrom();
  }

  /** The GET job for {@code part}; the first part of an unknown size learns it. */
  GetObjectJob job(PartPlan.Part part) {
    return new GetObjectJob(
        id,
        request.bucket(),
        request.key(),
        tempPath.toString(),
        finalPath.toString(),
        part.index(),
        sizeKnown() ? partsExpected : 0,
        part.offset(),
        part.length(),
        totalBytes,
        part.range(),
        etag,
        request.extraArgs());
  }

  /** Counts a part once; returns false when it was already counted. */
  boolean markPartDone(int index, long bytes) {
    if (index < 0 || index >= partsExpected || partsDone.get(index)) {
      return false;
    }
    partsDone.set(index);
    bytesDone += bytes;
    return true;
  }

  /**
   * Checks that a part came from the same object version as the others: the ETag of the first part
   * to complete. Returns the differing ETag, or null.
   */
  String etagMismatch(String partEtag) {
    if (partEtag == null) {
      return null;
    }
    if (etag == null) {
      etag = partEtag;
      return null;
    }
    return etag.equals(partEtag) ? null : partEtag;
  }

  String etag() {
    return etag;
  }

  boolean allPartsDone() {
    return partsDone.cardinality() == partsExpected;
  }

  void end(TransferStatus status, TransferError error) {
    this.status = status;
    this.error = error;
  }

  TransferStatus status() {
    return status;
  }

  TransferUpdate update() {
    return new TransferUpdate(
        id, status, totalBytes, bytesDone, partsExpected, partsDone.cardinality(), error);
  }
}
