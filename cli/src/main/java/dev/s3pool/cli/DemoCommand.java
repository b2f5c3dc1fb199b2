package dev.s3pool.cli;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.S3ClientConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Runs {@code s3pool demo}: uploads generated objects to a {@link LocalS3Server}, downloads them
 * one after another through a {@link ProcessPoolDownloader}, checks each SHA-256 and prints the
 * throughput. Everything lives in one temporary directory, deleted at the end.
 */
final class DemoCommand {

  private static final String BUCKET = "s3pool-demo";
  private static final int BUFFER_BYTES = 1 << 20;

  private final PrintStream out;
  private final PrintStream err;

  DemoCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Returns {@link S3Pool#OK} only when every object came back byte for byte. */
  int run(List<Long> sizesBytes) {
    Path root;
    try {
      root = Files.createTempDirectory("s3pool-demo-");
    } catch (IOException e) {
      err.println("s3pool: demo failed: " + S3Pool.describe(e));
      return S3Pool.FAILED;
    }
    // Ctrl-C skips the finally block below; the hook removes the files then.
    Thread cleanup = new Thread(() -> deleteTree(root), "s3pool-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (LocalS3Server server = LocalS3Server.start(root.resolve("s3"))) {
      List<Uploaded> objects = upload(server, root.resolve("source"), sizesBytes);
      Path downloads = Files.createDirectories(root.resolve("downloads"));
      return report(download(server.clientConfig(), downloads, objects));
    } catch (IOException | RuntimeException e) {
      err.println("s3pool: demo failed: " + S3Pool.describe(e));
      return S3Pool.FAILED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // The JVM is already exiting and runs the hook.
      }
      deleteTree(root);
    }
  }

  private List<Uploaded> upload(LocalS3Server server, Path sourceDir, List<Long> sizesBytes)
      throws IOException {
    long totalBytes = sizesBytes.stream().mapToLong(Long::longValue).sum();
    out.printf(
        "s3pool demo: %d objects, %s, on S3Proxy at %s, bucket %s%n",
        sizesBytes.size(), humanBytes(totalBytes), server.endpoint(), BUCKET);
    server.createBucket(BUCKET);
    Files.createDirectories(sourceDir);
    SplittableRandom random = new SplittableRandom();
    List<Uploaded> uploaded = new ArrayList<>();
    for (int i = 0; i < sizesBytes.size(); i++) {
      long size = sizesBytes.get(i);
      String name = String.format("%02d-%d.bin", i + 1, size);
      Path file = sourceDir.resolve(name);
      byte[] sha256 = writeRandomFile(file, size, random.split());
      server.putObject(BUCKET, "demo/" + name, file);
      Files.delete(file);
      uploaded.add(new Uploaded("demo/" + name, size, HexFormat.of().formatHex(sha256)));
    }
    return uploaded;
  }

  private List<Row> download(S3ClientConfig clientConfig, Path dir, List<Uploaded> objects) {
    List<Row> rows = new ArrayList<>();
    try (ProcessPoolDownloader downloader =
        ProcessPoolDownloader.builder().clientConfig(clientConfig).build()) {
      for (Uploaded object : objects) {
        Path target = dir.resolve(TargetPaths.basename(object.key()));
        long start = System.nanoTime();
        String error = null;
        try {
          downloader.downloadFile(BUCKET, object.key(), target).result();
        } catch (RuntimeException e) {
          error = S3Pool.describe(e);
        }
        rows.add(new Row(object, target, System.nanoTime() - start, error));
      }
    }
    return rows;
  }

  private int report(List<Row> rows) {
    int keyWidth = rows.stream().mapToInt(r -> r.object().key().length()).max().orElse(0);
    String format = "%-" + Math.max(keyWidth, 5) + "s %12s %9s %9s  %s%n";
    out.printf(format, "key", "bytes", "seconds", "MB/s", "result");
    long totalBytes = 0;
    long totalNanos = 0;
    List<String> problems = new ArrayList<>();
    for (Row row : rows) {
      String result = verify(row, problems);
      out.printf(
          format,
          row.object().key(),
          row.object().sizeBytes(),
          seconds(row.nanos()),
          row.error() == null ? megabytesPerSecond(row.object().sizeBytes(), row.nanos()) : "-",
          result);
      totalBytes += row.object().sizeBytes();
      totalNanos += row.nanos();
    }
    int ok = rows.size() - problems.size();
    out.printf(
        format,
        "total",
        totalBytes,
        seconds(totalNanos),
        problems.isEmpty() ? megabytesPerSecond(totalBytes, totalNanos) : "-",
        ok + " of " + rows.size() + " OK");
    out.println("(the first download includes starting the broker, submitter and worker JVMs)");
    for (String problem : problems) {
      err.println("s3pool: demo: " + problem);
    }
    return problems.isEmpty() ? S3Pool.OK : S3Pool.FAILED;
  }

  /** OK, MISMATCH or FAILED; anything but OK also adds a line to {@code problems}. */
  private static String verify(Row row, List<String> problems) {
    String key = row.object().key();
    if (row.error() != null) {
      problems.add(key + " failed: " + row.error());
      return "FAILED";
    }
    try {
      if (row.object().sha256().equals(HexFormat.of().formatHex(sha256Of(row.target())))) {
        return "OK";
      }
      problems.add(key + ": the downloaded file's SHA-256 differs from the uploaded object's");
      return "MISMATCH";
    } catch (IOException e) {
      problems.add(key + " failed: " + S3Pool.describe(e));
      return "FAILED";
    }
  }

  /** Writes {@code sizeBytes} random bytes to a new file; returns their SHA-256. */
  static byte[] writeRandomFile(Path file, long sizeBytes, SplittableRandom random)
      throws IOException {
    MessageDigest sha256 = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    try (FileChannel channel = FileChannel.open(file, CREATE_NEW, WRITE)) {
      for (long left = sizeBytes; left > 0; ) {
        int chunk = (int) Math.min(BUFFER_BYTES, left);
        buffer.clear();
        while (buffer.position() + Long.BYTES <= chunk) {
          buffer.putLong(random.nextLong());
        }
        while (buffer.position() < chunk) {
          buffer.put((byte) random.nextInt());
        }
        buffer.flip();
        sha256.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        left -= chunk;
      }
    }
    return sha256.digest();
  }

  /** The SHA-256 of a file's content, read in bounded chunks. */
  static byte[] sha256Of(Path file) throws IOException {
    MessageDigest sha256 = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    try (FileChannel channel = FileChannel.open(file, READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        sha256.update(buffer);
        buffer.clear();
      }
    }
    return sha256.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | RuntimeException e) {
      if (Files.exists(root)) {
        err.println("s3pool: demo: could not delete " + root + ": " + S3Pool.describe(e));
      }
    }
  }

  static String humanBytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, units[unit]);
  }

  private static String seconds(long nanos) {
    return String.format("%.3f", nanos / 1e9);
  }

  private static String megabytesPerSecond(long bytes, long nanos) {
    return nanos <= 0 ? "-" : String.format("%.1f", bytes / 1e6 / (nanos / 1e9));
  }

  /** An uploaded object and the SHA-256 of what was uploaded. */
  private record Uploaded(String key, long sizeBytes, String sha256) {}

  /** One download: where it went, how long it took, and its error or null. */
  private record Row(Uploaded object, Path target, long nanos, String error) {}
}
