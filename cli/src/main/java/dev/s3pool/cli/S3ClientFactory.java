package dev.s3pool.cli;

import dev.s3pool.S3ClientConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds an AWS SDK S3 client in this JVM from the settings the child JVMs get. */
final class S3ClientFactory {

  private S3ClientFactory() {}

  /**
   * A client for {@code config}; whatever it leaves unset comes from the AWS default chains. The
   * HTTP client is the SDK's default (Apache 5), with its default timeouts: this client only lists
   * objects, the child JVMs move the data.
   */
  static S3Client create(S3ClientConfig config) {
    S3ClientBuilder builder = S3Client.builder().forcePathStyle(config.forcePathStyle());
    config.region().ifPresent(region -> builder.region(Region.of(region)));
    config.endpointOverride().ifPresent(builder::endpointOverride);
    config
        .credentials()
        .ifPresent(c -> builder.credentialsProvider(StaticCredentialsProvider.create(toSdk(c))));
    return builder.build();
  }

  private static AwsCredentials toSdk(S3ClientConfig.Credentials c) {
    return c.sessionToken() == null
        ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
        : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }
}
