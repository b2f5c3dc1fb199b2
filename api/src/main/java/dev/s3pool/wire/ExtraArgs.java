package dev.s3pool.wire;

import java.util.List;
import java.util.Map;

/** The extra arguments a download accepts: the reference's ALLOWED_DOWNLOAD_ARGS. */
public final class ExtraArgs {

  /** Names accepted in {@code extraArgs}, in the order error messages list them. */
  public static final List<String> ALLOWED =
      List.of(
          "ChecksumMode",
          "VersionId",
          "SSECustomerAlgorithm",
          "SSECustomerKey",
          "SSECustomerKeyMD5",
          "RequestPayer",
          "ExpectedBucketOwner");

  private ExtraArgs() {}

  /**
   * Checks names and values.
   *
   * @throws IllegalArgumentException naming the first bad entry and, for a bad name, the allowed
   *     ones
   */
  public static void validate(Map<String, String> extraArgs) {
    for (Map.Entry<String, String> e : extraArgs.entrySet()) {
      if (!ALLOWED.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "Invalid extra_args key '"
                + e.getKey()
                + "', must be one of: "
                + String.join(", ", ALLOWED));
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException(
            "extra arg " + e.getKey() + " must not be blank: '" + e.getValue() + "'");
      }
    }
  }
}
