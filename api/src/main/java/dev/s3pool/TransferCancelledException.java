package dev.s3pool;

import java.util.concurrent.CancellationException;

/**
 * The transfer was cancelled; its temporary file is gone and the target file untouched.
 *
 * <pre>{@code
 * future.cancel();
 * assertThrows(TransferCancelledException.class, future::result);
 * }</pre>
 */
public final class TransferCancelledException extends CancellationException {

  private static final long serialVersionUID = 1L;

  public TransferCancelledException(String message) {
    super(message);
  }
}
