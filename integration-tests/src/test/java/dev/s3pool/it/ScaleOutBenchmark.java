package dev.s3pool.it;

import static dev.s3pool.it.TestFiles.assertHoldsExactly;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.it.FaultProxy.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out benchmark: the same workload with 1, 2 and 4 worker JVMs of {@value
 * #THREADS_PER_WORKER} threads each, through a {@link FaultProxy} that makes every request slow: it
 * holds each response head for {@value #DELAY_MILLIS} ms and relays each body at {@value
 * #BYTES_PER_SECOND} bytes/s per connection. One connection is then bound by that latency and that
 * cap, not by the CPU; more worker processes mean more connections at once, and throughput should
 * grow with them.
 *
 * <p>Workload: {@value #LARGE_OBJECTS} objects of 16 MiB in 1 MiB chunks (64 ranged GETs) and
 * {@value #SMALL_OBJECTS} objects of 64 KiB (one GET each), all submitted at once; no HeadObject
 * (each object's first GET tells its size). Per worker count: a warm-up run of the whole workload
 * (JVM start and JIT excluded from the timing), then {@value #RUNS} timed runs, each verified by
 * SHA-256 and deleted before the next. The table goes to standard output (failsafe keeps it in
 * {@code target/failsafe-reports/dev.s3pool.it.ScaleOutBenchmark-output.txt}) and to {@code
 * integration-tests/target/scale-out.md}: median wall time, MB/s (MB = 10^6 bytes), speed-up over
 * one worker, the most GET bodies the proxy relayed at once, and how busy the cores were during the
 * runs, by the benchmark's own processes and by the whole machine (medians). The last two tell
 * whether the run measured the latency and the cap, or a CPU shortage.
 *
 * <p>Not an {@code *IT}, so {@code mvn verify} does not run it. From the project root (a few
 * minutes):
 *
 * <pre>
 * mvn -B verify -pl integration-tests -am -Dit.test=ScaleOutBenchmark -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * cat integration-tests/target/scale-out.md
 * </pre>
 *
 * <p>It asserts only what must hold whatever the timing: every download is byte-identical, no
 * temporary file or child JVM is left, and every request went through the delay and the cap.
 */
class ScaleOutBenchmark {

  private static final String BUCKET = "scale-out";
  private static final int[] WORKERS = {1, 2, 4};
  private static final int THREADS_PER_WORKER = 2;
  private static final long DELAY_MILLIS = 20;
  private static final long BYTES_PER_SECOND = 2L * 1024 * 1024;
  private static final int LARGE_OBJECTS = 4;
  private static final long LARGE_BYTES = 16L * 1024 * 1024;
  private static final long CHUNK_BYTES = 1024 * 1024;
  private static final int SMALL_OBJECTS = 100;
  private static final long SMALL_BYTES = 64 * 1024;
  private static final int RUNS = 3;
  private static final long RUN_TIMEOUT_SECONDS = 300;
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(5);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  @RegisterExtension static final TransferChecks checks = new TransferChecks();

  private static Path classDir;
  private static LocalS3Server server;
  private static FaultProxy proxy;

  /** Key to SHA-256 of what was uploaded, in submission order: large objects first. */
  private static final Map<String, String> workload = new LinkedHashMap<>();

  private static long workloadBytes;

  @BeforeAll
  static void start(@TempDir Path dir) {
    classDir = dir;
    server = LocalS3Server.start(dir.resolve("server"));
    server.createBucket(BUCKET);
    for (int i = 0; i < LARGE_OBJECTS; i++) {
      put(String.format(Locale.ROOT, "large-%d.bin", i), LARGE_BYTES, i);
    }
    for (int i = 0; i < SMALL_OBJECTS; i++) {
      put(String.format(Locale.ROOT, "small-%03d.bin", i), SMALL_BYTES, 1000 + i);
    }
    proxy = FaultProxy.start(server.endpoint());
    proxy.inject(
        key -> true,
        Integer.MAX_VALUE,
        Fault.throttle(BYTES_PER_SECOND).afterDelay(Duration.ofMillis(DELAY_MILLIS)));
  }

  @AfterAll
  static void stop() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void scaleOut_oneTwoFourWorkers_everyDownloadByteIdentical() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int workers : WORKERS) {
      rows.add(measure(workers));
    }

    String table = table(rows);
    System.out.println(table);
    Path report = Path.of(System.getProperty("basedir", "."), "target", "scale-out.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, table);
    // Every request (HEADs and GETs) was slowed, so the experiment measured what it claims.
    assertEquals(proxy.requestsMatching(key -> true), proxy.faultsMatching(key -> true));
  }

  /** Warm-up, then {@value #RUNS} timed runs of the workload with {@code workers} worker JVMs. */
  private static Row measure(int workers) throws Exception {
    ProcessTransferConfig config =
        ProcessTransferConfig.builder()
            .multipartThreshold(CHUNK_BYTES)
            .multipartChunksize(CHUNK_BYTES)
            .maxRequestProcesses(workers * THREADS_PER_WORKER)
            .build();
    Path downloads =
        checks.watch(Files.createDirectories(classDir.resolve("downloads-" + workers)));
    List<Run> runs = new ArrayList<>();
    AtomicInteger peak = new AtomicInteger();
    try (ProcessPoolDownloader downloader =
        checks.track(
            ProcessPoolDownloader.builder()
                .clientConfig(
                    server.clientConfig().toBuilder().endpointOverride(proxy.endpoint()).build())
                .config(config)
                .workerProcesses(workers)
                .build())) {
      runWorkload(downloader, downloads);
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      try {
        ScheduledFuture<?> sampling =
            sampler.scheduleAtFixedRate(
                () -> peak.accumulateAndGet(proxy.activeBodies(), Math::max),
                0,
                SAMPLE_EVERY.toNanos(),
                NANOSECONDS);
        for (int run = 0; run < RUNS; run++) {
          runs.add(runWorkload(downloader, downloads));
        }
        sampling.cancel(false);
      } finally {
        sampler.shutdownNow();
      }
    }
    return new Row(workers, workers * THREADS_PER_WORKER, runs, peak.get());
  }

  /**
   * Downloads the whole workload at once, waits for all of it, checks every file's SHA-256 and
   * deletes the files. Measures from the first submission to the last completion.
   */
  private static Run runWorkload(ProcessPoolDownloader downloader, Path downloads)
      throws Exception {
    Duration cpuBefore = ownCpu(downloader);
    long[] machineBefore = machineCpuTicks();
    long start = System.nanoTime();
    List<TransferFuture> futures = new ArrayList<>();
    for (String key : workload.keySet()) {
      futures.add(checks.track(downloader.downloadFile(BUCKET, key, downloads.resolve(key))));
    }
    long deadline = start + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_SECONDS);
    for (TransferFuture future : futures) {
      future
          .completion()
          .handle((ok, failure) -> null)
          .get(Math.max(0, deadline - System.nanoTime()), NANOSECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Duration cpu = ownCpu(downloader).minus(cpuBefore);
    long[] machineAfter = machineCpuTicks();
    double machineBusy =
        machineBefore.length == 0 || machineAfter.length == 0
            ? Double.NaN
            : 1
                - (double) (machineAfter[1] - machineBefore[1])
                    / (machineAfter[0] - machineBefore[0]);

    for (TransferFuture future : futures) {
      future.result();
    }
    assertHoldsExactly(downloads, workload.keySet());
    for (Map.Entry<String, String> object : workload.entrySet()) {
      Path file = downloads.resolve(object.getKey());
      assertEquals(object.getValue(), TestFiles.sha256(file), "SHA-256 of " + file);
      Files.delete(file);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return new Run(seconds, cpu.toNanos() / 1e9 / seconds / cores, machineBusy);
  }

  /**
   * CPU time used so far by this JVM (client, broker, S3 server, proxy) and the downloader's child
   * JVMs (submitter, workers).
   */
  private static Duration ownCpu(ProcessPoolDownloader downloader) {
    Duration total = Duration.ZERO;
    List<ProcessHandle> processes = new ArrayList<>(downloader.childProcesses());
    processes.add(ProcessHandle.current());
    for (ProcessHandle process : processes) {
      total = total.plus(process.info().totalCpuDuration().orElse(Duration.ZERO));
    }
    return total;
  }

  /**
   * All CPU ticks of the machine and its idle ticks, from Linux's {@code /proc/stat}; empty where
   * there is none. Tells whether something besides the benchmark kept the cores busy.
   */
  private static long[] machineCpuTicks() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu ")) {
          String[] fields = WHITESPACE.splitAsStream(line.trim()).toArray(String[]::new);
          long all = 0;
          for (int i = 1; i < fields.length && i <= 8; i++) { // user .. steal, not guest
            all += Long.parseLong(fields[i]);
          }
          long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
          return new long[] {all, idle};
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a format we do not know: the column shows n/a
    }
    return new long[0];
  }

  private static void put(String key, long size, long seed) {
    Path source = TestFiles.writeRandom(classDir.resolve("sources").resolve(key), size, seed);
    server.putObject(BUCKET, key, source);
    workload.put(key, TestFiles.sha256(source));
    workloadBytes += size;
    try {
      Files.delete(source); // the server holds its own copy
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String table(List<Row> rows) {
    double base = rows.get(0).median();
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Workload: %d x %d MiB in %d MiB chunks + %d x %d KiB = %.1f MB; every request"
                + " delayed %d ms, every connection capped at %d KiB/s; %d timed runs after a"
                + " warm-up.%n%n",
            LARGE_OBJECTS,
            LARGE_BYTES >> 20,
            CHUNK_BYTES >> 20,
            SMALL_OBJECTS,
            SMALL_BYTES >> 10,
            workloadBytes / 1e6,
            DELAY_MILLIS,
            BYTES_PER_SECOND >> 10,
            RUNS));
    s.append(
        "| worker JVMs | threads in all | median s | MB/s | speed-up | peak GETs in flight"
            + " | CPU used by the benchmark | CPU busy, whole machine | runs (s) |\n");
    s.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Row row : rows) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %.2f | %.1f | %.2fx | %d | %s | %s | %s |%n",
              row.workers(),
              row.threads(),
              row.median(),
              workloadBytes / 1e6 / row.median(),
              base / row.median(),
              row.peakGets(),
              percent(row.median(Run::ownCpuShare)),
              percent(row.median(Run::machineBusy)),
              row.seconds()));
    }
    return s.toString();
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", share * 100);
  }

  /**
   * One timed run: wall seconds; the CPU time of the benchmark's own processes and the busy time of
   * the whole machine, each as a share of all cores over that wall time.
   */
  private record Run(double seconds, double ownCpuShare, double machineBusy) {}

  /** One line of the table: the timed runs, and the most GET bodies relayed at once. */
  private record Row(int workers, int threads, List<Run> runs, int peakGets) {

    Row {
      runs = List.copyOf(runs);
    }

    double median() {
      return median(Run::seconds);
    }

    double median(ToDoubleFunction<Run> of) {
      double[] sorted = runs.stream().mapToDouble(of).sorted().toArray();
      int mid = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    String seconds() {
      List<String> each = new ArrayList<>();
      for (Run run : runs) {
        each.add(String.format(Locale.ROOT, "%.2f", run.seconds()));
      }
      return String.join(", ", each);
    }
  }
}
