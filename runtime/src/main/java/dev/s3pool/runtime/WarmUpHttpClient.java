package dev.s3pool.runtime;

import java.io.ByteArrayInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The S3 client's HTTP client, which answers the warm-up request ({@link S3Clients#warmUp}) itself
 * with a 1-byte object and passes every other request on.
 */
final class WarmUpHttpClient implements SdkHttpClient {

  /** The header that marks the warm-up request; it never leaves the JVM. */
  static final String HEADER = "x-s3pool-warm-up";

  private final SdkHttpClient http;

  private WarmUpHttpClient(SdkHttpClient http) {
    this.http = http;
  }

  /** A builder for the S3 client: the SDK builds, and later closes, the wrapped client. */
  static SdkHttpClient.Builder<?> wrapping(SdkHttpClient.Builder<?> http) {
    return new Builder(http);
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    if (request.httpRequest().firstMatchingHeader(HEADER).isEmpty()) {
      return http.prepareRequest(request);
    }
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(206)
                    .putHeader("Content-Length", "1")
                    .putHeader("Content-Range", "bytes 0-0/1")
                    .putHeader("ETag", "\"s3pool-warm-up\"")
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(new byte[1])))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public String clientName() {
    return http.clientName();
  }

  @Override
  public void close() {
    http.close();
  }

  private static final class Builder implements SdkHttpClient.Builder<Builder> {
    private final SdkHttpClient.Builder<?> http;

    Builder(SdkHttpClient.Builder<?> http) {
      this.http = http;
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
      return new WarmUpHttpClient(http.buildWithDefaults(serviceDefaults));
    }
  }
}
