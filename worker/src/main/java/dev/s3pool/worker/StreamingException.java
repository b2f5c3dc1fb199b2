package dev.s3pool.worker;

import java.io.IOException;

/**
 * An error while reading a GetObject body: an I/O error, a read timeout, or a body that ended
 * early. The only kind of error the worker retries.
 */
final class StreamingException extends Exception {

  private static final long serialVersionUID = 1L;

  StreamingException(IOException cause) {
    super(cause.toString(), cause);
  }

  @Override
  public synchronized IOException getCause() {
    return (IOException) super.getCause();
  }
}
