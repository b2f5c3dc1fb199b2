package dev.s3pool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.s3pool.S3ClientConfig;
import dev.s3pool.runtime.S3Clients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LocalS3ServerTest {

  private static final String BUCKET = "test-bucket";

  @TempDir static Path dataDir;

  private static LocalS3Server server;
  private static S3Client s3;

  @BeforeAll
  static void startServer() {
    server = LocalS3Server.start(dataDir);
    server.createBucket(BUCKET);
    s3 = S3Clients.create(server.clientConfig(), 4);
  }

  @AfterAll
  static void stopServer() {
    s3.close();
    server.close();
  }

  @Test
  void getObject_returnsWhatWasPut_withoutCountingHead() {
    byte[] content = randomBytes(1024);
    server.putObject(BUCKET, "get/one-kib.bin", content);
    long before = server.headObjectCount();

    byte[] read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("get/one-kib.bin")).asByteArray();

    assertArrayEquals(content, read);
    assertEquals(before, server.headObjectCount());
  }

  @Test
  void headObject_isCountedOnce() {
    server.putObject(BUCKET, "head/one-kib.bin", randomBytes(1024));
    long before = server.headObjectCount();

    long size = s3.headObject(b -> b.bucket(BUCKET).key("head/one-kib.bin")).contentLength();

    assertEquals(1024, size);
    assertEquals(before + 1, server.headObjectCount());
  }

  @Test
  void freshServer_countsOneHeadAfterGetAndHead(@TempDir Path freshDir) {
    try (LocalS3Server fresh = LocalS3Server.start(freshDir);
        S3Client client = S3Clients.create(fresh.clientConfig(), 4)) {
      fresh.createBucket(BUCKET);
      fresh.putObject(BUCKET, "k", randomBytes(1024));

      client.getObjectAsBytes(b -> b.bucket(BUCKET).key("k"));
      assertEquals(0, fresh.headObjectCount());

      client.headObject(b -> b.bucket(BUCKET).key("k"));
      assertEquals(1, fresh.headObjectCount());
    }
  }

  @Test
  void putObject_fromFile_isReadBackByteForByte(@TempDir Path scratch) throws Exception {
    Path file = Files.write(scratch.resolve("upload.bin"), randomBytes(3 * 1024 * 1024 + 7));
    server.putObject(BUCKET, "dir/sub/upload.bin", file);

    byte[] read =
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("dir/sub/upload.bin")).asByteArray();

    assertArrayEquals(Files.readAllBytes(file), read);
  }

  @Test
  void wrongSecret_isRejected403() {
    S3ClientConfig wrongSecret =
        server.clientConfig().toBuilder()
            .credentials(S3ClientConfig.Credentials.of(server.accessKey(), "not-the-secret"))
            .build();
    try (S3Client intruder = S3Clients.create(wrongSecret, 4)) {
      S3Exception e =
          assertThrows(S3Exception.class, () -> intruder.listObjectsV2(b -> b.bucket(BUCKET)));
      assertEquals(403, e.statusCode());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"b", "Upper", "under_score", "-leading", "trailing-"})
  void createBucket_refusesNamesS3ClientsCannotUse(String bucket) {
    assertThrows(IllegalArgumentException.class, () -> server.createBucket(bucket));
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
