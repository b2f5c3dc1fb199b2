package dev.s3pool.cli;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferFuture;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.runtime.S3Errors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Runs {@code s3pool cp}: one object, or every object under a prefix. */
final class CopyCommand {

  private final Command.Cp cp;
  private final PrintStream out;
  private final PrintStream err;

  CopyCommand(Command.Cp cp, PrintStream out, PrintStream err) {
    this.cp = cp;
    this.out = out;
    this.err = err;
  }

  /** Copies, prints one line per file (downloads on {@code out}, failures on {@code err}). */
  int run() {
    ProcessPoolDownloader.Builder builder =
        ProcessPoolDownloader.builder().clientConfig(cp.clientConfig()).config(cp.transferConfig());
    if (cp.broker() != null) {
      builder.brokerUrl(cp.broker().url(), cp.broker().user(), cp.broker().password());
    }
    try (ProcessPoolDownloader downloader = builder.build()) {
      return cp.recursive() ? copyPrefix(downloader) : copyObject(downloader);
    } catch (IOException | RuntimeException e) {
      err.println("s3pool: cp failed: " + S3Pool.describe(e));
      return S3Pool.FAILED;
    }
  }

  private int copyObject(ProcessPoolDownloader downloader) throws IOException {
    Path target = singleTarget();
    Files.createDirectories(target.getParent());
    downloader
        .downloadFile(cp.bucket(), cp.key(), target, cp.extraArgs(), cp.expectedSize())
        .result();
    out.println("download: " + cp.source() + " to " + target);
    return S3Pool.OK;
  }

  /** DEST itself, or DEST/basename(KEY) when DEST is a directory or ends with "/". */
  private Path singleTarget() {
    Path destination = Path.of(cp.destination()).toAbsolutePath();
    if (!cp.destination().endsWith("/") && !Files.isDirectory(destination)) {
      return destination;
    }
    try {
      return TargetPaths.resolve(destination, TargetPaths.basename(cp.key()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "refusing " + cp.source() + " into directory " + destination + ": " + e.getMessage(), e);
    }
  }

  private int copyPrefix(ProcessPoolDownloader downloader) {
    Path dir = Path.of(cp.destination());
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + dir.toAbsolutePath());
    }
    String prefix = TargetPaths.directoryPrefix(cp.key());
    Plan plan = plan(cp.bucket(), prefix, dir, list(cp.clientConfig(), cp.bucket(), prefix));
    int failures = plan.refusals().size();
    for (String refusal : plan.refusals()) {
      err.println("s3pool: cp: " + refusal);
    }
    List<Map.Entry<Download, TransferFuture>> started = new ArrayList<>();
    for (Download download : plan.downloads()) {
      try {
        Files.createDirectories(download.target().getParent());
        TransferFuture future =
            downloader.downloadFile(
                cp.bucket(), download.key(), download.target(), Map.of(), download.sizeBytes());
        started.add(Map.entry(download, future));
      } catch (IOException | RuntimeException e) {
        reportFailure(download, e);
        failures++;
      }
    }
    for (Map.Entry<Download, TransferFuture> transfer : started) {
      Download download = transfer.getKey();
      try {
        transfer.getValue().result();
        out.println("download: " + source(download.key()) + " to " + download.target());
      } catch (RuntimeException e) {
        reportFailure(download, e);
        failures++;
      }
    }
    return failures == 0 ? S3Pool.OK : S3Pool.FAILED;
  }

  private void reportFailure(Download download, Exception e) {
    err.println("s3pool: cp failed: " + source(download.key()) + ": " + S3Pool.describe(e));
  }

  /**
   * Every object under {@code prefix}, all pages.
   *
   * @throws S3TransferException worded like the AWS CLI when S3 refuses the listing
   */
  static List<S3Object> list(S3ClientConfig clientConfig, String bucket, String prefix) {
    try (S3Client s3 = S3Clients.create(clientConfig, 4)) {
      List<S3Object> objects = new ArrayList<>();
      s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
          .contents()
          .forEach(objects::add);
      return objects;
    } catch (S3Exception e) {
      throw S3Errors.describe(e, "ListObjectsV2").toException();
    }
  }

  private String source(String key) {
    return "s3://" + cp.bucket() + "/" + key;
  }

  /**
   * Which listed objects go where below {@code dir}. Directory markers (keys ending in "/") are
   * skipped; keys without a safe place below {@code dir}, and keys that land on a file another key
   * already has, are refused.
   */
  static Plan plan(String bucket, String prefix, Path dir, List<S3Object> listing) {
    List<Download> downloads = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    Map<Path, String> claimed = new HashMap<>();
    for (S3Object object : listing) {
      String key = object.key();
      if (key.endsWith("/")) {
        continue;
      }
      String source = "s3://" + bucket + "/" + key;
      Path target;
      try {
        target = TargetPaths.resolve(dir, key.substring(prefix.length()));
      } catch (IllegalArgumentException e) {
        refusals.add("refusing " + source + ": " + e.getMessage());
        continue;
      }
      String earlier = claimed.putIfAbsent(target, key);
      if (earlier != null) {
        refusals.add(
            "refusing " + source + ": it lands on the same file as s3://" + bucket + "/" + earlier);
        continue;
      }
      downloads.add(new Download(key, target, object.size()));
    }
    return new Plan(downloads, refusals);
  }

  /** The downloads of a recursive copy, and one message per refused key. */
  record Plan(List<Download> downloads, List<String> refusals) {}

  /** One object to download; its size from the listing lets all its parts go out at once. */
  record Download(String key, Path target, Long sizeBytes) {}
}
