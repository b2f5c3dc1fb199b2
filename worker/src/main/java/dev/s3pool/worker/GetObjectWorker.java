package dev.s3pool.worker;

import dev.s3pool.runtime.S3Errors;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.JobFailed;
import dev.s3pool.wire.SizeLearned;
import dev.s3pool.wire.TransferError;
import dev.s3pool.wire.WireMessage;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Executes one {@link GetObjectJob}: a GET of the job's range, streamed into the temporary file at
 * the job's offset with positional writes through a fixed-size buffer ({@link PartFile}). Streaming
 * errors are retried (5 attempts in all), each attempt rewriting the job's own range from its
 * start; S3 errors fail at once.
 */
final class GetObjectWorker {

  static final int MAX_ATTEMPTS = 5;

  /**
   * Every this many bytes a part checks that its temporary file is still there. When it is gone,
   * the transfer failed or was cancelled meanwhile, and the part stops instead of downloading the
   * rest of its range for nothing (a stat per MiB).
   */
  static final long BYTES_BETWEEN_CHECKS = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(GetObjectWorker.class);

  /**
   * Hears, from the first part of an object of unknown size, that the object is larger than that
   * part, as soon as the response head is in and before the body is read. Must not throw.
   */
  @FunctionalInterface
  interface SizeListener {
    void sizeLearned(SizeLearned learned);
  }

  private final PartSource parts;
  private final String name;
  private final SizeListener sizeListener;
  private final RetryConfig retryConfig;

  /** Grows to the direct write size on the first part that writes direct. */
  private byte[] buffer = new byte[PartFile.BUFFERED_WRITE_BYTES];

  /** Native memory for direct writes, made on the first part that uses them. */
  private ByteBuffer staging;

  GetObjectWorker(PartSource parts, String name, SizeListener sizeListener, Duration retryWait) {
    this.parts = parts;
    this.name = name;
    this.sizeListener = sizeListener;
    this.retryConfig =
        RetryConfig.custom()
            .maxAttempts(MAX_ATTEMPTS)
            .waitDuration(retryWait)
            .retryExceptions(StreamingException.class)
            .build();
  }

  /** Runs the job; returns the result to report, or null when the transfer already ended. */
  WireMessage run(GetObjectJob job) {
    Path temp = Path.of(job.tempPath());
    String part = (job.partIndex() + 1) + "/" + (job.partCount() > 0 ? job.partCount() : "?");
    Retry retry = Retry.of("transferId=" + job.transferId() + " part=" + part, retryConfig);
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                log.warn(
                    "transferId={} part={} attempt {}/{} failed, retrying: {}",
                    job.transferId(),
                    part,
                    e.getNumberOfRetryAttempts(),
                    MAX_ATTEMPTS,
                    String.valueOf(e.getLastThrowable())));
    try {
      Fetched fetched = retry.executeCheckedSupplier(() -> fetch(job, temp));
      return new JobCompleted(
          job.transferId(),
          job.partIndex(),
          fetched.bytes(),
          fetched.objectSize(),
          fetched.etag(),
          name);
    } catch (TransferEndedException e) {
      log.debug(
          "transferId={} part={} skipped: the transfer already ended", job.transferId(), part);
      return null;
    } catch (StreamingException e) {
      IOException last = e.getCause();
      log.error(
          "transferId={} part={} giving up after {} attempts: {}",
          job.transferId(),
          part,
          MAX_ATTEMPTS,
          last.toString());
      return failed(
          job,
          new TransferError(
              ErrorKind.RETRIES_EXCEEDED,
              0,
              null,
              "GetObject",
              "Max Retries Exceeded: part "
                  + part
                  + " of s3://"
                  + job.bucket()
                  + "/"
                  + job.key()
                  + " failed "
                  + MAX_ATTEMPTS
                  + " times; last error: "
                  + last,
              last.getClass().getName(),
              last.getMessage()));
    } catch (S3Exception e) {
      return failed(job, describe(e, job));
    } catch (SdkException e) {
      return failed(job, S3Errors.describe(e, "GetObject"));
    } catch (SizeMismatchException e) {
      return failed(job, TransferError.of(ErrorKind.SIZE_MISMATCH, e.getMessage()));
    } catch (IOException e) {
      return failed(
          job,
          TransferError.of(
              ErrorKind.LOCAL_IO, "cannot write to " + temp + ": " + S3Errors.localMessage(e)));
    } catch (Throwable e) {
      return failed(job, S3Errors.describe(e, "GetObject"));
    }
  }

  /** S3's answer, read in the light of the job: 412 and 416 mean the object is not as planned. */
  private static TransferError describe(S3Exception e, GetObjectJob job) {
    TransferError error = S3Errors.describe(e, "GetObject");
    if (e.statusCode() == 412 && job.etag() != null) {
      return new TransferError(
          ErrorKind.OBJECT_CHANGED,
          412,
          error.errorCode(),
          "GetObject",
          source(job)
              + " changed during the download: its ETag is no longer "
              + job.etag()
              + " ("
              + error.message()
              + ")",
          null,
          null);
    }
    if (e.statusCode() == 416 && !job.learnsSize()) {
      return new TransferError(
          ErrorKind.SIZE_MISMATCH,
          416,
          error.errorCode(),
          "GetObject",
          source(job)
              + " is smaller than the expected "
              + job.objectSize()
              + " bytes: "
              + job.range()
              + " starts beyond its end",
          null,
          null);
    }
    return error;
  }

  private static String source(GetObjectJob job) {
    return "s3://" + job.bucket() + "/" + job.key();
  }

  private JobFailed failed(GetObjectJob job, TransferError error) {
    return new JobFailed(job.transferId(), job.partIndex(), error, name);
  }

  /**
   * What one successful attempt delivered.
   *
   * @param objectSize the object's size read from the response when the job {@linkplain
   *     GetObjectJob#learnsSize() learns it}, else -1
   */
  private record Fetched(long bytes, String etag, long objectSize) {}

  /** One attempt. */
  private Fetched fetch(GetObjectJob job, Path temp)
      throws IOException, StreamingException, TransferEndedException, SizeMismatchException {
    PartFile file;
    try {
      file = new PartFile(temp);
    } catch (NoSuchFileException e) {
      throw new TransferEndedException();
    }
    PartSource.PartResponse response;
    try {
      response = parts.get(job);
    } catch (S3Exception e) {
      file.close();
      if (e.statusCode() == 416 && job.learnsSize()) {
        return emptyObject(job, e);
      }
      throw e;
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
    try (file;
        PartSource.PartResponse body = response) {
      long objectSize = job.learnsSize() ? announcedSize(job, body) : -1;
      // A server that ignores the Range sends the whole object (200, no Content-Range): all of it
      // is this part then.
      long length =
          !job.learnsSize()
              ? job.length()
              : body.contentRange() == null ? objectSize : Math.min(job.length(), objectSize);
      if (!job.learnsSize()) {
        checkSize(job, body);
      } else if (length < objectSize) {
        // The other parts can start now; each attempt tells again, the coordinator listens once.
        sizeListener.sizeLearned(
            new SizeLearned(job.transferId(), objectSize, length, body.eTag(), name));
      }
      // Reads fill the buffer up to the write size; a full buffer (or the end) is one positional
      // write, so writes keep their size even when the socket hands over less.
      file.chooseWrites(length, this::staging);
      int writeSize = file.writeSize();
      if (buffer.length < writeSize) {
        buffer = new byte[writeSize];
      }
      long received = 0;
      long checked = 0;
      int filled = 0;
      while (true) {
        int n;
        try {
          n = body.read(buffer, filled, writeSize - filled);
        } catch (IOException e) {
          body.abort();
          throw new StreamingException(e);
        }
        if (n < 0) {
          break;
        }
        if (received + n > length) {
          body.abort();
          throw new SizeMismatchException(
              source(job)
                  + " part "
                  + (job.partIndex() + 1)
                  + " delivered more than the expected "
                  + length
                  + " bytes: the object is larger than its expected size");
        }
        received += n;
        filled += n;
        if (filled == writeSize) {
          file.write(buffer, filled, job.offset() + received - filled);
          filled = 0;
          if (received - checked >= BYTES_BETWEEN_CHECKS) {
            checked = received;
            if (!Files.exists(temp)) {
              body.abort();
              throw new TransferEndedException();
            }
          }
        }
      }
      file.write(buffer, filled, job.offset() + received - filled);
      long written = received;
      if (written < length) {
        throw new StreamingException(
            new EOFException("premature end of body: got " + written + " of " + length + " bytes"));
      }
      return new Fetched(written, body.eTag(), objectSize);
    }
  }

  private ByteBuffer staging() {
    if (staging == null) {
      staging = PartFile.newStaging();
    }
    return staging;
  }

  /**
   * The object's size as the response to a first part announces it: Content-Range's total for a
   * 206, Content-Length when the server ignored the Range and sent the whole object (200).
   */
  private static long announcedSize(GetObjectJob job, PartSource.PartResponse body)
      throws SizeMismatchException {
    long total = totalOf(body.contentRange());
    if (total >= 0) {
      return total;
    }
    if (body.contentRange() == null && body.contentLength() != null) {
      return body.contentLength();
    }
    body.abort();
    throw new SizeMismatchException(
        source(job)
            + ": the response tells no size (Content-Range "
            + body.contentRange()
            + ", Content-Length "
            + body.contentLength()
            + ")");
  }

  /** The total of a Content-Range ({@code bytes 0-99/1234}), or -1 when there is none. */
  static long totalOf(String contentRange) {
    if (contentRange == null || !contentRange.contains("/")) {
      return -1;
    }
    String total = contentRange.substring(contentRange.lastIndexOf('/') + 1).trim();
    return total.equals("*") ? -1 : Long.parseLong(total);
  }

  /**
   * S3 refuses any Range on an empty object (416 InvalidRange). A HeadObject with the same
   * arguments tells whether the object is empty; if it is not, the 416 stands.
   */
  private Fetched emptyObject(GetObjectJob job, S3Exception rangeRefused) {
    HeadObjectResponse response = parts.head(job);
    if (response.contentLength() == null || response.contentLength() != 0) {
      throw rangeRefused;
    }
    return new Fetched(0, response.eTag(), 0);
  }

  /**
   * Compares what S3 announces (Content-Range's total, else Content-Length) with the plan, so a
   * wrong expectedSize fails at once instead of looking like a cut stream.
   */
  private static void checkSize(GetObjectJob job, PartSource.PartResponse body)
      throws SizeMismatchException {
    long actual = totalOf(body.contentRange());
    if (actual < 0 && job.range() == null && body.contentLength() != null) {
      actual = body.contentLength();
    }
    if (actual >= 0 && actual != job.objectSize()) {
      body.abort();
      throw new SizeMismatchException(
          source(job) + " is " + actual + " bytes, not the expected " + job.objectSize());
    }
  }

  /** The temporary file is gone: the transfer failed or was cancelled meanwhile. */
  static final class TransferEndedException extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** The body was longer than the part: the object is not the size the submitter planned for. */
  static final class SizeMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    SizeMismatchException(String message) {
      super(message);
    }
  }
}
