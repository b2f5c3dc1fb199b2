import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.FileDownload;

/**
 * AWS SDK for Java v2 S3TransferManager on the CRT-based S3 client, defaults except endpoint,
 * path style, region and credentials. Every object submitted at once, then joined.
 * Args: ENDPOINT MANIFEST WORKLOAD OUTDIR.
 */
public final class CrtBench {
  public static void main(String[] args) throws Exception {
    List<Manifest.Obj> objs = Manifest.read(Path.of(args[1]), args[2], Path.of(args[3]));
    try (S3AsyncClient s3 =
            S3AsyncClient.crtBuilder()
                .endpointOverride(URI.create(args[0]))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .build();
        S3TransferManager tm = S3TransferManager.builder().s3Client(s3).build()) {
      Warm.run(
          args,
          objs,
          () -> {
            List<FileDownload> downloads = new ArrayList<>();
            for (Manifest.Obj o : objs) {
              downloads.add(
                  tm.downloadFile(
                      d ->
                          d.getObjectRequest(g -> g.bucket(o.bucket()).key(o.key()))
                              .destination(o.dest())));
            }
            for (FileDownload d : downloads) {
              d.completionFuture().join();
            }
          });
    }
  }
}
