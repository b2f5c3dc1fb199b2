package dev.s3pool.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.CallArgs;
import dev.s3pool.RemoteStreamingException;
import dev.s3pool.RetriesExceededException;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferCancelledException;
import dev.s3pool.TransferId;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.TransferError;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DefaultTransferFutureTest {

  private static final TransferId ID = new TransferId("transfer-1");
  private static final CallArgs CALL_ARGS =
      new CallArgs("bucket", "key", Path.of("/data/key"), Map.of(), null);

  private final List<TransferId> cancelled = new CopyOnWriteArrayList<>();
  private final DefaultTransferFuture future =
      new DefaultTransferFuture(CALL_ARGS, ID, cancelled::add);

  @Test
  void newFuture_isNotDone_andKnowsItsMeta() {
    assertFalse(future.done());
    assertEquals(ID, future.meta().transferId());
    assertEquals(CALL_ARGS, future.meta().callArgs());
    assertEquals(-1, future.totalBytes());
  }

  @Test
  void apply_inProgress_recordsProgressWithoutEndingTheTransfer() {
    boolean ended = future.apply(update(TransferStatus.IN_PROGRESS, null));

    assertFalse(ended);
    assertFalse(future.done());
    assertEquals(1000, future.totalBytes());
    assertEquals(400, future.bytesDone());
  }

  @Test
  void apply_succeeded_resultReturns() {
    boolean ended = future.apply(update(TransferStatus.SUCCEEDED, null));

    assertTrue(ended);
    assertTrue(future.done());
    assertDoesNotThrow(future::result);
    assertTrue(future.completion().isDone());
    assertFalse(future.completion().isCompletedExceptionally());
  }

  @Test
  void apply_failedWithServiceError_resultThrowsReferenceWordedS3TransferException() {
    future.apply(
        update(TransferStatus.FAILED, TransferError.service(404, null, "HeadObject", "Not Found")));

    S3TransferException e = assertThrows(S3TransferException.class, future::result);

    assertEquals(S3TransferException.class, e.getClass());
    assertEquals(
        "An error occurred (404) when calling the HeadObject operation: Not Found", e.getMessage());
    assertEquals(404, e.statusCode());
    assertEquals("HeadObject", e.operation());
  }

  @Test
  void apply_retriesExceeded_resultThrowsWithRemoteStreamingCause() {
    TransferError error =
        new TransferError(
            ErrorKind.RETRIES_EXCEEDED,
            0,
            null,
            "GetObject",
            "part 2 failed after 5 attempts",
            "java.net.SocketTimeoutException",
            "Read timed out");
    future.apply(update(TransferStatus.FAILED, error));

    RetriesExceededException e = assertThrows(RetriesExceededException.class, future::result);

    assertEquals("part 2 failed after 5 attempts", e.getMessage());
    RemoteStreamingException cause = assertInstanceOf(RemoteStreamingException.class, e.getCause());
    assertEquals("java.net.SocketTimeoutException", cause.remoteType());
    assertTrue(cause.getMessage().contains("Read timed out"), cause.getMessage());
  }

  @Test
  void apply_cancelled_resultThrowsTransferCancelledException_withoutCallingCanceller() {
    future.apply(
        update(TransferStatus.CANCELLED, TransferError.of(ErrorKind.CANCELLED, "cancelled")));

    TransferCancelledException e = assertThrows(TransferCancelledException.class, future::result);

    assertEquals("cancelled", e.getMessage());
    assertEquals(List.of(), cancelled);
  }

  @Test
  void fail_completesWithTheGivenException() {
    S3TransferException error = new S3TransferException("s3pool fleet failed: workers gone");

    future.fail(error);

    assertTrue(future.done());
    assertSame(error, assertThrows(S3TransferException.class, future::result));
  }

  @Test
  void cancel_pendingFuture_callsCancellerWithTheTransferId() {
    future.cancel();

    assertEquals(List.of(ID), cancelled);
    assertFalse(future.done(), "the future completes only when the submitter reports back");
  }

  @Test
  void cancel_thenRemoteCancelled_callsCancellerOnce() {
    future.cancel();
    future.apply(
        update(TransferStatus.CANCELLED, TransferError.of(ErrorKind.CANCELLED, "cancelled")));

    assertThrows(TransferCancelledException.class, future::result);
    assertEquals(List.of(ID), cancelled);
  }

  @Test
  void completionCancel_callsCancellerOnceWithTheTransferId() {
    boolean cancelledNow = future.completion().cancel(true);

    assertTrue(cancelledNow);
    assertTrue(future.completion().isCancelled());
    assertEquals(List.of(ID), cancelled);
    // The transfer itself is done only once the submitter confirms (its temp file is gone then).
    assertFalse(future.done());
    future.apply(
        update(TransferStatus.CANCELLED, TransferError.of(ErrorKind.CANCELLED, "cancelled")));
    assertTrue(future.done());
    assertThrows(TransferCancelledException.class, future::result);
  }

  @Test
  void remoteCancel_completionReadsAsCancelled() {
    future.apply(
        update(TransferStatus.CANCELLED, TransferError.of(ErrorKind.CANCELLED, "cancelled")));

    assertTrue(future.completion().isCancelled());
    assertThrows(TransferCancelledException.class, () -> future.completion().get());
  }

  @Test
  void remoteFailure_completionGetThrowsTheFailureAsCause() {
    future.apply(update(TransferStatus.FAILED, TransferError.of(ErrorKind.INTERNAL, "boom")));

    java.util.concurrent.ExecutionException e =
        assertThrows(
            java.util.concurrent.ExecutionException.class, () -> future.completion().get());
    assertEquals(S3TransferException.class, e.getCause().getClass());
    assertEquals("boom", e.getCause().getMessage());
  }

  @Test
  void completionComplete_byCaller_doesNotForgeTheOutcome() {
    future.completion().complete(null);

    assertFalse(future.done());
    future.apply(update(TransferStatus.FAILED, TransferError.of(ErrorKind.INTERNAL, "boom")));
    assertThrows(S3TransferException.class, future::result);
  }

  @Test
  void completionCancel_thenRemoteCancelled_doesNotCallCancellerAgain() {
    future.completion().cancel(true);
    future.apply(
        update(TransferStatus.CANCELLED, TransferError.of(ErrorKind.CANCELLED, "cancelled")));

    assertEquals(List.of(ID), cancelled);
  }

  @Test
  void cancel_doneFuture_doesNotCallCanceller() {
    future.apply(update(TransferStatus.SUCCEEDED, null));

    future.cancel();
    future.completion().cancel(true);

    assertEquals(List.of(), cancelled);
    assertDoesNotThrow(future::result);
  }

  @Test
  void cancel_failedFuture_doesNotCallCanceller() {
    future.fail(new S3TransferException("boom"));

    future.cancel();

    assertEquals(List.of(), cancelled);
  }

  @Test
  void result_interruptedWaiter_getsTransferCancelledException_andCancelsTheTransfer()
      throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread waiter =
        new Thread(
            () -> {
              try {
                future.result();
              } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            },
            "result-waiter");

    waiter.start();
    waiter.interrupt();
    waiter.join(10_000);

    assertFalse(waiter.isAlive(), "result() must return once its thread is interrupted");
    assertInstanceOf(TransferCancelledException.class, thrown.get());
    assertTrue(stillInterrupted.get(), "the interrupt flag must be restored");
    assertEquals(List.of(ID), cancelled);
  }

  @Test
  void result_interruptedCallingThread_getsTransferCancelledException_andCancels() {
    Thread.currentThread().interrupt();
    try {
      assertThrows(TransferCancelledException.class, future::result);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertEquals(List.of(ID), cancelled);
  }

  private static TransferUpdate update(TransferStatus status, TransferError error) {
    return new TransferUpdate(ID, status, 1000, 400, 2, 1, error);
  }

  @Test
  void quietFor_justHeard_isNotQuiet_zeroQuietPeriod_isQuiet() {
    future.apply(update(TransferStatus.IN_PROGRESS, null));

    assertFalse(future.quietFor(java.util.concurrent.TimeUnit.MINUTES.toNanos(1)));
    assertTrue(future.quietFor(0));
  }
}
