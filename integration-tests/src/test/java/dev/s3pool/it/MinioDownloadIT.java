package dev.s3pool.it;

import dev.s3pool.S3ClientConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.UUID;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The download contract against MinIO in a container; skipped where Docker is not available. MinIO
 * does not say how many HeadObject requests it answered, so those checks are skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioDownloadIT extends DownloadContract {

  private static final String REGION = "us-east-1";

  @Container
  private static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z")
          .withUserName("s3pool-it")
          // A password of this run only, so that finding it anywhere cannot be a coincidence.
          .withPassword("it-secret-" + UUID.randomUUID());

  private S3Client s3;

  @Override
  protected void startServer(Path dataDir) {
    // The container is up: the Testcontainers extension starts it before any @BeforeAll.
    s3 =
        S3Client.builder()
            .endpointOverride(URI.create(MINIO.getS3URL()))
            .region(Region.of(REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
            // The SDK's default trailing checksums (aws-chunked uploads) confuse some servers.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            // The HTTP client the child JVMs use.
            .httpClientBuilder(Apache5HttpClient.builder())
            .build();
  }

  @Override
  protected void stopServer() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected S3ClientConfig clientConfig() {
    return S3ClientConfig.builder()
        .endpointOverride(URI.create(MINIO.getS3URL()))
        .forcePathStyle(true)
        .region(REGION)
        .credentials(S3ClientConfig.Credentials.of(MINIO.getUserName(), MINIO.getPassword()))
        .build();
  }

  @Override
  protected void createBucket(String bucket) {
    s3.createBucket(b -> b.bucket(bucket));
  }

  @Override
  protected void putObject(String bucket, String key, Path file) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  @Override
  protected OptionalLong headObjectCount() {
    return OptionalLong.empty();
  }
}
