package dev.s3pool.wire;

/** What kind of failure a {@link TransferError} describes. */
public enum ErrorKind {
  /** S3 answered with an error status (4xx, or 5xx after the SDK's own retries). */
  SERVICE,
  /** A part failed on streaming errors on every attempt. */
  RETRIES_EXCEEDED,
  /** The transfer was cancelled. */
  CANCELLED,
  /** The object changed during the download (ETag differs, or 412 to If-Match). */
  OBJECT_CHANGED,
  /** The object is not the size the transfer was planned for (wrong expectedSize). */
  SIZE_MISMATCH,
  /** S3 could not be reached (connection refused, DNS, TLS), after the SDK's own retries. */
  CONNECTION,
  /** The local filesystem refused (missing directory, no permission, disk full). */
  LOCAL_IO,
  /** The request itself was invalid (missing field, path outside the download root). */
  INVALID_REQUEST,
  /** Anything else. */
  INTERNAL
}
