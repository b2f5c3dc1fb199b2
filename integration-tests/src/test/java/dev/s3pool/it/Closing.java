package dev.s3pool.it;

/** Closes test resources in a given order, every one even when an earlier one fails. */
final class Closing {

  private Closing() {}

  /**
   * Closes each non-null resource in order (a downloader before the proxy and server its workers
   * talk to). The first failure is rethrown once all are closed, later ones added as suppressed.
   */
  static void inOrder(AutoCloseable... resources) {
    RuntimeException failure = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
