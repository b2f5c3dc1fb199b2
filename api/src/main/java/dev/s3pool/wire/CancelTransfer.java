package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * Asks the submitter to cancel a transfer.
 *
 * @param transferId the transfer to cancel
 */
public record CancelTransfer(TransferId transferId) implements WireMessage {

  public CancelTransfer {
    Objects.requireNonNull(transferId, "transferId");
  }
}
