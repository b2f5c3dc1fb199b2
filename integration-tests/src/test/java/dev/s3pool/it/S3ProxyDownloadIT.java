package dev.s3pool.it;

import dev.s3pool.S3ClientConfig;
import dev.s3pool.cli.LocalS3Server;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.UUID;

/** The download contract against S3Proxy in this JVM, which counts HeadObject requests. */
class S3ProxyDownloadIT extends DownloadContract {

  private LocalS3Server server;

  @Override
  protected void startServer(Path dataDir) {
    // Keys of this run only, so that finding one anywhere cannot be a coincidence.
    String run = UUID.randomUUID().toString();
    server = LocalS3Server.start(dataDir, "it-access-" + run, "it-secret-" + run);
  }

  @Override
  protected void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected S3ClientConfig clientConfig() {
    return server.clientConfig();
  }

  @Override
  protected void createBucket(String bucket) {
    server.createBucket(bucket);
  }

  @Override
  protected void putObject(String bucket, String key, Path file) {
    server.putObject(bucket, key, file);
  }

  @Override
  protected OptionalLong headObjectCount() {
    return OptionalLong.of(server.headObjectCount());
  }
}
