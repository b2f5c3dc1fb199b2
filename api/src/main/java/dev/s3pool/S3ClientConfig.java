package dev.s3pool;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the submitter and worker JVMs build their S3 clients: the reference's {@code client_kwargs}.
 * Anything left unset comes from the AWS defaults (region and credentials provider chains).
 *
 * <pre>{@code
 * S3ClientConfig client = S3ClientConfig.builder()
 *     .region("us-west-2")
 *     .endpointOverride(URI.create("http://127.0.0.1:9000"))
 *     .forcePathStyle(true)
 *     .credentials(Credentials.of("AKIA...", "secret"))
 *     .build();
 * }</pre>
 *
 * <p>Explicit credentials reach worker JVMs through their standard input, never through a message
 * or a command line; {@link #toString()} does not print them.
 */
public final class S3ClientConfig {

  private static final S3ClientConfig DEFAULTS = builder().build();

  private final String region;
  private final URI endpointOverride;
  private final boolean forcePathStyle;
  private final Credentials credentials;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private S3ClientConfig(Builder b) {
    this.region = b.region;
    this.endpointOverride = b.endpointOverride;
    this.forcePathStyle = b.forcePathStyle;
    this.credentials = b.credentials;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
  }

  /** Everything from the AWS defaults. */
  public static S3ClientConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The region, or empty for the AWS region settings: {@code aws.region}, {@code AWS_REGION}, the
   * profile; then, with an endpoint override, us-east-1, and without one the EC2 metadata service.
   */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  /** The endpoint, for S3-compatible servers, or empty for AWS S3. */
  public Optional<URI> endpointOverride() {
    return Optional.ofNullable(endpointOverride);
  }

  /** Path-style addressing ({@code http://host/bucket/key}), as S3-compatible servers expect. */
  public boolean forcePathStyle() {
    return forcePathStyle;
  }

  /** Static credentials, or empty for the AWS default credentials provider chain. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long a read on an open connection may wait for data before it counts as stalled. */
  public Duration readTimeout() {
    return readTimeout;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.region = region;
    b.endpointOverride = endpointOverride;
    b.forcePathStyle = forcePathStyle;
    b.credentials = credentials;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    return b;
  }

  @Override
  public String toString() {
    return "S3ClientConfig[region="
        + region
        + ", endpointOverride="
        + endpointOverride
        + ", forcePathStyle="
        + forcePathStyle
        + ", credentials="
        + (credentials == null ? "default chain" : "static")
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + "]";
  }

  /**
   * Static AWS credentials.
   *
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret key
   * @param sessionToken a session token, or null
   */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    public Credentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      if (accessKeyId.isBlank()) {
        throw new IllegalArgumentException("accessKeyId must not be blank");
      }
    }

    public static Credentials of(String accessKeyId, String secretAccessKey) {
      return new Credentials(accessKeyId, secretAccessKey, null);
    }

    @Override
    public String toString() {
      return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
    }
  }

  /** Builds an {@link S3ClientConfig}. */
  public static final class Builder {
    private String region;
    private URI endpointOverride;
    private boolean forcePathStyle;
    private Credentials credentials;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);

    private Builder() {}

    public Builder region(String region) {
      if (region != null && region.isBlank()) {
        throw new IllegalArgumentException("region must not be blank: '" + region + "'");
      }
      this.region = region;
      return this;
    }

    public Builder endpointOverride(URI endpoint) {
      if (endpoint != null
          && (endpoint.getScheme() == null
              || !(endpoint.getScheme().equalsIgnoreCase("http")
                  || endpoint.getScheme().equalsIgnoreCase("https"))
              || endpoint.getHost() == null)) {
        throw new IllegalArgumentException(
            "endpointOverride must be an http(s) URL with a host: " + endpoint);
      }
      this.endpointOverride = endpoint;
      return this;
    }

    public Builder forcePathStyle(boolean forcePathStyle) {
      this.forcePathStyle = forcePathStyle;
      return this;
    }

    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive("readTimeout", timeout);
      return this;
    }

    public S3ClientConfig build() {
      return new S3ClientConfig(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0: " + value);
      }
      return value;
    }
  }
}
