package dev.s3pool.wire;

/** Where a transfer is in its lifecycle, as the monitor topic reports it. */
public enum TransferStatus {
  IN_PROGRESS,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** True for the three states a transfer ends in. */
  public boolean isDone() {
    return this != IN_PROGRESS;
  }
}
