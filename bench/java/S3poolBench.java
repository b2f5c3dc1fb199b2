import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.TransferFuture;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * s3pool through its Java API with its defaults: one ProcessPoolDownloader, every object of the
 * workload submitted at once, then close() (waits for all, stops workers, submitter, broker).
 * Args: ENDPOINT MANIFEST WORKLOAD OUTDIR [warm]. Credentials from AWS_ACCESS_KEY_ID/SECRET.
 */
public final class S3poolBench {
  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args[0]);
    List<Manifest.Obj> objs = Manifest.read(Path.of(args[1]), args[2], Path.of(args[3]));
    S3ClientConfig client =
        S3ClientConfig.builder()
            .region("us-east-1")
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .credentials(
                S3ClientConfig.Credentials.of(
                    System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY")))
            .build();
    long t0 = System.nanoTime();
    try (ProcessPoolDownloader downloader =
        ProcessPoolDownloader.builder().clientConfig(client).build()) {
      long t1 = System.nanoTime();
      Warm.run(
          args,
          objs,
          () -> {
            List<TransferFuture> futures = new ArrayList<>();
            for (Manifest.Obj o : objs) {
              futures.add(downloader.downloadFile(o.bucket(), o.key(), o.dest()));
            }
            for (TransferFuture f : futures) {
              f.result();
            }
          });
      long t2 = System.nanoTime();
      System.err.printf("s3pool-bench phases: build %.2fs, downloads %.2fs%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }
    System.err.printf("s3pool-bench phases: total incl. close %.2fs%n",
        (System.nanoTime() - t0) / 1e9);
    // No System.exit: the JVM ends by itself after close(), and that time counts.
  }
}
