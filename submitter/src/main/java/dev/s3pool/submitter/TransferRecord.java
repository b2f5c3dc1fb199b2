package dev.s3pool.submitter;

import dev.s3pool.TransferId;
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
  final String clientId;
  final Destination replyTo;
  final String correlationId;
  final Path tempPath;
  final Path finalPath;
  final String source;
  final long totalBytes;
  final int partsExpected;
  private final BitSet partsDone = new BitSet();
  private long bytesDone;
  private String etag;
  private TransferStatus status = TransferStatus.IN_PROGRESS;
  private TransferError error;

  TransferRecord(
      TransferId id,
      String clientId,
      Destination replyTo,
      String correlationId,
      Path tempPath,
      Path finalPath,
      String source,
      String etag,
      long totalBytes,
      int partsExpected) {
    this.id = id;
    this.clientId = clientId;
    this.replyTo = replyTo;
    this.correlationId = correlationId;
    this.tempPath = tempPath;
    this.finalPath = finalPath;
    this.source = source;
    this.etag = etag;
    this.totalBytes = totalBytes;
    this.partsExpected = partsExpected;
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
   * Checks that a part came from the same object version as the others: the ETag seen by
   * HeadObject, or else by the first part to complete. Returns the differing ETag, or null.
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
