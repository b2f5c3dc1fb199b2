package dev.s3pool.wire;

import dev.s3pool.ObjectChangedException;
import dev.s3pool.RemoteStreamingException;
import dev.s3pool.RetriesExceededException;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferCancelledException;
import java.util.Objects;

/**
 * A failure as it travels between JVMs: plain fields, no serialized exception.
 *
 * @param kind what kind of failure
 * @param statusCode HTTP status from S3, or 0
 * @param errorCode S3 error code, or null
 * @param operation S3 operation, or null
 * @param message the complete human-readable message
 * @param causeType class name of the underlying error (for retries exceeded: the last one), or null
 * @param causeMessage message of the underlying error, or null
 */
public record TransferError(
    ErrorKind kind,
    int statusCode,
    String errorCode,
    String operation,
    String message,
    String causeType,
    String causeMessage) {

  public TransferError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** A failure with just a kind and a message. */
  public static TransferError of(ErrorKind kind, String message) {
    return new TransferError(kind, 0, null, null, message, null, null);
  }

  /**
   * An S3 error status, worded as the reference words it: {@code An error occurred (404) when
   * calling the HeadObject operation: Not Found}.
   */
  public static TransferError service(
      int statusCode, String errorCode, String operation, String detail) {
    String code = errorCode == null || errorCode.isBlank() ? String.valueOf(statusCode) : errorCode;
    String message =
        "An error occurred (" + code + ") when calling the " + operation + " operation: " + detail;
    return new TransferError(ErrorKind.SERVICE, statusCode, code, operation, message, null, null);
  }

  /** Rebuilds the exception the caller of {@code result()} sees. */
  public RuntimeException toException() {
    return switch (kind) {
      case CANCELLED -> new TransferCancelledException(message);
      case OBJECT_CHANGED -> new ObjectChangedException(message, statusCode, errorCode);
      case RETRIES_EXCEEDED ->
          new RetriesExceededException(
              message,
              new RemoteStreamingException(
                  causeType == null ? "java.io.IOException" : causeType,
                  String.valueOf(causeMessage)));
      default ->
          new S3TransferException(
              message,
              statusCode,
              errorCode,
              operation,
              causeType == null ? null : new RemoteStreamingException(causeType, causeMessage));
    };
  }
}
