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

  /** The first part has read the object's size; {@code moreParts} GETs will follow it. */
  void sizeLearned(long size, int moreParts) {
    totalBytes = size;
    partsExpected = 1 + moreParts;
  }

  /** Back to an unknown size: the jobs planned from it were rolled back, never sent. */
  void sizeForgotten() {
    totalBytes = -1;
    partsExpected = 1;
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
