package dev.s3pool.worker;

/** Entry point of an s3pool worker JVM (placeholder until the worker lands). */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    throw new UnsupportedOperationException("worker not built yet");
  }
}
