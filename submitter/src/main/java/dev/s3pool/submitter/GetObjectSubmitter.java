package dev.s3pool.submitter;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferId;
import dev.s3pool.runtime.S3Errors;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.ExtraArgs;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.QueryTransfer;
import dev.s3pool.wire.TempPaths;
import dev.s3pool.wire.TransferError;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link DownloadFileRequest} into {@link GetObjectJob}s: checks the request and its
 * target, creates the temporary file beside the target, registers the transfer with the coordinator
 * and sends the first jobs. It makes no S3 request itself.
 */
final class GetObjectSubmitter {

  private static final Logger log = LoggerFactory.getLogger(GetObjectSubmitter.class);

  private final ProcessTransferConfig config;
  private final TransferCoordinator coordinator;
  private final Path downloadRoot;

  /**
   * @param downloadRoot the only tree this submitter writes to (raw JMS producers), or null for
   *     anywhere (the embedded default, reachable only through the Java API)
   */
  GetObjectSubmitter(
      ProcessTransferConfig config, TransferCoordinator coordinator, Path downloadRoot) {
    this.config = config;
    this.coordinator = coordinator;
    this.downloadRoot = downloadRoot;
  }

  /**
   * Handles one request; everything it sends goes out when the caller commits. With expectedSize
   * the whole plan is made at once and its first jobs go out (the coordinator sends the others with
   * the first result); without, one GET of the first chunk, whose response tells the size (no
   * HeadObject), and the coordinator plans the rest when that part's response head is in.
   *
   * @return the transfer registered, or null when the request was refused
   */
  TransferRecord submit(
      DownloadFileRequest request, Destination replyTo, String correlationId, Outbox out)
      throws JMSException {
    TransferRecord record;
    List<PartPlan.Part> parts;
    try {
      refuseIfEndedBeforeRequest(request);
      refuseIfInvalid(request);
      Path target = target(request.filename());
      Long size = request.expectedSize();
      Path temp = createTempFile(target, TempPaths.tempPath(target, request.transferId()), size);
      parts =
          size == null
              ? List.of(PartPlan.firstOfUnknownSize(config.multipartChunksize()))
              : PartPlan.split(size, config.multipartThreshold(), config.multipartChunksize());
      record =
          new TransferRecord(
              request,
              replyTo,
              correlationId,
              temp,
              target,
              null,
              size == null ? -1 : size,
              parts.size());
      if (!coordinator.register(record)) {
        deleteQuietly(temp);
        throw new Refused(coordinator.refusal(request.transferId()));
      }
    } catch (Refused refused) {
      TransferUpdate outcome = outcome(request.transferId(), refused.error);
      coordinator.endedBeforeStart(outcome);
      out.publish(outcome, request.clientId(), replyTo, correlationId);
      return null;
    }
    log.info(
        "transferId={} bucket={} key={} size={} parts={}",
        request.transferId(),
        request.bucket(),
        request.key(),
        record.sizeKnown() ? record.totalBytes() : "unknown",
        record.sizeKnown() ? parts.size() : "unknown");
    record.toSend(parts);
    coordinator.sendFirstJobs(record, out);
    return record;
  }

  /**
   * Answers a client that asks about a transfer: with its state, or, when this submitter has no
   * record of it, that it was lost. A query queues behind its transfer's request (the client sent
   * both, in that order, to the same queue), so a request not seen by now was taken by a submitter
   * that died, whose state table went with it, or lost by the broker. The temporary file such a
   * submitter made is removed (the query names the target), and the request is dropped should it
   * come after all: the client has been told. An answer that the transfer is done also goes to the
   * query's JMSReplyTo, if it has one (a plain JMS producer asking).
   */
  void query(QueryTransfer query, Destination replyTo, String correlationId, Outbox out)
      throws JMSException {
    if (coordinator.query(query, replyTo, correlationId, out)) {
      return;
    }
    TransferId id = query.transferId();
    TransferError cancelled = coordinator.refusal(id);
    TransferUpdate outcome =
        outcome(
            id,
            cancelled != null
                ? cancelled
                : TransferError.of(
                    ErrorKind.INTERNAL,
                    "transfer "
                        + id
                        + " was lost: the s3pool submitter has no record of it (the submitter that"
                        + " took its request stopped, or the broker lost the request)"));
    if (query.filename() != null) {
      try {
        deleteQuietly(TempPaths.tempPath(target(query.filename()), id));
      } catch (Refused refused) {
        log.warn("transferId={} no temporary file removed: {}", id, refused.getMessage());
      }
    }
    coordinator.endedUnseen(outcome);
    out.publish(outcome, query.clientId(), replyTo, correlationId);
  }

  private void refuseIfEndedBeforeRequest(DownloadFileRequest request) throws Refused {
    TransferError refusal = coordinator.refusal(request.transferId());
    if (refusal != null) {
      throw new Refused(refusal);
    }
  }

  /** Refuses requests that raw JMS producers may send but the Java API never would. */
  private static void refuseIfInvalid(DownloadFileRequest request) throws Refused {
    TransferError invalid = invalid(request);
    if (invalid != null) {
      throw new Refused(invalid);
    }
  }

  /** Null when the request may run, else why not. */
  private static TransferError invalid(DownloadFileRequest request) {
    try {
      ExtraArgs.validate(request.extraArgs());
    } catch (IllegalArgumentException e) {
      return TransferError.of(ErrorKind.INVALID_REQUEST, e.getMessage());
    }
    if (request.bucket().isBlank() || request.key().isBlank()) {
      return TransferError.of(
          ErrorKind.INVALID_REQUEST,
          "bucket and key must not be blank: bucket='"
              + request.bucket()
              + "' key='"
              + request.key()
              + "'");
    }
    if (request.expectedSize() != null && request.expectedSize() < 0) {
      return TransferError.of(
          ErrorKind.INVALID_REQUEST, "expectedSize must be >= 0: " + request.expectedSize());
    }
    return null;
  }

  /**
   * Where the request's file goes. Without a download root the filename must be absolute. With one,
   * a relative filename is taken below it, and the result, symbolic links resolved, must lie inside
   * it: absolute paths elsewhere and {@code ..} escapes are refused.
   */
  private Path target(String filename) throws Refused {
    Path requested;
    try {
      requested = Path.of(filename);
    } catch (InvalidPathException e) {
      throw invalid("filename is not a valid path: " + filename + " (" + e.getReason() + ")");
    }
    Path target;
    if (downloadRoot == null) {
      if (!requested.isAbsolute()) {
        throw invalid("filename must be an absolute path: " + filename);
      }
      target = requested.normalize();
    } else {
      target = downloadRoot.resolve(requested).normalize();
      if (!target.startsWith(downloadRoot) || target.equals(downloadRoot)) {
        throw invalid("filename " + filename + " is outside the download root " + downloadRoot);
      }
      Path parent = target.getParent();
      try {
        if (Files.isDirectory(parent)
            && !parent.toRealPath().startsWith(downloadRoot.toRealPath())) {
          throw invalid(
              "filename "
                  + filename
                  + " leads outside the download root "
                  + downloadRoot
                  + " through a symbolic link");
        }
      } catch (IOException e) {
        throw invalid("cannot check " + parent + ": " + S3Errors.localMessage(e));
      }
    }
    if (Files.isDirectory(target)) {
      throw new Refused(
          TransferError.of(ErrorKind.LOCAL_IO, "destination is a directory: " + target));
    }
    return target;
  }

  private static Refused invalid(String reason) {
    return new Refused(TransferError.of(ErrorKind.INVALID_REQUEST, reason));
  }

  /**
   * Creates {@code temp} beside the target: sized to the object when its size is known, else empty
   * (the parts' writes size it). A temporary file that exists already belongs to this transfer (a
   * request delivered again after a submitter died), and is started afresh.
   */
  private static Path createTempFile(Path target, Path temp, Long size) throws Refused {
    try {
      Path parent = target.getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw new NoSuchFileException(
            String.valueOf(parent), null, "destination directory does not exist");
      }
      try (FileChannel file =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        if (size != null && size > 0) {
          // One byte at the end sizes the file sparsely: no data blocks are written.
          file.write(ByteBuffer.allocate(1), size - 1);
        }
      } catch (IOException e) {
        deleteQuietly(temp);
        throw e;
      }
      return temp;
    } catch (IOException e) {
      throw new Refused(
          TransferError.of(
              ErrorKind.LOCAL_IO,
              "cannot create the download file for " + target + ": " + S3Errors.localMessage(e)));
    }
  }

  /** How a request that ends before its jobs are sent ends: cancelled, or failed. */
  private static TransferUpdate outcome(TransferId id, TransferError error) {
    TransferStatus status =
        error.kind() == ErrorKind.CANCELLED ? TransferStatus.CANCELLED : TransferStatus.FAILED;
    log.info("transferId={} status={} {}", id, status, error.message());
    return new TransferUpdate(id, status, -1, 0, 0, 0, error);
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", temp, e.toString());
    }
  }

  /** Why a request ends before its jobs are sent. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final transient TransferError error;

    Refused(TransferError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
