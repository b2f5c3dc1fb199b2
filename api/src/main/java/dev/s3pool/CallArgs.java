package dev.s3pool;

import java.nio.file.Path;
import java.util.Map;

/**
 * The arguments a download was requested with, as {@link TransferMeta#callArgs()} reports them.
 *
 * <pre>{@code
 * CallArgs args = future.meta().callArgs();
 * System.out.println(args.bucket() + "/" + args.key() + " -> " + args.filename());
 * }</pre>
 *
 * @param bucket the S3 bucket
 * @param key the object key
 * @param filename the local file the object is written to
 * @param extraArgs extra GetObject/HeadObject arguments (immutable, possibly empty)
 * @param expectedSize the size given by the caller, or {@code null} when s3pool learns it from the
 *     first ranged GET
 */
public record CallArgs(
    String bucket, String key, Path filename, Map<String, String> extraArgs, Long expectedSize) {

  public CallArgs {
    extraArgs = Map.copyOf(extraArgs);
  }
}
