package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Map;
import java.util.Objects;

/**
 * One ranged GET a worker executes: coordinates only, never payload.
 *
 * @param transferId the transfer's id
 * @param bucket S3 bucket
 * @param key object key
 * @param tempPath the temporary file to write into; it already exists (empty while the object's
 *     size is unknown)
 * @param finalPath the target file (for logs)
 * @param partIndex this part, from 0
 * @param partCount how many parts the transfer has, or 0 while the object's size is unknown
 * @param offset where in the file this part starts
 * @param length how many bytes this part must deliver
 * @param objectSize the size of the whole object the parts were planned for, or -1 for the first
 *     part of an object of unknown size: the worker reads the size from the response
 *     (Content-Range) and reports it, and the coordinator then plans the other parts
 * @param range the HTTP Range header ({@code bytes=0-8388607}), or null for the whole object
 * @param etag the ETag seen by the first part, sent as If-Match, or null
 * @param extraArgs extra GetObject arguments
 */
public record GetObjectJob(
    TransferId transferId,
    String bucket,
    String key,
    String tempPath,
    String finalPath,
    int partIndex,
    int partCount,
    long offset,
    long length,
    long objectSize,
    String range,
    String etag,
    Map<String, String> extraArgs)
    implements WireMessage {

  public GetObjectJob {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(tempPath, "tempPath");
    Objects.requireNonNull(finalPath, "finalPath");
    extraArgs = Map.copyOf(extraArgs);
  }

  /** True for the first part of an object whose size nobody knows yet. */
  public boolean learnsSize() {
    return objectSize < 0;
  }
}
