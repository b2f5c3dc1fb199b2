package dev.s3pool.submitter;

/** Entry point of an s3pool submitter JVM (placeholder until the submitter lands). */
public final class SubmitterMain {

  private SubmitterMain() {}

  public static void main(String[] args) throws Exception {
    throw new UnsupportedOperationException("submitter not built yet");
  }
}
