import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads bench/out/data/manifest.tsv: workload, bucket, key, size. Shared by the Java clients. */
final class Manifest {
  record Obj(String bucket, String key, long size, Path dest) {}

  static List<Obj> read(Path manifest, String workload, Path outDir) throws IOException {
    List<Obj> objs = new ArrayList<>();
    for (String line : Files.readAllLines(manifest)) {
      String[] f = line.split("\t");
      if (f[0].equals(workload)) {
        String base = f[2].substring(f[2].lastIndexOf('/') + 1);
        objs.add(new Obj(f[1], f[2], Long.parseLong(f[3]), outDir.resolve(base)));
      }
    }
    return objs;
  }

  private Manifest() {}
}
