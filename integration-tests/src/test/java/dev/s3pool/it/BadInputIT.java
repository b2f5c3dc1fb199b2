package dev.s3pool.it;

import static dev.s3pool.it.TestFiles.regularFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.S3TransferException;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, each case from the README's table: a clear error naming the problem, a future that
 * completes, and nothing left on disk.
 */
class BadInputIT {

  private static final String BUCKET = "bad-input";
  private static final int OBJECT_BYTES = 300_000;
  private static final ProcessTransferConfig SMALL =
      ProcessTransferConfig.builder()
          .multipartThreshold(128 * 1024)
          .multipartChunksize(128 * 1024)
          .maxRequestProcesses(2)
          .build();

  @TempDir static Path classDir;
  @TempDir Path dir;

  private static LocalS3Server server;
  private static ProcessPoolDownloader downloader;
  private final List<TransferFuture> futures = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = LocalS3Server.start(classDir.resolve("server"));
    server.createBucket(BUCKET);
    server.putObject(BUCKET, "object", new byte[OBJECT_BYTES]);
    server.putObject(BUCKET, "dir/inside", new byte[] {1});
    downloader =
        ProcessPoolDownloader.builder()
            .clientConfig(server.clientConfig())
            .config(SMALL)
            .workerProcesses(1)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    List<ProcessHandle> children = downloader.childProcesses();
    downloader.close();
    children.forEach(c -> assertTrue(!c.isAlive(), "child JVM " + c.pid() + " outlived close()"));
    server.close();
  }

  @AfterEach
  void everyFutureDone() {
    futures.forEach(f -> assertTrue(f.done(), "a future of this test is not done"));
  }

  @Test
  void destinationDirectoryMissing_failsNamingIt() throws Exception {
    Path missing = dir.resolve("no-such-dir");

    S3TransferException e = failure(downloader, "object", missing.resolve("file"), null);

    assertTrue(e.getMessage().contains("no such file or directory: " + missing), e.getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void destinationIsADirectory_failsNamingIt() throws Exception {
    Path target = Files.createDirectory(dir.resolve("a-directory"));

    S3TransferException e = failure(downloader, "object", target, null);

    assertEquals("destination is a directory: " + target, e.getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void destinationNotWritable_failsNamingIt() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    ReadOnlyDirectory guard = ReadOnlyDirectory.of(readOnly);
    try {
      S3TransferException e = failure(downloader, "object", readOnly.resolve("file"), null);

      assertTrue(e.getMessage().startsWith("cannot create the download file for "), e.getMessage());
      assertTrue(e.getMessage().contains(readOnly.toString()), e.getMessage());
    } finally {
      guard.close();
    }
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void bucketMissing_fails404() throws Exception {
    S3TransferException e =
        failure(downloader, "no-such-bucket-here", "object", dir.resolve("file"), null);

    assertEquals(404, e.statusCode());
    assertEquals("NoSuchBucket", e.errorCode());
    assertEquals("GetObject", e.operation());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void keyIsADirectoryPrefix_fails404() throws Exception {
    S3TransferException e = failure(downloader, "dir", dir.resolve("file"), null);

    assertEquals(DownloadContract.MISSING_KEY_MESSAGE, e.getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void accessDenied_wrongKeys_fails403() throws Exception {
    S3ClientConfig wrongKeys =
        server.clientConfig().toBuilder()
            .credentials(S3ClientConfig.Credentials.of(server.accessKey(), "not-the-secret"))
            .build();
    try (ProcessPoolDownloader intruder =
        ProcessPoolDownloader.builder().clientConfig(wrongKeys).workerProcesses(1).build()) {
      S3TransferException e = failure(intruder, "object", dir.resolve("file"), null);

      assertEquals(403, e.statusCode());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "An error occurred (SignatureDoesNotMatch) when calling the GetObject operation:"),
          e.getMessage());
    }
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void endpointUnreachable_failsWithConnectionErrorInBoundedTime() throws Exception {
    S3ClientConfig nowhere =
        server.clientConfig().toBuilder()
            .endpointOverride(URI.create("http://127.0.0.1:" + closedPort()))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    long start = System.nanoTime();
    try (ProcessPoolDownloader lost =
        ProcessPoolDownloader.builder().clientConfig(nowhere).workerProcesses(1).build()) {
      S3TransferException e = failure(lost, "object", dir.resolve("file"), null);

      assertTrue(
          e.getMessage().startsWith("Could not complete the GetObject request"), e.getMessage());
      assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void expectedSizeTooSmall_failsSizeMismatch() throws Exception {
    S3TransferException e =
        failure(downloader, "object", dir.resolve("file"), (long) OBJECT_BYTES - 1000);

    assertEquals(
        "s3://bad-input/object is "
            + OBJECT_BYTES
            + " bytes, not the expected "
            + (OBJECT_BYTES - 1000),
        e.getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void expectedSizeTooLarge_failsSizeMismatch() throws Exception {
    S3TransferException e =
        failure(downloader, "object", dir.resolve("file"), (long) OBJECT_BYTES + 1_000_000);

    assertEquals(
        "s3://bad-input/object is "
            + OBJECT_BYTES
            + " bytes, not the expected "
            + (OBJECT_BYTES + 1_000_000),
        e.getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void expectedSizeTooSmall_singlePart_failsSizeMismatch() throws Exception {
    S3TransferException e = failure(downloader, "object", dir.resolve("file"), 10L);

    assertEquals(
        "s3://bad-input/object is " + OBJECT_BYTES + " bytes, not the expected 10", e.getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  @Test
  void blankBucketOrKey_unknownExtraArg_negativeSize_throwAtOnce() {
    Path file = dir.resolve("file");
    assertEquals(
        "bucket must not be blank: ' '",
        assertThrows(IllegalArgumentException.class, () -> downloader.downloadFile(" ", "k", file))
            .getMessage());
    assertEquals(
        "key must not be blank: ''",
        assertThrows(
                IllegalArgumentException.class, () -> downloader.downloadFile(BUCKET, "", file))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    downloader.downloadFile(BUCKET, "k", file, Map.of("Range", "bytes=0-1"), null))
            .getMessage()
            .startsWith("Invalid extra_args key 'Range', must be one of: ChecksumMode, VersionId"));
    assertEquals(
        "expectedSize must be >= 0: -1",
        assertThrows(
                IllegalArgumentException.class,
                () -> downloader.downloadFile(BUCKET, "k", file, Map.of(), -1L))
            .getMessage());
    assertEquals(Set.of(), regularFiles(dir));
  }

  private S3TransferException failure(
      ProcessPoolDownloader d, String key, Path target, Long expectedSize) throws Exception {
    return failure(d, BUCKET, key, target, expectedSize);
  }

  private S3TransferException failure(
      ProcessPoolDownloader d, String bucket, String key, Path target, Long expectedSize)
      throws Exception {
    TransferFuture future = d.downloadFile(bucket, key, target, Map.of(), expectedSize);
    futures.add(future);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.completion().get(60, TimeUnit.SECONDS));
    assertThrows(S3TransferException.class, future::result);
    return assertInstanceOf(S3TransferException.class, e.getCause());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * A directory nobody may create files in, root included: immutable (chattr +i) when running as
   * root, else without write permission.
   */
  private static final class ReadOnlyDirectory implements AutoCloseable {
    private final Path dir;
    private final boolean immutable;

    private ReadOnlyDirectory(Path dir, boolean immutable) {
      this.dir = dir;
      this.immutable = immutable;
    }

    static ReadOnlyDirectory of(Path dir) throws Exception {
      if ("root".equals(System.getProperty("user.name"))) {
        assumeTrue(run("chattr", "+i", dir.toString()) == 0, "chattr +i is not available here");
        return new ReadOnlyDirectory(dir, true);
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
      return new ReadOnlyDirectory(dir, false);
    }

    @Override
    public void close() throws IOException {
      if (immutable) {
        run("chattr", "-i", dir.toString());
      } else {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }

    private static int run(String... command) throws IOException {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return -1;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    }
  }
}
