package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * The state of one transfer, published on the monitor topic at every change and, for requests with
 * JMSReplyTo, sent there once it is done.
 *
 * @param transferId the transfer's id
 * @param status where it is
 * @param totalBytes object size, or -1 while unknown
 * @param bytesDone bytes written so far
 * @param partsExpected parts the transfer was split into, or 0 while unknown
 * @param partsDone parts written so far
 * @param error why it failed, or null
 */
public record TransferUpdate(
    TransferId transferId,
    TransferStatus status,
    long totalBytes,
    long bytesDone,
    int partsExpected,
    int partsDone,
    TransferError error)
    implements WireMessage {

  public TransferUpdate {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(status, "status");
    if (status == TransferStatus.FAILED || status == TransferStatus.CANCELLED) {
      Objects.requireNonNull(error, "error of a " + status + " transfer");
    }
  }
}
