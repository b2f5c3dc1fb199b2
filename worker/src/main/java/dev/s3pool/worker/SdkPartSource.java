package dev.s3pool.worker;

import dev.s3pool.runtime.ExtraArgsMapping;
import dev.s3pool.wire.GetObjectJob;
import java.io.IOException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Parts through the SDK's S3 client, built the first time one is asked for. */
final class SdkPartSource implements PartSource {

  private final Supplier<S3Client> factory;
  private S3Client s3;

  SdkPartSource(Supplier<S3Client> factory) {
    this.factory = factory;
  }

  /** The client, built on first use (about 0.3 s of CPU in a starting JVM). */
  synchronized S3Client client() {
    if (s3 == null) {
      s3 = factory.get();
    }
    return s3;
  }

  @Override
  public PartResponse get(GetObjectJob job) {
    GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(job.bucket()).key(job.key());
    if (job.range() != null) {
      b.range(job.range());
    }
    if (job.etag() != null) {
      b.ifMatch(job.etag());
    }
    ExtraArgsMapping.apply(job.extraArgs(), b);
    return new Response(client().getObject(b.build()));
  }

  @Override
  public HeadObjectResponse head(GetObjectJob job) {
    HeadObjectRequest.Builder b = HeadObjectRequest.builder().bucket(job.bucket()).key(job.key());
    ExtraArgsMapping.apply(job.extraArgs(), b);
    return client().headObject(b.build());
  }

  private record Response(ResponseInputStream<GetObjectResponse> body) implements PartResponse {
    @Override
    public String contentRange() {
      return body.response().contentRange();
    }

    @Override
    public Long contentLength() {
      return body.response().contentLength();
    }

    @Override
    public String eTag() {
      return body.response().eTag();
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      return body.read(into, offset, length);
    }

    @Override
    public void abort() {
      body.abort();
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
