package dev.s3pool.runtime;

import dev.s3pool.S3ClientConfig;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Builds the S3 client of a child JVM from {@link S3ClientConfig}. */
public final class S3Clients {

  /** Region used with an endpoint override when no region is configured anywhere. */
  static final Region FALLBACK_REGION = Region.US_EAST_1;

  private static final Logger log = LoggerFactory.getLogger(S3Clients.class);

  private static final TlsSocketStrategy NO_TLS =
      (socket, target, port, attachment, context) -> {
        throw new SSLException(
            "s3pool set this S3 client up for a plain-HTTP endpoint; it makes no TLS connection (to "
                + target
                + ":"
                + port
                + ")");
      };

  private S3Clients() {}

  /** A client with a connection pool for {@code maxConnections} concurrent requests. */
  public static S3Client create(S3ClientConfig config, int maxConnections) {
    Apache5HttpClient.Builder http =
        Apache5HttpClient.builder()
            .maxConnections(maxConnections)
            .connectionTimeout(config.connectTimeout())
            .socketTimeout(config.readTimeout());
    if (plainHttp(config)) {
      http.tlsSocketStrategy(NO_TLS);
    }
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(WarmUpHttpClient.wrapping(http))
            .credentialsProvider(credentials(config))
            .region(region(config))
            .forcePathStyle(config.forcePathStyle())
            // Checksums only when the caller asks (ChecksumMode extra arg), as in the reference;
            // by default the SDK would checksum every body, costing CPU on the hot path.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    config.endpointOverride().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * An Apache HTTP client set up as the SDK's above (pool, timeouts, TLS from the JDK's settings or
   * none for a plain-HTTP endpoint; no redirects, retries, cookies or decompression), for requests
   * signed by the caller.
   */
  public static CloseableHttpClient httpClient(S3ClientConfig config, int maxConnections) {
    PoolingHttpClientConnectionManagerBuilder pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(config.connectTimeout()))
                    .setSocketTimeout(Timeout.of(config.readTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build());
    // As the SDK's client: the JDK's trust store, and a key store from the javax.net.ssl
    // properties for servers that want a client certificate.
    pool.setTlsSocketStrategy(
        plainHttp(config) ? NO_TLS : DefaultClientTlsStrategy.createSystemDefault());
    return HttpClients.custom()
        .setConnectionManager(pool.build())
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableContentCompression()
        .setUserAgent("s3pool")
        .build();
  }

  /**
   * Whether every request goes to a plain-HTTP endpoint, so that a client never needs TLS. Without
   * TLS set up, building a client no longer makes an SSL context and reads the JDK's trust store,
   * about 0.1 s of CPU in a starting JVM.
   */
  private static boolean plainHttp(S3ClientConfig config) {
    return config.endpointOverride().map(e -> "http".equalsIgnoreCase(e.getScheme())).orElse(false);
  }

  /**
   * Runs one GetObject through {@code s3}'s whole request path (credentials, endpoint rules,
   * signing, interceptors, response parsing) without the network: the HTTP client answers it
   * itself. Code that runs for the first time is slow, and the first real request then takes about
   * 30 ms instead of 90 ms. A worker does this while it connects to the broker. Returns whether the
   * request went through; a failure is only logged, since the real requests report their own.
   */
  public static boolean warmUp(S3Client s3) {
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket("s3pool-warm-up")
            .key("warm-up")
            .range("bytes=0-0")
            .overrideConfiguration(o -> o.putHeader(WarmUpHttpClient.HEADER, "1"))
            .build();
    try (ResponseInputStream<GetObjectResponse> body = s3.getObject(request)) {
      return body.readAllBytes().length == 1;
    } catch (IOException | RuntimeException e) {
      log.debug("S3 client warm-up failed", e);
      return false;
    }
  }

  /** The configured credentials, else the SDK's default chain (environment, profile, ...). */
  public static AwsCredentialsProvider credentials(S3ClientConfig config) {
    return config
        .credentials()
        .<AwsCredentialsProvider>map(
            c ->
                StaticCredentialsProvider.create(
                    c.sessionToken() == null
                        ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                        : AwsSessionCredentials.create(
                            c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  /**
   * The configured region; else {@code aws.region}, {@code AWS_REGION} or the profile's region;
   * else, with an endpoint override, us-east-1, as boto3 does; else the EC2 instance's region from
   * its metadata service. The metadata service is not asked when an endpoint is given: off EC2 the
   * attempt takes about 0.9 s before it fails, in every JVM that needs a region.
   */
  public static Region region(S3ClientConfig config) {
    if (config.region().isPresent()) {
      return Region.of(config.region().get());
    }
    try {
      return new AwsRegionProviderChain(
              new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
          .getRegion();
    } catch (SdkClientException notSet) {
      if (config.endpointOverride().isPresent()) {
        return FALLBACK_REGION;
      }
      try {
        return new InstanceProfileRegionProvider().getRegion();
      } catch (SdkClientException e) {
        throw new IllegalStateException(
            "no AWS region configured: set AWS_REGION, a profile region, or S3ClientConfig.region",
            e);
      }
    }
  }
}
