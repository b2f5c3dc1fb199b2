package dev.s3pool;

import java.util.Map;

/**
 * What is known about a transfer besides its outcome.
 *
 * <pre>{@code
 * TransferMeta meta = future.meta();
 * meta.userContext().put("owner", "nightly-export");
 * log.info("transferId={} key={}", meta.transferId(), meta.callArgs().key());
 * }</pre>
 */
public interface TransferMeta {

  /** The arguments {@code downloadFile} was called with. */
  CallArgs callArgs();

  /** The id carried by every message of this transfer. */
  TransferId transferId();

  /** A mutable, thread-safe map for the caller's own data; s3pool never reads it. */
  Map<String, Object> userContext();
}
