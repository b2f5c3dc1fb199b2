package dev.s3pool.runtime;

import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.TransferError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns what an S3 call or the filesystem threw into a {@link TransferError} for the wire. */
public final class S3Errors {

  private S3Errors() {}

  /** Describes {@code error}, thrown while calling {@code operation} (HeadObject, GetObject). */
  public static TransferError describe(Throwable error, String operation) {
    if (error instanceof S3Exception s3) {
      return service(s3, operation);
    }
    if (error instanceof SdkClientException client) {
      return new TransferError(
          ErrorKind.CONNECTION,
          0,
          null,
          operation,
          "Could not complete the " + operation + " request: " + client.getMessage(),
          rootCause(client).getClass().getName(),
          rootCause(client).getMessage());
    }
    if (error instanceof IOException io) {
      return TransferError.of(ErrorKind.LOCAL_IO, localMessage(io));
    }
    return new TransferError(
        ErrorKind.INTERNAL,
        0,
        null,
        operation,
        "unexpected error in " + operation + ": " + error,
        error.getClass().getName(),
        error.getMessage());
  }

  /**
   * S3's own words where it sent them. A HEAD response has no body, so like botocore we report the
   * status code as the error code and the reason phrase as the message.
   */
  static TransferError service(S3Exception e, String operation) {
    int status = e.statusCode();
    AwsErrorDetails details = e.awsErrorDetails();
    boolean bodyless = "HeadObject".equals(operation) || details == null;
    String code = bodyless ? String.valueOf(status) : details.errorCode();
    String detail =
        bodyless || details.errorMessage() == null || details.errorMessage().isBlank()
            ? reasonPhrase(status)
            : details.errorMessage();
    return TransferError.service(status, code, operation, detail);
  }

  /** A filesystem error, worded with the path it concerns. */
  public static String localMessage(IOException e) {
    if (e instanceof NoSuchFileException nf) {
      return "no such file or directory: " + nf.getFile();
    }
    if (e instanceof AccessDeniedException ad) {
      return "permission denied: " + ad.getFile();
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + ": " + fs.getFile();
    }
    return String.valueOf(e.getMessage());
  }

  static String reasonPhrase(int status) {
    return switch (status) {
      case 301 -> "Moved Permanently";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 416 -> "Requested Range Not Satisfiable";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
