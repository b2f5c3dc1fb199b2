package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Objects;

/**
 * Asks the submitter to publish a transfer's state again, for a client that heard nothing of it for
 * a while: an update may have been lost while the client reconnected after a broker restart, or the
 * submitter that held the transfer may have died. The answer is a {@link TransferUpdate} on the
 * monitor topic, tagged with {@code clientId}. A submitter with no record of the transfer answers
 * that it was lost ({@code FAILED}), removes its temporary file when {@code filename} is given, and
 * drops the transfer's request should it still come.
 *
 * @param transferId the transfer
 * @param clientId the client whose monitor subscription should see the answer
 * @param filename the request's filename, or null; names the temporary file of a lost transfer
 */
public record QueryTransfer(TransferId transferId, String clientId, String filename)
    implements WireMessage {

  public QueryTransfer {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(clientId, "clientId");
  }
}
