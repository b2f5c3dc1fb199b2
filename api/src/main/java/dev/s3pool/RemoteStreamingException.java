package dev.s3pool;

/**
 * A streaming error that happened in a worker JVM, rebuilt on the client side: {@link
 * #remoteType()} names the class of the original exception.
 *
 * <pre>{@code
 * RemoteStreamingException last = (RemoteStreamingException) retriesExceeded.getCause();
 * last.remoteType(); // e.g. "java.net.SocketTimeoutException"
 * }</pre>
 */
public final class RemoteStreamingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String remoteType;

  public RemoteStreamingException(String remoteType, String message) {
    super(remoteType + ": " + message);
    this.remoteType = remoteType;
  }

  /** Fully qualified class name of the exception thrown in the worker. */
  public String remoteType() {
    return remoteType;
  }
}
