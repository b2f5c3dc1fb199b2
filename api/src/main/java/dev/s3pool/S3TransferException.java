package dev.s3pool;

/**
 * A download that failed. The message reads like the reference's, for example {@code An error
 * occurred (404) when calling the HeadObject operation: Not Found}.
 *
 * <pre>{@code
 * try {
 *   future.result();
 * } catch (S3TransferException e) {
 *   if (e.statusCode() == 404) { ... }
 * }
 * }</pre>
 *
 * <p>Subclasses tell the caller what to do next: {@link RetriesExceededException} may succeed on a
 * later try; a plain {@code S3TransferException} with a 4xx status will not.
 */
public class S3TransferException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String errorCode;
  private final String operation;

  public S3TransferException(String message) {
    this(message, 0, null, null, null);
  }

  public S3TransferException(
      String message, int statusCode, String errorCode, String operation, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.operation = operation;
  }

  /** The HTTP status S3 answered with, or 0 when the failure did not come from S3. */
  public int statusCode() {
    return statusCode;
  }

  /** S3's error code ({@code NoSuchKey}, {@code AccessDenied}, ...), or null. */
  public String errorCode() {
    return errorCode;
  }

  /** The S3 operation that failed ({@code HeadObject}, {@code GetObject}), or null. */
  public String operation() {
    return operation;
  }
}
