package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.util.Map;
import java.util.Objects;

/**
 * Asks a submitter to download {@code bucket/key} to {@code filename}.
 *
 * @param transferId the transfer's id
 * @param bucket S3 bucket
 * @param key object key
 * @param filename absolute path of the target file (below the download root for raw JMS producers)
 * @param extraArgs extra GetObject/HeadObject arguments
 * @param expectedSize the object's size when the caller knows it (all parts are planned at once),
 *     or null
 * @param clientId the downloader whose monitor subscription should see the updates, or null
 */
public record DownloadFileRequest(
    TransferId transferId,
    String bucket,
    String key,
    String filename,
    Map<String, String> extraArgs,
    Long expectedSize,
    String clientId)
    implements WireMessage {

  public DownloadFileRequest {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(filename, "filename");
    extraArgs = Map.copyOf(extraArgs);
  }
}
