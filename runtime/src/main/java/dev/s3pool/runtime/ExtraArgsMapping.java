package dev.s3pool.runtime;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/** Applies a download's extra arguments (ExtraArgs.ALLOWED names) to SDK request builders. */
public final class ExtraArgsMapping {

  private ExtraArgsMapping() {}

  public static void apply(Map<String, String> args, HeadObjectRequest.Builder b) {
    apply(
        args,
        new Setters(
            b::checksumMode,
            b::versionId,
            b::sseCustomerAlgorithm,
            b::sseCustomerKey,
            b::sseCustomerKeyMD5,
            b::requestPayer,
            b::expectedBucketOwner));
  }

  public static void apply(Map<String, String> args, GetObjectRequest.Builder b) {
    apply(
        args,
        new Setters(
            b::checksumMode,
            b::versionId,
            b::sseCustomerAlgorithm,
            b::sseCustomerKey,
            b::sseCustomerKeyMD5,
            b::requestPayer,
            b::expectedBucketOwner));
  }

  private record Setters(
      Consumer<String> checksumMode,
      Consumer<String> versionId,
      Consumer<String> sseCustomerAlgorithm,
      Consumer<String> sseCustomerKey,
      Consumer<String> sseCustomerKeyMd5,
      Consumer<String> requestPayer,
      Consumer<String> expectedBucketOwner) {}

  private static void apply(Map<String, String> args, Setters set) {
    args.forEach(
        (name, value) -> {
          switch (name) {
            case "ChecksumMode" -> set.checksumMode().accept(value);
            case "VersionId" -> set.versionId().accept(value);
            case "SSECustomerAlgorithm" -> set.sseCustomerAlgorithm().accept(value);
            case "SSECustomerKey" -> set.sseCustomerKey().accept(value);
            case "SSECustomerKeyMD5" -> set.sseCustomerKeyMd5().accept(value);
            case "RequestPayer" -> set.requestPayer().accept(value);
            case "ExpectedBucketOwner" -> set.expectedBucketOwner().accept(value);
            default -> throw new IllegalArgumentException("unsupported extra arg: " + name);
          }
        });
  }
}
