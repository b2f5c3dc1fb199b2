package dev.s3pool.worker;

import dev.s3pool.S3ClientConfig;
import dev.s3pool.runtime.S3Clients;
import dev.s3pool.wire.GetObjectJob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.model.GetUrlRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Parts by GETs signed here (the SDK's SigV4 signer) and sent straight through Apache's HTTP
 * client, without the SDK's request pipeline: on this machine a fresh JVM gets 500 objects of 64
 * KiB with under half the CPU (bench/README.md). Only the plain case goes this way: a bucket name
 * without ARN or suffix, a key without empty or dot segments, no extra arguments. Everything else,
 * and every answer other than 200 or 206 (and a request that gets no answer), goes through the
 * SDK's client, so that errors, retries and the SDK's special cases stay the SDK's.
 */
final class DirectPartSource implements PartSource {

  /** Set to false (a JVM option of the worker) to send every GET through the SDK's client. */
  static final String ENABLED_PROPERTY = "s3pool.directGets";

  private static final Logger log = LoggerFactory.getLogger(DirectPartSource.class);

  /** A bucket name that needs no ARN parsing, S3 Express session or other signing scheme. */
  private static final Pattern PLAIN_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private static final String[] PROXY_SETTINGS = {"http.proxyHost", "https.proxyHost"};
  private static final String[] PROXY_VARIABLES = {
    "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"
  };

  private final SdkPartSource sdk;
  private final CloseableHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final S3Utilities urls;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  private final AtomicBoolean refusedOnlyHere = new AtomicBoolean();

  /** Per bucket, its objects' URL up to the encoded key, or "" where the SDK must do the GET. */
  private final Map<String, String> bucketUrls = new ConcurrentHashMap<>();

  DirectPartSource(S3ClientConfig config, int maxConnections, SdkPartSource sdk) {
    this.sdk = sdk;
    this.http = S3Clients.httpClient(config, maxConnections);
    this.credentials = S3Clients.credentials(config);
    this.region = S3Clients.region(config);
    S3Utilities.Builder utilities =
        S3Utilities.builder()
            .region(region)
            .s3Configuration(
                S3Configuration.builder().pathStyleAccessEnabled(config.forcePathStyle()).build());
    config.endpointOverride().ifPresent(utilities::endpoint);
    this.urls = utilities.build();
  }

  /**
   * Whether this JVM may send GETs itself: not when told otherwise ({@value #ENABLED_PROPERTY}),
   * and not through a proxy, whose settings the SDK's client reads and this one would not.
   */
  static boolean enabled() {
    if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
      return false;
    }
    for (String property : PROXY_SETTINGS) {
      if (System.getProperty(property) != null) {
        return false;
      }
    }
    for (String variable : PROXY_VARIABLES) {
      if (System.getenv(variable) != null) {
        return false;
      }
    }
    return true;
  }

  @Override
  public PartResponse get(GetObjectJob job) {
    String url = url(job);
    if (url == null) {
      return sdk.get(job);
    }
    HttpGet get = signed(url, job.range(), job.etag());
    ClassicHttpResponse response;
    try {
      response = http.executeOpen(null, get, null);
    } catch (IOException e) {
      log.debug(
          "transferId={} GET {} failed, asking the SDK: {}", job.transferId(), url, e.toString());
      return sdk.get(job);
    }
    int status = response.getCode();
    if (status == 200 || status == 206) {
      return new Response(get, response);
    }
    log.debug("transferId={} GET {} answered {}, asking the SDK", job.transferId(), url, status);
    new Response(get, response).abort();
    PartResponse second = sdk.get(job);
    if ((status == 400 || status == 403) && refusedOnlyHere.compareAndSet(false, true)) {
      // Every GET may then be made twice: worth an operator's look (a clock the SDK corrects for,
      // a server that wants something the SDK sends).
      log.warn(
          "a GET of s3://{}/{} signed by this worker was answered {}, the same GET through the"
              + " SDK succeeded; told once per JVM. -D{}=false sends every GET through the SDK",
          job.bucket(),
          job.key(),
          status,
          ENABLED_PROPERTY);
    }
    return second;
  }

  /**
   * Makes and signs one request without sending it, so that code running for the first time (the
   * endpoint rules, the signer, the credentials) does so before the first job. A worker does this
   * while it connects to the broker; a failure is only logged, since the real requests report their
   * own.
   */
  void warmUp() {
    try {
      signed(bucketUrl("s3pool-warm-up") + "warm-up", "bytes=0-0", "\"warm-up\"");
      log.debug("direct GETs warmed up");
    } catch (RuntimeException e) {
      log.debug("direct GET warm-up failed", e);
    }
  }

  @Override
  public HeadObjectResponse head(GetObjectJob job) {
    return sdk.head(job);
  }

  /** The object's URL, or null when the SDK must make this request. */
  private String url(GetObjectJob job) {
    if (!job.extraArgs().isEmpty() || !plainKey(job.key())) {
      return null;
    }
    String bucketUrl = bucketUrls.computeIfAbsent(job.bucket(), this::bucketUrl);
    return bucketUrl.isEmpty() ? null : bucketUrl + SdkHttpUtils.urlEncodeIgnoreSlashes(job.key());
  }

  /**
   * The URL of the bucket's objects up to the key, as the SDK's endpoint rules make it (path or
   * virtual-host style, the region's endpoint or the override), or "" for a bucket the SDK must
   * handle.
   */
  private String bucketUrl(String bucket) {
    if (!plainBucket(bucket)) {
      return "";
    }
    String probe = "k";
    String url = urls.getUrl(GetUrlRequest.builder().bucket(bucket).key(probe).build()).toString();
    return url.endsWith("/" + probe) ? url.substring(0, url.length() - probe.length()) : "";
  }

  /**
   * A bucket name the SDK's endpoint rules turn into a plain URL signed with SigV4: not an ARN, and
   * without the {@code --} of a directory bucket ({@code --x-s3}, S3 Express sessions) or an Object
   * Lambda alias ({@code --ol-s3}).
   */
  static boolean plainBucket(String bucket) {
    return PLAIN_BUCKET.matcher(bucket).matches()
        && !bucket.contains("..")
        && !bucket.contains("--");
  }

  /**
   * A key whose encoded form is the path as sent: no empty segment ({@code a//b}, a leading or
   * trailing slash's neighbour) and no {@code .} or {@code ..} segment, which an HTTP stack might
   * normalise away.
   */
  static boolean plainKey(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.contains("//")) {
      return false;
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private HttpGet signed(String url, String range, String etag) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(url));
    if (range != null) {
      request.putHeader("Range", range);
    }
    if (etag != null) {
      request.putHeader("If-Match", etag);
    }
    SdkHttpRequest signed =
        signer
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request.build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    HttpGet get = new HttpGet(signed.getUri());
    signed.forEachHeader(
        (name, values) -> {
          // Apache's client writes Host itself, from the same URI.
          if (!name.equalsIgnoreCase("Host")) {
            values.forEach(value -> get.addHeader(name, value));
          }
        });
    return get;
  }

  private static final class Response implements PartResponse {
    private final HttpGet request;
    private final ClassicHttpResponse response;
    private InputStream body;

    Response(HttpGet request, ClassicHttpResponse response) {
      this.request = request;
      this.response = response;
    }

    @Override
    public String contentRange() {
      return header("Content-Range");
    }

    @Override
    public Long contentLength() {
      String length = header("Content-Length");
      return length == null ? null : Long.valueOf(length.trim());
    }

    @Override
    public String eTag() {
      return header("ETag");
    }

    private String header(String name) {
      Header header = response.getFirstHeader(name);
      return header == null ? null : header.getValue();
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (body == null) {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
          return -1;
        }
        body = entity.getContent();
      }
      return body.read(into, offset, length);
    }

    @Override
    public void abort() {
      request.cancel();
      try {
        response.close();
      } catch (IOException e) {
        log.debug("closing an aborted response: {}", e.toString());
      }
    }

    @Override
    public void close() throws IOException {
      response.close();
    }
  }
}
