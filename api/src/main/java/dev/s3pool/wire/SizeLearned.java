package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * The first part of an object of unknown size has its response head: the object is larger than that
 * part, and the coordinator can plan the other parts now instead of when the first part is written.
 * Sent at once, outside the job's transaction. It only saves time: the part's {@link JobCompleted}
 * carries the size too, so a lost, repeated or late one changes nothing.
 *
 * @param transferId the transfer's id
 * @param objectSize the object's size (Content-Range's total)
 * @param firstPartBytes how many bytes the first part will deliver, from offset 0
 * @param etag the ETag the response came with, or null when S3 sent none
 * @param worker which worker (for logs)
 */
public record SizeLearned(
    TransferId transferId, long objectSize, long firstPartBytes, String etag, String worker)
    implements WireMessage {

  public SizeLearned {
    Objects.requireNonNull(transferId, "transferId");
    if (firstPartBytes < 0 || firstPartBytes >= objectSize) {
      throw new IllegalArgumentException(
          "firstPartBytes must be >= 0 and below objectSize " + objectSize + ": " + firstPartBytes);
    }
  }
}
