package dev.s3pool.cli;

import dev.s3pool.S3ClientConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * An S3-compatible server in this JVM: S3Proxy over a directory, listening on 127.0.0.1 on a free
 * port, with AWS V2/V4 authentication. Used by {@code s3pool demo} and the integration tests.
 *
 * <pre>{@code
 * try (LocalS3Server server = LocalS3Server.start(dataDir)) {
 *   server.createBucket("bucket");
 *   server.putObject("bucket", "big.bin", Path.of("/tmp/big.bin"));
 *   try (ProcessPoolDownloader downloader =
 *       ProcessPoolDownloader.builder().clientConfig(server.clientConfig()).build()) {
 *     downloader.downloadFile("bucket", "big.bin", Path.of("/tmp/copy.bin")).result();
 *   }
 * }
 * }</pre>
 */
public final class LocalS3Server implements AutoCloseable {

  private static final String DEFAULT_ACCESS_KEY = "s3pool-local-access-key";
  private static final String DEFAULT_SECRET_KEY = "s3pool-local-secret-key";
  private static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final BlobStoreContext context;
  private final S3Proxy proxy;
  private final CountingBlobStore served;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  private LocalS3Server(
      BlobStoreContext context,
      S3Proxy proxy,
      CountingBlobStore served,
      String accessKey,
      String secretKey,
      String host) {
    this.context = context;
    this.proxy = proxy;
    this.served = served;
    this.endpoint = URI.create("http://" + host + ":" + proxy.getPort());
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts a server storing its buckets below {@code dataDir}, with the default keys. */
  public static LocalS3Server start(Path dataDir) {
    return start(dataDir, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
  }

  /**
   * Starts a server storing its buckets below {@code dataDir} (created if missing) that accepts
   * requests signed with the given keys.
   *
   * @throws IllegalStateException when the server does not start within 30 seconds
   * @throws UncheckedIOException when {@code dataDir} cannot be created
   */
  public static LocalS3Server start(Path dataDir, String accessKey, String secretKey) {
    return start(dataDir, accessKey, secretKey, "127.0.0.1");
  }

  /**
   * Like {@link #start(Path, String, String)}, listening on {@code host} instead of 127.0.0.1: for
   * tests whose clients live in a network namespace of their own (a test host).
   */
  public static LocalS3Server start(Path dataDir, String accessKey, String secretKey, String host) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Properties properties = new Properties();
    try {
      properties.setProperty(
          "jclouds.filesystem.basedir", Files.createDirectories(dataDir).toRealPath().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dataDir, e);
    }
    BlobStoreContext context =
        ContextBuilder.newBuilder(new FilesystemNio2BlobProviderMetadata())
            .overrides(properties)
            .credentials(accessKey, secretKey)
            .build(BlobStoreContext.class);
    CountingBlobStore served = new CountingBlobStore(context.getBlobStore());
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(served)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .endpoint(URI.create("http://" + host + ":0"))
            // The AWS SDK sends headers S3Proxy does not know (checksum mode, SDK metadata).
            .ignoreUnknownHeaders(true)
            .build();
    try {
      proxy.start();
      awaitStarted(proxy);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      stopQuietly(proxy, e);
      context.close();
      throw e instanceof IllegalStateException ise
          ? ise
          : new IllegalStateException("S3Proxy did not start: " + e, e);
    }
    return new LocalS3Server(context, proxy, served, accessKey, secretKey, host);
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!proxy.getState().equals("STARTED")) {
      if (proxy.getState().equals("FAILED") || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "S3Proxy did not start within " + START_TIMEOUT + ": state " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  /** The server's URL, {@code http://HOST:PORT} (127.0.0.1 unless started on another host). */
  public URI endpoint() {
    return endpoint;
  }

  /** The access key requests must be signed with. */
  public String accessKey() {
    return accessKey;
  }

  /** The secret key requests must be signed with. */
  public String secretKey() {
    return secretKey;
  }

  /** The region clients should sign for: {@code us-east-1}. */
  public String region() {
    return REGION;
  }

  /** A client configuration for this server: its endpoint, path-style, region and keys. */
  public S3ClientConfig clientConfig() {
    return S3ClientConfig.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(REGION)
        .credentials(S3ClientConfig.Credentials.of(accessKey, secretKey))
        .build();
  }

  /**
   * How many HeadObject requests this server has answered so far. Counted where S3Proxy asks its
   * blob store for an object's metadata: GetObject, plain PutObject, listings and {@link
   * #putObject} never do; besides HeadObject only conditional writes (If-Match, If-None-Match) and
   * CompleteMultipartUpload over HTTP do, and count too.
   */
  public long headObjectCount() {
    return served.blobMetadataCalls.get();
  }

  /**
   * Creates a bucket; does nothing when it exists.
   *
   * @throws IllegalArgumentException when {@code bucket} breaks S3's naming rules (3 to 63
   *     lowercase letters, digits, dots and hyphens), which S3Proxy enforces on every request
   */
  public void createBucket(String bucket) {
    if (!BUCKET_NAME.matcher(bucket).matches()) {
      throw new IllegalArgumentException("not a valid S3 bucket name: '" + bucket + "'");
    }
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** Stores {@code file} as {@code bucket/key}, streaming it (no size limit from memory). */
  public void putObject(String bucket, String key, Path file) {
    BlobStore store = context.getBlobStore();
    try {
      store.putBlob(
          bucket,
          store.blobBuilder(key).payload(file.toFile()).contentLength(Files.size(file)).build());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  /** Stores {@code content} as {@code bucket/key}. */
  public void putObject(String bucket, String key, byte[] content) {
    BlobStore store = context.getBlobStore();
    store.putBlob(bucket, store.blobBuilder(key).payload(content).build());
  }

  /** Stops the server and releases the blob store; the data directory is left as it is. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy: " + e, e);
    } finally {
      context.close();
    }
  }

  private static void stopQuietly(S3Proxy proxy, Exception failure) {
    try {
      proxy.stop();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  /** The blob store S3Proxy serves, counting the metadata lookups behind HeadObject. */
  private static final class CountingBlobStore extends ForwardingBlobStore {
    final AtomicLong blobMetadataCalls = new AtomicLong();

    CountingBlobStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public BlobMetadata blobMetadata(String container, String name) {
      blobMetadataCalls.incrementAndGet();
      return super.blobMetadata(container, name);
    }
  }
}
