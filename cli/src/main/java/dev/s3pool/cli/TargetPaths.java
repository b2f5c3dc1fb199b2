package dev.s3pool.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Maps S3 keys to files below a local directory, refusing any key that would leave it. */
final class TargetPaths {

  private TargetPaths() {}

  /**
   * The prefix a recursive copy lists: {@code prefix} with a trailing "/" (as aws s3 cp does), or
   * "" for the whole bucket.
   */
  static String directoryPrefix(String prefix) {
    return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }

  /** The last segment of {@code key}: the file name a single copy into a directory uses. */
  static String basename(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  /**
   * The file for {@code relativeKey} (a key with the listed prefix removed) below {@code dir}.
   *
   * @throws IllegalArgumentException saying why the key has no safe place below {@code dir}: it is
   *     empty, absolute, has a "." or ".." segment, is not a valid path, or resolves outside
   */
  static Path resolve(Path dir, String relativeKey) {
    if (relativeKey.isEmpty() || relativeKey.endsWith("/")) {
      throw new IllegalArgumentException("it names a directory, not a file");
    }
    if (relativeKey.startsWith("/")) {
      throw new IllegalArgumentException("it is an absolute path");
    }
    for (String segment : relativeKey.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException("it has a '" + segment + "' segment");
      }
    }
    Path base = dir.toAbsolutePath().normalize();
    Path target;
    try {
      target = base.resolve(relativeKey).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("it is not a valid path here: " + e.getReason(), e);
    }
    if (!target.startsWith(base) || target.equals(base)) {
      throw new IllegalArgumentException("it resolves outside " + base);
    }
    return target;
  }
}
