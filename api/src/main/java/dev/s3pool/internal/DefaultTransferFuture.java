package dev.s3pool.internal;

import dev.s3pool.CallArgs;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferCancelledException;
import dev.s3pool.TransferFuture;
import dev.s3pool.TransferId;
import dev.s3pool.TransferMeta;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** The client-side mirror of one transfer; completed from the monitor topic. */
public final class DefaultTransferFuture implements TransferFuture {

  private final Meta meta;
  private final CompletableFuture<Void> promise = new CompletableFuture<>();

  /**
   * What callers get: completing or cancelling it cannot forge the transfer's outcome. It ends as
   * the transfer ends, with the same exception unwrapped, so a cancelled transfer reads as
   * cancelled ({@code isCancelled()}, {@code get()} throws CancellationException).
   */
  private final CompletableFuture<Void> view = new CompletableFuture<>();

  private final Consumer<TransferId> canceller;
  private volatile long bytesDone;
  private volatile long totalBytes = -1;
  private volatile long lastHeardNanos = System.nanoTime();

  public DefaultTransferFuture(CallArgs callArgs, TransferId id, Consumer<TransferId> canceller) {
    this.meta = new Meta(callArgs, id);
    this.canceller = canceller;
    // Cancelling the CompletableFuture callers hold (completion().cancel(..)) cancels the
    // transfer; result() then reports the outcome the submitter confirms.
    var forwarded =
        promise.whenComplete(
            (ok, error) -> {
              if (error == null) {
                view.complete(null);
              } else {
                view.completeExceptionally(
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error);
              }
            });
    var unused =
        view.whenComplete(
            (ok, error) -> {
              if (error instanceof CancellationException && !promise.isDone()) {
                canceller.accept(id);
              }
            });
  }

  /** Applies an update from the monitor topic; returns true when it ended the transfer. */
  public boolean apply(TransferUpdate update) {
    lastHeardNanos = System.nanoTime();
    bytesDone = update.bytesDone();
    totalBytes = update.totalBytes();
    if (!update.status().isDone()) {
      return false;
    }
    if (update.status() == TransferStatus.SUCCEEDED) {
      promise.complete(null);
    } else {
      promise.completeExceptionally(update.error().toException());
    }
    return true;
  }

  /** Fails the transfer locally (the request could not be sent, the fleet died, ...). */
  public void fail(RuntimeException error) {
    promise.completeExceptionally(error);
  }

  /** The transfer's own outcome, which callers of {@link #completion()} cannot change. */
  public CompletableFuture<Void> outcome() {
    return promise;
  }

  /**
   * True when nothing was heard of the transfer for {@code quietNanos}; then the clock restarts, so
   * that the caller asks about it once per quiet period.
   */
  public boolean quietFor(long quietNanos) {
    long now = System.nanoTime();
    if (now - lastHeardNanos < quietNanos) {
      return false;
    }
    lastHeardNanos = now;
    return true;
  }

  /** Bytes written so far, as last reported. */
  public long bytesDone() {
    return bytesDone;
  }

  /** Object size, or -1 while unknown. */
  public long totalBytes() {
    return totalBytes;
  }

  @Override
  public boolean done() {
    return promise.isDone();
  }

  @Override
  public void result() {
    try {
      promise.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new S3TransferException(String.valueOf(cause), 0, null, null, cause);
    } catch (TransferCancelledException e) {
      throw e;
    } catch (CancellationException e) {
      throw new TransferCancelledException("transfer " + meta.transferId() + " was cancelled");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new TransferCancelledException(
          "interrupted while waiting for transfer " + meta.transferId() + "; it was cancelled");
    }
  }

  @Override
  public void cancel() {
    if (!promise.isDone()) {
      canceller.accept(meta.transferId());
    }
  }

  @Override
  public TransferMeta meta() {
    return meta;
  }

  @Override
  public CompletableFuture<Void> completion() {
    return view;
  }

  @Override
  public String toString() {
    return "TransferFuture[" + meta.transferId() + ", done=" + done() + "]";
  }

  private record Meta(CallArgs callArgs, TransferId transferId, Map<String, Object> userContext)
      implements TransferMeta {
    Meta(CallArgs callArgs, TransferId transferId) {
      this(callArgs, transferId, new ConcurrentHashMap<>());
    }
  }
}
