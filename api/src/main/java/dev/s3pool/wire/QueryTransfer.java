package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * Asks the submitter to publish a transfer's state again, for a client that may have missed an
 * update (it was reconnecting after a broker restart). The answer is a {@link TransferUpdate} on
 * the monitor topic, tagged with {@code clientId}; a transfer the submitter has not seen yet gets
 * no answer.
 *
 * @param transferId the transfer
 * @param clientId the client whose monitor subscription should see the answer
 */
public record QueryTransfer(TransferId transferId, String clientId) implements WireMessage {

  public QueryTransfer {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(clientId, "clientId");
  }
}
