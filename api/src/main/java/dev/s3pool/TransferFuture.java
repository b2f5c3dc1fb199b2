package dev.s3pool;

import java.util.concurrent.CompletableFuture;

/**
 * The pending result of one {@link ProcessPoolDownloader#downloadFile download}.
 *
 * <pre>{@code
 * TransferFuture future = downloader.downloadFile("my-bucket", "data.csv", Path.of("/tmp/data.csv"));
 * future.result(); // blocks; throws S3TransferException when the download failed
 * }</pre>
 *
 * <p>Unlike the reference, {@link #result()} keeps working after the downloader was shut down.
 */
public interface TransferFuture {

  /** True once the transfer succeeded, failed or was cancelled. */
  boolean done();

  /**
   * Blocks until the transfer is done.
   *
   * @throws S3TransferException when the download failed (see its subclasses)
   * @throws TransferCancelledException when the transfer was cancelled, or the waiting thread was
   *     interrupted (which cancels the transfer)
   */
  void result();

  /**
   * Asks for the transfer to be cancelled: queued parts are skipped and the temporary file is
   * removed; the future then fails with {@link TransferCancelledException}. Does nothing once the
   * transfer is done.
   */
  void cancel();

  /** The transfer's metadata. */
  TransferMeta meta();

  /**
   * The outcome as a {@link CompletableFuture} to compose with. Cancelling it cancels the transfer.
   */
  CompletableFuture<Void> completion();
}
