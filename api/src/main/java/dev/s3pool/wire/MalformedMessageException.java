package dev.s3pool.wire;

/** A JMS message that does not follow the s3pool wire contract; the message says what is wrong. */
public final class MalformedMessageException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message);
  }

  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
