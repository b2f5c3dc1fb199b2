package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Files for the integration tests: generated content, SHA-256, and what a directory holds. */
final class TestFiles {

  private static final int BUFFER_BYTES = 64 * 1024;

  private TestFiles() {}

  /**
   * Writes {@code sizeBytes} pseudo-random bytes, the same for the same seed, streaming (a 100 MiB
   * file never sits in memory). Returns {@code file}.
   */
  static Path writeRandom(Path file, long sizeBytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long left = sizeBytes; left > 0; left -= buffer.length) {
          random.nextBytes(buffer);
          out.write(buffer, 0, (int) Math.min(buffer.length, left));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The SHA-256 of the file's content, in hex. */
  static String sha256(Path file) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Asserts that {@code file} has the same size and SHA-256 as {@code expected}. */
  static void assertSameContent(Path expected, Path file) {
    try {
      assertEquals(Files.size(expected), Files.size(file), "size of " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(sha256(expected), sha256(file), "SHA-256 of " + file);
  }

  /**
   * Asserts that the regular files below {@code dir}, as '/'-separated paths relative to it, are
   * exactly {@code expected}: nothing missing, and nothing else, such as a leftover temp file
   * {@code name.xxxxxxxx}.
   */
  static void assertHoldsExactly(Path dir, Set<String> expected) {
    assertEquals(new TreeSet<>(expected), regularFiles(dir), "files below " + dir);
  }

  /** The regular files below {@code dir}, relative to it; empty when it does not exist. */
  static Set<String> regularFiles(Path dir) {
    if (!Files.exists(dir)) {
      return new TreeSet<>();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
