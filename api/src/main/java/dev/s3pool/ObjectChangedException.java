package dev.s3pool;

/**
 * The object changed while it was being downloaded (its ETag differs between parts, or S3 answered
 * 412 to the If-Match of a ranged GET). Nothing was written to the target; downloading again
 * fetches the new version.
 *
 * <pre>{@code
 * catch (ObjectChangedException e) {
 *   future = downloader.downloadFile(bucket, key, target); // try the new version
 * }
 * }</pre>
 */
public final class ObjectChangedException extends S3TransferException {

  private static final long serialVersionUID = 1L;

  public ObjectChangedException(String message, int statusCode, String errorCode) {
    super(message, statusCode, errorCode, "GetObject", null);
  }
}
