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
 * @param tempPath the temporary file to write into; it already exists, allocated to full size
 * @param finalPath the target file (for logs)
 * @param partIndex this part, from 0
 * @param partCount how many parts the transfer has
 * @param offset where in the file this part starts
 * @param length how many bytes this part must deliver
 * @param objectSize the size of the whole object the parts were planned for
 * @param range the HTTP Range header ({@code bytes=0-8388607}), or null for the whole object
 * @param etag the ETag seen at HeadObject, sent as If-Match, or null
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
}
