import dev.s3pool.cli.LocalS3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * S3Proxy (s3pool's LocalS3Server) for the benchmark: starts on 127.0.0.1 over STORE_DIR with
 * the keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, uploads every object of MANIFEST from
 * DATA_ROOT/BUCKET/KEY with putObject(Path), writes its endpoint to ENDPOINT_FILE, then serves
 * until standard input closes or the process is terminated.
 * Args: STORE_DIR DATA_ROOT MANIFEST ENDPOINT_FILE.
 */
public final class S3ProxyServer {
  public static void main(String[] args) throws Exception {
    Path store = Path.of(args[0]);
    Path dataRoot = Path.of(args[1]);
    List<String> lines = Files.readAllLines(Path.of(args[2]));
    try (LocalS3Server server =
        LocalS3Server.start(
            store, System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"))) {
      java.util.Set<String> buckets = new java.util.HashSet<>();
      for (String line : lines) {
        String[] f = line.split("\t");
        if (buckets.add(f[1])) {
          server.createBucket(f[1]);
        }
        server.putObject(f[1], f[2], dataRoot.resolve(f[1]).resolve(f[2]));
      }
      Path tmp = Path.of(args[3] + ".tmp");
      Files.writeString(tmp, server.endpoint().toString() + "\n");
      Files.move(tmp, Path.of(args[3]));
      System.err.println("S3Proxy serving " + lines.size() + " objects at " + server.endpoint());
      try {
        while (System.in.read() >= 0) {}
      } catch (IOException ignored) {
        // stdin gone: stop
      }
    }
  }
}
