package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * A worker gave up on one part.
 *
 * @param transferId the transfer's id
 * @param partIndex the part
 * @param error why
 * @param worker which worker (for logs)
 */
public record JobFailed(TransferId transferId, int partIndex, TransferError error, String worker)
    implements WireMessage {

  public JobFailed {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(error, "error");
  }
}
