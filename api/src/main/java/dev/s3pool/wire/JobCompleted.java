package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * A worker wrote one part completely.
 *
 * @param transferId the transfer's id
 * @param partIndex the part
 * @param bytes bytes written
 * @param worker which worker (for logs)
 */
public record JobCompleted(TransferId transferId, int partIndex, long bytes, String worker)
    implements WireMessage {

  public JobCompleted {
    Objects.requireNonNull(transferId, "transferId");
  }
}
