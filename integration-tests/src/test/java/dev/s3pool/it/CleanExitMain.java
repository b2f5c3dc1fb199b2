package dev.s3pool.it;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.S3ClientConfig;
import java.net.URI;
import java.nio.file.Path;

/**
 * A program that uses s3pool the ordinary way, for {@link ParentDeathIT}: one download in
 * try-with-resources, then main returns. Its JVM must end right after, with no System.exit.
 *
 * <p>Arguments: endpoint accessKey secretKey bucket key targetFile.
 */
public final class CleanExitMain {

  private CleanExitMain() {}

  public static void main(String[] args) {
    S3ClientConfig client = clientConfig(args);
    try (ProcessPoolDownloader downloader =
        ProcessPoolDownloader.builder().clientConfig(client).workerProcesses(1).build()) {
      downloader.downloadFile(args[3], args[4], Path.of(args[5])).result();
    }
    System.out.println("closed");
  }

  /** The client settings both test mains take as args[0..2]: endpoint, access key, secret key. */
  static S3ClientConfig clientConfig(String[] args) {
    return S3ClientConfig.builder()
        .endpointOverride(URI.create(args[0]))
        .forcePathStyle(true)
        .region("us-east-1")
        .credentials(S3ClientConfig.Credentials.of(args[1], args[2]))
        .build();
  }
}
