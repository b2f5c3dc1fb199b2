import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The drivers' warm mode: with a 5th argument {@code warm}, the workload runs once untimed, its
 * files are deleted, and after {@code $BENCH_SETTLE} seconds (run.sh's SETTLE) a second run is
 * timed inside the process and written to {@code $BENCH_PHASE_FILE} (the downloader already
 * running: what a long-lived user sees).
 */
final class Warm {
  interface Batch {
    void run() throws Exception;
  }

  static void run(String[] args, List<Manifest.Obj> objs, Batch batch) throws Exception {
    if (args.length < 5 || !args[4].equals("warm")) {
      batch.run();
      return;
    }
    batch.run();
    for (Manifest.Obj o : objs) {
      Files.delete(o.dest());
    }
    Thread.sleep((long) (settleSeconds() * 1000));
    long start = System.nanoTime();
    batch.run();
    write((System.nanoTime() - start) / 1e9);
  }

  private static double settleSeconds() {
    String s = System.getenv("BENCH_SETTLE");
    return s == null || s.isEmpty() ? 0 : Double.parseDouble(s);
  }

  private static void write(double seconds) throws IOException {
    Files.writeString(Path.of(System.getenv("BENCH_PHASE_FILE")), Double.toString(seconds));
  }

  private Warm() {}
}
