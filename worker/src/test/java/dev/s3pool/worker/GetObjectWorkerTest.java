package dev.s3pool.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.TransferId;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.JobFailed;
import dev.s3pool.wire.SizeLearned;
import dev.s3pool.wire.WireMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The worker's retry policy and writes, against a scripted S3 client. */
class GetObjectWorkerTest {

  private static final int OFFSET = 1000;
  private static final int LENGTH = 300_000; // more than two buffers
  private static final byte UNTOUCHED = 0x55;
  private static final long OBJECT_SIZE = 900_000;

  @TempDir Path dir;
  private Path temp;
  private final byte[] part = new byte[LENGTH];
  private final ScriptedS3 s3 = new ScriptedS3();
  private GetObjectWorker worker;

  /** What the worker told of object sizes early, with the temporary file's size at that moment. */
  private final List<SizeLearned> sizes = new ArrayList<>();

  private final List<Long> fileSizeWhenTold = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    new Random(7).nextBytes(part);
    temp = dir.resolve("object.abcd1234");
    byte[] file = new byte[OFFSET + LENGTH + 500];
    Arrays.fill(file, UNTOUCHED);
    Files.write(temp, file);
    worker =
        new GetObjectWorker(
            new SdkPartSource(() -> s3),
            "worker-test",
            learned -> {
              sizes.add(learned);
              fileSizeWhenTold.add(temp.toFile().length());
            },
            Duration.ofMillis(1));
  }

  @Test
  void run_fourStreamingFailures_thenSuccess_completesAndRewritesOnlyItsRange() throws IOException {
    for (int i = 0; i < 4; i++) {
      int cut = 50_000 * (i + 1); // each failed attempt wrote a little more of the range
      s3.respond(() -> cutAfter(cut, new IOException("Connection reset")));
    }
    s3.respond(() -> new ByteArrayInputStream(part));

    WireMessage result = worker.run(job());

    JobCompleted completed = assertInstanceOf(JobCompleted.class, result);
    assertEquals(LENGTH, completed.bytes());
    assertEquals("\"etag-1\"", completed.etag());
    assertEquals(5, s3.requests.size());
    byte[] file = Files.readAllBytes(temp);
    assertArrayEquals(part, Arrays.copyOfRange(file, OFFSET, OFFSET + LENGTH));
    for (int i = 0; i < OFFSET; i++) {
      assertEquals(UNTOUCHED, file[i], "byte " + i + " before the range");
    }
    for (int i = OFFSET + LENGTH; i < file.length; i++) {
      assertEquals(UNTOUCHED, file[i], "byte " + i + " after the range");
    }
    assertEquals(List.of(), sizes, "a part of a known size tells nothing");
  }

  @Test
  void run_fiveStreamingFailures_retriesExceededWithTheLastError() {
    for (int i = 0; i < 4; i++) {
      s3.respond(() -> cutAfter(10, new IOException("Connection reset")));
    }
    s3.respond(() -> cutAfter(10, new SocketTimeoutException("Read timed out")));

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(job()));

    assertEquals(ErrorKind.RETRIES_EXCEEDED, failed.error().kind());
    assertEquals("java.net.SocketTimeoutException", failed.error().causeType());
    assertEquals("Read timed out", failed.error().causeMessage());
    assertEquals(GetObjectWorker.MAX_ATTEMPTS, s3.requests.size());
  }

  @Test
  void run_prematureEndOfBody_isRetried() {
    s3.respond(() -> new ByteArrayInputStream(part, 0, LENGTH - 1));
    s3.respond(() -> new ByteArrayInputStream(part));

    assertInstanceOf(JobCompleted.class, worker.run(job()));
    assertEquals(2, s3.requests.size());
  }

  @Test
  void run_serviceError_failsAtOnceWithoutRetry() {
    s3.respond(
        () -> {
          throw (S3Exception)
              S3Exception.builder().statusCode(403).message("Access Denied").build();
        });

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(job()));

    assertEquals(ErrorKind.SERVICE, failed.error().kind());
    assertEquals(403, failed.error().statusCode());
    assertEquals("GetObject", failed.error().operation());
    assertEquals(1, s3.requests.size());
  }

  @Test
  void run_bodyLongerThanThePart_failsWithoutRetry() {
    s3.respond(() -> new ByteArrayInputStream(new byte[LENGTH + 1]));

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(job()));

    assertTrue(
        failed.error().message().contains("more than the expected 300000 bytes"),
        failed.error().message());
    assertEquals(1, s3.requests.size());
  }

  @Test
  void run_objectOfAnotherSize_failsSizeMismatchWithoutRetry() {
    s3.respond(
        () -> new ByteArrayInputStream(part),
        GetObjectResponse.builder().contentRange("bytes 1000-300999/800000").build());

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(job()));

    assertEquals(ErrorKind.SIZE_MISMATCH, failed.error().kind());
    assertEquals(
        "s3://bucket-1/key/1 is 800000 bytes, not the expected 900000", failed.error().message());
    assertEquals(1, s3.requests.size());
  }

  @Test
  void run_preconditionFailed_reportsObjectChanged() {
    s3.respond(
        () -> {
          throw (S3Exception) S3Exception.builder().statusCode(412).build();
        });

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(job()));

    assertEquals(ErrorKind.OBJECT_CHANGED, failed.error().kind());
    assertTrue(
        failed.error().message().startsWith("s3://bucket-1/key/1 changed during the download"),
        failed.error().message());
  }

  @Test
  void run_rangeNotSatisfiable_reportsSizeMismatch() {
    s3.respond(
        () -> {
          throw (S3Exception) S3Exception.builder().statusCode(416).build();
        });

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(job()));

    assertEquals(ErrorKind.SIZE_MISMATCH, failed.error().kind());
    assertTrue(
        failed.error().message().contains("smaller than the expected 900000 bytes"),
        failed.error().message());
  }

  @Test
  void run_tempFileGone_skipsWithoutRequest() throws IOException {
    Files.delete(temp);

    assertNull(worker.run(job()));
    assertEquals(0, s3.requests.size());
    assertTrue(Files.notExists(temp), "a skipped job must not recreate the temp file");
  }

  @Test
  void run_tempFileGoneMidBody_stopsReadingAndReportsNothing() {
    int length = 8 * 1024 * 1024;
    int goneAfter = 1024 * 1024;
    int[] delivered = new int[1];
    s3.respond(
        () ->
            new InputStream() {
              @Override
              public int read() {
                throw new UnsupportedOperationException();
              }

              @Override
              public int read(byte[] into, int offset, int wanted) throws IOException {
                if (delivered[0] >= length) {
                  return -1;
                }
                if (delivered[0] >= goneAfter) {
                  Files.deleteIfExists(temp); // the transfer was cancelled meanwhile
                }
                int n = Math.min(Math.min(wanted, 64 * 1024), length - delivered[0]);
                delivered[0] += n;
                return n;
              }
            },
        GetObjectResponse.builder()
            .eTag("\"etag-1\"")
            .contentRange("bytes 0-" + (length - 1) + "/" + length)
            .build());
    GetObjectJob large =
        new GetObjectJob(
            new TransferId("t-1"),
            "bucket-1",
            "key/1",
            temp.toString(),
            dir.resolve("object").toString(),
            0,
            1,
            0,
            length,
            length,
            "bytes=0-" + (length - 1),
            "\"etag-1\"",
            Map.of());

    assertNull(worker.run(large), "a part of an ended transfer reports nothing");
    long mostWritesLater =
        goneAfter + PartFile.DIRECT_WRITE_BYTES + GetObjectWorker.BYTES_BETWEEN_CHECKS;
    assertTrue(
        delivered[0] <= mostWritesLater,
        "read " + delivered[0] + " of " + length + " bytes after the file was gone");
    assertEquals(1, s3.requests.size(), "no retry");
  }

  @Test
  void run_requestCarriesRangeIfMatchAndExtraArgs() {
    s3.respond(() -> new ByteArrayInputStream(part));

    worker.run(job());

    GetObjectRequest request = s3.requests.get(0);
    assertEquals("bytes=1000-300999", request.range());
    assertEquals("\"etag-1\"", request.ifMatch());
    assertEquals("v7", request.versionId());
    assertEquals("bucket-1", request.bucket());
    assertEquals("key/1", request.key());
  }

  @Test
  void run_firstPartOfUnknownSize_readsTheSizeFromContentRange() throws IOException {
    Files.write(temp, new byte[0]);
    s3.respond(
        () -> new ByteArrayInputStream(part),
        GetObjectResponse.builder()
            .eTag("\"etag-7\"")
            .contentRange("bytes 0-" + (LENGTH - 1) + "/" + OBJECT_SIZE)
            .build());

    JobCompleted done = assertInstanceOf(JobCompleted.class, worker.run(sizeUnknownJob()));

    assertEquals(OBJECT_SIZE, done.objectSize());
    assertEquals(LENGTH, done.bytes());
    assertEquals("\"etag-7\"", done.etag());
    assertEquals("bytes=0-" + (LENGTH - 1), s3.requests.get(0).range());
    assertNull(s3.requests.get(0).ifMatch());
    assertArrayEquals(part, Files.readAllBytes(temp));
    assertEquals(
        List.of(
            new SizeLearned(
                new TransferId("t-2"), OBJECT_SIZE, LENGTH, "\"etag-7\"", "worker-test")),
        sizes,
        "the size, told once");
    assertEquals(List.of(0L), fileSizeWhenTold, "told before any of the body was written");
  }

  @Test
  void run_firstPartOfUnknownSize_objectSmallerThanTheChunk_takesWhatThereIs() throws IOException {
    Files.write(temp, new byte[0]);
    byte[] small = Arrays.copyOf(part, 10);
    s3.respond(
        () -> new ByteArrayInputStream(small),
        GetObjectResponse.builder().contentRange("bytes 0-9/10").build());

    JobCompleted done = assertInstanceOf(JobCompleted.class, worker.run(sizeUnknownJob()));

    assertEquals(10, done.objectSize());
    assertEquals(10, done.bytes());
    assertArrayEquals(small, Files.readAllBytes(temp));
    assertEquals(List.of(), sizes, "nothing to tell: the first part is all there is");
  }

  @Test
  void run_firstPartOfUnknownSize_serverIgnoresTheRange_takesTheWholeObject() throws IOException {
    Files.write(temp, new byte[0]);
    byte[] whole = new byte[LENGTH + 5000];
    new Random(3).nextBytes(whole);
    s3.respond(
        () -> new ByteArrayInputStream(whole),
        GetObjectResponse.builder().contentLength((long) whole.length).build());

    JobCompleted done = assertInstanceOf(JobCompleted.class, worker.run(sizeUnknownJob()));

    assertEquals(whole.length, done.objectSize());
    assertEquals(whole.length, done.bytes());
    assertArrayEquals(whole, Files.readAllBytes(temp));
    assertEquals(List.of(), sizes, "nothing to tell: the first part is all there is");
  }

  @Test
  void run_firstPartOfUnknownSize_emptyObject_416ThenHeadSaysZero() throws IOException {
    Files.write(temp, new byte[0]);
    s3.refuseRange(0);

    JobCompleted done = assertInstanceOf(JobCompleted.class, worker.run(sizeUnknownJob()));

    assertEquals(0, done.objectSize());
    assertEquals(0, done.bytes());
    assertEquals("\"empty\"", done.etag());
    assertEquals(0, Files.size(temp));
    assertEquals(List.of(), sizes, "nothing to tell: the first part is all there is");
  }

  @Test
  void run_firstPartOfUnknownSize_416ButNotEmpty_failsWithThe416() {
    s3.refuseRange(42);

    JobFailed failed = assertInstanceOf(JobFailed.class, worker.run(sizeUnknownJob()));

    assertEquals(416, failed.error().statusCode());
  }

  @Test
  void totalOf_readsContentRange() {
    assertEquals(1234, GetObjectWorker.totalOf("bytes 0-99/1234"));
    assertEquals(-1, GetObjectWorker.totalOf("bytes 0-99/*"));
    assertEquals(-1, GetObjectWorker.totalOf(null));
  }

  private GetObjectJob sizeUnknownJob() {
    return new GetObjectJob(
        new TransferId("t-2"),
        "bucket-1",
        "key/1",
        temp.toString(),
        dir.resolve("object").toString(),
        0,
        0,
        0,
        LENGTH,
        -1,
        "bytes=0-" + (LENGTH - 1),
        null,
        Map.of());
  }

  private GetObjectJob job() {
    return new GetObjectJob(
        new TransferId("t-1"),
        "bucket-1",
        "key/1",
        temp.toString(),
        dir.resolve("object").toString(),
        1,
        3,
        OFFSET,
        LENGTH,
        OBJECT_SIZE,
        "bytes=1000-300999",
        "\"etag-1\"",
        Map.of("VersionId", "v7"));
  }

  /** A body that delivers the part's first {@code bytes} bytes, then fails with {@code error}. */
  private InputStream cutAfter(int bytes, IOException error) {
    return new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        if (position >= bytes) {
          throw error;
        }
        return part[position++] & 0xff;
      }

      @Override
      public int read(byte[] into, int offset, int length) throws IOException {
        if (position >= bytes) {
          throw error;
        }
        int n = Math.min(length, bytes - position);
        System.arraycopy(part, position, into, offset, n);
        position += n;
        return n;
      }
    };
  }

  /** Answers each GetObject with the next scripted body (or exception) and records the request. */
  private static final class ScriptedS3 implements S3Client {
    final List<GetObjectRequest> requests = new ArrayList<>();
    private final Deque<Supplier<InputStream>> bodies = new ArrayDeque<>();

    private final Deque<GetObjectResponse> responses = new ArrayDeque<>();

    void respond(Supplier<InputStream> body) {
      respond(
          body,
          GetObjectResponse.builder()
              .eTag("\"etag-1\"")
              .contentRange("bytes 1000-300999/" + OBJECT_SIZE)
              .build());
    }

    void respond(Supplier<InputStream> body, GetObjectResponse response) {
      bodies.add(body);
      responses.add(response);
    }

    private Long headSize;

    /** The next GetObject gets a 416; a HeadObject then says the object has {@code size} bytes. */
    void refuseRange(long size) {
      headSize = size;
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
      return HeadObjectResponse.builder().contentLength(headSize).eTag("\"empty\"").build();
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
      requests.add(request);
      if (headSize != null) {
        throw (S3Exception)
            S3Exception.builder()
                .statusCode(416)
                .message("The requested range is not satisfiable")
                .build();
      }
      GetObjectResponse response = responses.remove();
      InputStream body = bodies.remove().get();
      return new ResponseInputStream<>(response, AbortableInputStream.create(body));
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }
}
