package dev.s3pool.worker;

import dev.s3pool.wire.GetObjectJob;
import java.io.Closeable;
import java.io.IOException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Where a worker gets a job's bytes from: one GET of the job's range per call. S3's refusals come
 * as the SDK's {@code S3Exception}, other failures before the response head as {@code
 * SdkException}, so the worker reads every error the same way whichever path made the request.
 */
interface PartSource {

  /** Sends the job's GET and returns its successful response, head read, body not yet. */
  PartResponse get(GetObjectJob job);

  /** A HeadObject with the job's bucket, key and extra arguments. */
  HeadObjectResponse head(GetObjectJob job);

  /** A successful GET's response as the worker reads it. */
  interface PartResponse extends Closeable {

    /** The Content-Range header, or null. */
    String contentRange();

    /** The Content-Length header, or null. */
    Long contentLength();

    /** The ETag header, or null. */
    String eTag();

    /** Reads body bytes as {@link java.io.InputStream#read(byte[], int, int)} does. */
    int read(byte[] into, int offset, int length) throws IOException;

    /** Gives up on the rest of the body: its connection is closed instead of reused. */
    void abort();
  }
}
