package dev.s3pool;

/**
 * A part could not be downloaded after the maximum number of attempts; {@link #getCause()} is the
 * last streaming error (an I/O error, read timeout or premature end of the body).
 *
 * <pre>{@code
 * catch (RetriesExceededException e) {
 *   log.warn("giving up after retries: {}", e.getCause().getMessage());
 * }
 * }</pre>
 */
public final class RetriesExceededException extends S3TransferException {

  private static final long serialVersionUID = 1L;

  public RetriesExceededException(String message, Throwable lastError) {
    super(message, 0, null, "GetObject", lastError);
  }
}
