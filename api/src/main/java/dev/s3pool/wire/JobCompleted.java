package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * A worker wrote one part completely.
 *
 * @param transferId the transfer's id
 * @param partIndex the part
 * @param bytes bytes written
 * @param objectSize the object's size, read from the response by the first part of an object of
 *     unknown size ({@link GetObjectJob#learnsSize()}); else -1
 * @param etag the ETag of the object the part came from, or null when S3 sent none
 * @param worker which worker (for logs)
 */
public record JobCompleted(
    TransferId transferId, int partIndex, long bytes, long objectSize, String etag, String worker)
    implements WireMessage {

  public JobCompleted {
    Objects.requireNonNull(transferId, "transferId");
  }

  /** A part of an object whose size was known when the part was planned. */
  public JobCompleted(
      TransferId transferId, int partIndex, long bytes, String etag, String worker) {
    this(transferId, partIndex, bytes, -1, etag, worker);
  }
}
