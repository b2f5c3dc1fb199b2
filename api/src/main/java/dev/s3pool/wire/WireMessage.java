package dev.s3pool.wire;

import dev.s3pool.TransferId;

/** A message of the s3pool wire contract; {@link WireCodec} maps each to a JMS MapMessage. */
public sealed interface WireMessage
    permits DownloadFileRequest,
        CancelTransfer,
        QueryTransfer,
        GetObjectJob,
        JobCompleted,
        SizeLearned,
        JobFailed,
        TransferUpdate {

  /** The transfer this message concerns. */
  TransferId transferId();
}
