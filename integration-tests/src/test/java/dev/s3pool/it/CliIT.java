package dev.s3pool.it;

import static dev.s3pool.ProcessTransferConfig.MiB;
import static dev.s3pool.it.TestFiles.assertHoldsExactly;
import static dev.s3pool.it.TestFiles.assertSameContent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.wire.Destinations;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher, {@code ./s3pool}, run as a child process against S3Proxy in this JVM, with
 * credentials in the environment as a user would have them.
 */
class CliIT {

  private static final String BUCKET = "s3pool-cli-it";
  private static final long RUN_TIMEOUT_SECONDS = 120;

  /** Set in the environment of each run; the s3pool JVMs it starts inherit it. */
  private static final String RUN_MARKER = "S3POOL_CLI_IT_RUN";

  private static final Path REPO_ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  private static final Path LAUNCHER = REPO_ROOT.resolve("s3pool");

  private static Path classDir;
  private static Path fakeMavenDir;
  private static LocalS3Server server;
  private static final AtomicInteger runs = new AtomicInteger();

  private Path testDir;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws IOException {
    classDir = dir;
    fakeMavenDir = refusingMaven(dir.resolve("fake-maven"));
    String run = UUID.randomUUID().toString();
    server = LocalS3Server.start(dir.resolve("server"), "cli-access-" + run, "cli-secret-" + run);
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void freshTestDirectory(TestInfo test) throws IOException {
    testDir =
        Files.createDirectories(
            classDir.resolve("tests").resolve(test.getTestMethod().orElseThrow().getName()));
  }

  @Test
  void help_listsCpDemoAndTheFleetRolesOptions() throws Exception {
    Run run = s3pool("--help");

    assertEquals(0, run.exitCode(), run::describe);
    assertEquals("", run.stderr(), run::describe);
    assertTrue(run.stdout().lines().anyMatch(l -> l.matches("\\s+cp\\s.*")), run::describe);
    assertTrue(run.stdout().lines().anyMatch(l -> l.matches("\\s+demo\\b.*")), run::describe);
    for (String option : List.of("--threads N", "--read-timeout-seconds S", "--download-root")) {
      assertTrue(
          run.stdout().lines().anyMatch(l -> l.startsWith("  " + option)),
          () -> option + " in " + run.describe());
    }
    for (String role : List.of("broker", "worker")) {
      Run roleHelp = s3pool(role, "--help");
      assertEquals(0, roleHelp.exitCode(), roleHelp::describe);
      assertTrue(roleHelp.stdout().startsWith("usage: s3pool " + role + " "), roleHelp::describe);
    }
  }

  @Test
  void cp_object_isByteIdentical() throws Exception {
    // Over the default 8 MiB threshold: split in two ranged GETs.
    Path source = TestFiles.writeRandom(testDir.resolve("source.bin"), 9 * MiB + 7, 42);
    server.putObject(BUCKET, "cli/object.bin", source);
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));
    Path destination = downloads.resolve("copy.bin");

    Run run =
        s3pool(
            "cp",
            "s3://" + BUCKET + "/cli/object.bin",
            destination.toString(),
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(0, run.exitCode(), run::describe);
    assertSameContent(source, destination);
    assertHoldsExactly(downloads, Set.of("copy.bin"));
  }

  @Test
  void cp_withBroker_downloadsThroughTheRunningFleet() throws Exception {
    Path source = TestFiles.writeRandom(testDir.resolve("source.bin"), 3 * MiB + 5, 43);
    server.putObject(BUCKET, "cli/fleet.bin", source);
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));
    Path destination = downloads.resolve("fleet.bin");

    try (StandaloneFleet fleet = StandaloneFleet.start(testDir.resolve("fleet"), server)) {
      fleet.startSubmitter(
          server.endpoint(),
          "--multipart-threshold",
          String.valueOf(MiB),
          "--multipart-chunksize",
          String.valueOf(MiB));
      fleet.startWorker(server.endpoint());
      String results = fleet.spyOn(Destinations.JOB_RESULTS);

      Run run =
          s3pool(
              Map.of(
                  "S3POOL_BROKER_USER",
                  StandaloneFleet.USER,
                  "S3POOL_BROKER_PASSWORD",
                  fleet.password()),
              "cp",
              "s3://" + BUCKET + "/cli/fleet.bin",
              destination.toString(),
              "--broker",
              fleet.url());

      assertEquals(0, run.exitCode(), run::describe);
      assertSameContent(source, destination);
      assertHoldsExactly(downloads, Set.of("fleet.bin"));
      // The fleet's own worker did the 4 ranged GETs: cp started no broker or worker of its own.
      assertEquals(
          4,
          fleet.drain(results).stream()
              .filter(m -> "JobCompleted".equals(m.property("s3poolType")))
              .count(),
          run::describe);
    }
  }

  @Test
  void cp_withBrokerAndPartSizes_refusedNamingTheOption() throws Exception {
    Run run =
        s3pool(
            "cp",
            "s3://" + BUCKET + "/cli/any.bin",
            testDir.resolve("any.bin").toString(),
            "--broker",
            "tcp://127.0.0.1:1",
            "--multipart-chunksize",
            "1MiB");

    assertEquals(2, run.exitCode(), run::describe);
    assertEquals(
        "s3pool: cp: --multipart-chunksize cannot be used with --broker: the fleet's submitter"
            + " and workers have their own",
        run.stderr().strip(),
        run::describe);
  }

  @Test
  void cp_missingKey_failsWithOneLineNamingNoSuchKey() throws Exception {
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));
    Path destination = downloads.resolve("missing.bin");

    Run run =
        s3pool(
            "cp",
            "s3://" + BUCKET + "/cli/no-such-key",
            destination.toString(),
            "--endpoint-url",
            server.endpoint().toString());

    assertNotEquals(0, run.exitCode(), run::describe);
    List<String> errorLines = run.stderr().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, errorLines.size(), run::describe);
    assertTrue(errorLines.get(0).contains("(NoSuchKey)"), run::describe);
    assertHoldsExactly(downloads, Set.of());
  }

  @Test
  void classDataArchive_keptOnlyFromACpThatSucceeded() throws Exception {
    Path target = REPO_ROOT.resolve("cli").resolve("target");
    for (Path p : cliArchiveFiles(target)) {
      Files.delete(p);
    }
    server.putObject(BUCKET, "cli/archive.bin", new byte[] {1, 2, 3});
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));
    String endpoint = server.endpoint().toString();

    Run help = s3pool("--help");
    Run failed =
        s3pool(
            "cp",
            "s3://" + BUCKET + "/cli/no-such-key",
            downloads + "/",
            "--endpoint-url",
            endpoint);
    Run next = s3pool("--help"); // the launcher run that finds the failed cp's dump

    assertEquals(0, help.exitCode(), help::describe);
    assertEquals(1, failed.exitCode(), failed::describe);
    assertEquals(0, next.exitCode(), next::describe);
    assertEquals(List.of(), cliArchiveFiles(target), "nothing kept from --help or a failed cp");

    Run ok =
        s3pool(
            "cp",
            "s3://" + BUCKET + "/cli/archive.bin",
            downloads + "/",
            "--endpoint-url",
            endpoint);
    Run after = s3pool("--help"); // moves the cp's archive into place

    assertEquals(0, ok.exitCode(), ok::describe);
    assertEquals(0, after.exitCode(), after::describe);
    List<Path> kept = cliArchiveFiles(target);
    assertEquals(1, kept.size(), () -> "one archive, and no dump or marker left: " + kept);
    assertTrue(
        kept.get(0).getFileName().toString().matches("s3pool-cli-[0-9]+\\.jsa"), kept::toString);
    assertTrue(Files.size(kept.get(0)) > 1_000_000, () -> kept + " holds the classes of a cp");
  }

  @Test
  void classDataArchives_offWithS3poolCdsFalse_forTheLauncherAndItsChildren() throws Exception {
    Path target = REPO_ROOT.resolve("cli").resolve("target");
    for (Path p : cliArchiveFiles(target)) {
      Files.delete(p);
    }
    Path cache = Files.createDirectories(testDir.resolve("cache"));
    server.putObject(BUCKET, "cli/no-archive.bin", new byte[] {4, 5, 6});
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));

    Run off =
        s3pool(
            Map.of("S3POOL_CDS", "false", "XDG_CACHE_HOME", cache.toString()),
            "cp",
            "s3://" + BUCKET + "/cli/no-archive.bin",
            downloads + "/",
            "--endpoint-url",
            server.endpoint().toString());
    Run next = s3pool("--help"); // would move a dump of the cp's JVM into place

    assertEquals(0, off.exitCode(), off::describe);
    assertEquals(0, next.exitCode(), next::describe);
    assertArrayEquals(
        new byte[] {4, 5, 6}, Files.readAllBytes(downloads.resolve("no-archive.bin")));
    assertEquals(List.of(), cliArchiveFiles(target), "the launcher's JVM wrote no archive");
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> written = files.filter(Files::isRegularFile).toList();
      assertEquals(List.of(), written, "the child JVMs wrote no archive");
    }
  }

  /** The launcher's class-data archive for the cli role, its dumps and their markers. */
  private static List<Path> cliArchiveFiles(Path target) throws IOException {
    return cliArchiveFiles(target, "jsa");
  }

  /** The same, of one kind: {@code jsa} (Java 17) or {@code aot} (Java 25). */
  private static List<Path> cliArchiveFiles(Path target, String kind) throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("s3pool-cli-[0-9]+\\." + kind + ".*"))
          .sorted()
          .toList();
    }
  }

  /**
   * On Java 25 the launcher's JVM and the children record what they load on the first {@code cp}
   * and get an AOT cache made from it, quietly; later runs use it. Skipped without a JDK 25 or
   * later (set {@code S3POOL_TEST_JDK}, else the first found under /usr/lib/jvm).
   */
  @Test
  void aotCache_java25_madeQuietlyFromTheFirstCpAndUsedAfter() throws Exception {
    Path jdk = newJdk(25);
    Assumptions.assumeTrue(jdk != null, "no JDK 25 or later on this machine");
    Path target = REPO_ROOT.resolve("cli").resolve("target");
    for (Path p : cliArchiveFiles(target, "aot")) {
      Files.delete(p);
    }
    Path cache = testDir.resolve("cache");
    server.putObject(BUCKET, "cli/aot.bin", new byte[] {4, 5, 6});
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));
    Map<String, String> env =
        Map.of("JAVA_HOME", jdk.toString(), "XDG_CACHE_HOME", cache.toString());
    String[] cp = {
      "cp",
      "s3://" + BUCKET + "/cli/aot.bin",
      downloads + "/",
      "--endpoint-url",
      server.endpoint().toString()
    };

    Run first = s3pool(env, cp); // records; its children's caches are made when they exit
    List<String> childCaches = fileNames(cache.resolve("s3pool").resolve("cds"));
    Run second = s3pool(env, cp); // makes the launcher's cache from the first run's record
    List<Path> cliCaches = cliArchiveFiles(target, "aot");
    Map<String, String> logAot = new HashMap<>(env);
    logAot.put("S3POOL_JAVA_OPTS", "-Xlog:aot=info");
    Run third = s3pool(logAot, cp);

    for (Run run : List.of(first, second)) {
      assertEquals(0, run.exitCode(), run::describe);
      assertEquals("", run.stderr(), run::describe);
      assertEquals(1, run.stdout().lines().count(), run::describe); // the download line only
    }
    assertEquals(2, childCaches.size(), childCaches::toString);
    assertTrue(
        childCaches.stream().anyMatch(n -> n.matches("worker-\\w+\\.aot")), childCaches::toString);
    assertTrue(
        childCaches.stream().anyMatch(n -> n.matches("submitter-\\w+\\.aot")),
        childCaches::toString);
    assertEquals(
        1, cliCaches.size(), () -> "one cache, and no record or marker left: " + cliCaches);
    assertTrue(
        cliCaches.get(0).getFileName().toString().matches("s3pool-cli-[0-9]+\\.aot"),
        cliCaches::toString);
    assertEquals(0, third.exitCode(), third::describe);
    assertTrue(
        third.stdout().lines().anyMatch(l -> l.contains("Using AOT-linked classes: true")),
        third::describe);
    assertArrayEquals(new byte[] {4, 5, 6}, Files.readAllBytes(downloads.resolve("aot.bin")));
  }

  private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)");

  /** A JDK of {@code feature} or later: {@code S3POOL_TEST_JDK}, else one in /usr/lib/jvm. */
  private static Path newJdk(int feature) throws IOException {
    List<Path> candidates = new ArrayList<>();
    String given = System.getenv("S3POOL_TEST_JDK");
    if (given != null && !given.isBlank()) {
      candidates.add(Path.of(given));
    } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
      try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
        jdks.sorted().forEach(candidates::add);
      }
    }
    for (Path jdk : candidates) {
      Path release = jdk.resolve("release");
      if (!Files.isRegularFile(release) || !Files.isExecutable(jdk.resolve("bin/java"))) {
        continue;
      }
      for (String line : Files.readAllLines(release)) {
        Matcher m = JAVA_VERSION.matcher(line);
        if (m.find() && Integer.parseInt(m.group(1)) >= feature) {
          return jdk.toRealPath();
        }
      }
    }
    return null;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void cp_recursivePrefix_keepsNestedPaths() throws Exception {
    Map<String, Long> sizes =
        Map.of("top.txt", 10L, "sub/middle.bin", 70_000L, "sub/deeper/bottom.bin", 1L);
    Path sources = testDir.resolve("sources");
    sizes.forEach(
        (path, size) ->
            server.putObject(
                BUCKET,
                "tree/" + path,
                TestFiles.writeRandom(sources.resolve(path), size, path.hashCode())));
    // Neither is under "tree/": the second shares the prefix as a string but not as a directory.
    server.putObject(BUCKET, "elsewhere/other.txt", new byte[] {1});
    server.putObject(BUCKET, "tree-sibling/other.txt", new byte[] {2});
    Path downloads = testDir.resolve("downloads");

    Run run =
        s3pool(
            "cp",
            "s3://" + BUCKET + "/tree",
            downloads.toString(),
            "--recursive",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(0, run.exitCode(), run::describe);
    assertHoldsExactly(downloads, sizes.keySet());
    for (String path : sizes.keySet()) {
      assertSameContent(sources.resolve(path), downloads.resolve(path));
    }
  }

  /**
   * Runs {@code ./s3pool args} with a deadline, then checks that no s3pool JVM it started is still
   * alive.
   */
  private Run s3pool(String... args) throws Exception {
    return await(launch(Map.of(), args));
  }

  /** {@link #s3pool(String...)} with {@code env} added to the environment. */
  private Run s3pool(Map<String, String> env, String... args) throws Exception {
    return await(launch(env, args));
  }

  /** A launcher run in progress. */
  private record Launched(
      Process process, List<String> args, String marker, Path stdout, Path stderr) {}

  private Launched launch(Map<String, String> extraEnv, String... args) throws Exception {
    int number = runs.incrementAndGet();
    String marker = UUID.randomUUID().toString();
    Path stdout = classDir.resolve("run-" + number + ".out");
    Path stderr = classDir.resolve("run-" + number + ".err");
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(testDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", server.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server.secretKey());
    env.put("AWS_REGION", server.region());
    env.put("PATH", fakeMavenDir + File.pathSeparator + env.getOrDefault("PATH", ""));
    env.put(RUN_MARKER, marker);
    env.putAll(extraEnv);

    return new Launched(builder.start(), List.of(args), marker, stdout, stderr);
  }

  /**
   * Waits for a launched run to end, with a deadline, then checks that no s3pool JVM it started is
   * still alive.
   */
  private static Run await(Launched launched) throws Exception {
    Process process = launched.process();
    List<String> args = launched.args();
    if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      fail("./s3pool " + String.join(" ", args) + " still ran after " + RUN_TIMEOUT_SECONDS + " s");
    }
    Run run =
        new Run(
            String.join(" ", args),
            process.exitValue(),
            Files.readString(launched.stdout(), StandardCharsets.UTF_8),
            Files.readString(launched.stderr(), StandardCharsets.UTF_8));
    assertEquals(
        List.of(), processesMarked(launched.marker()), () -> "still alive after " + run.describe());
    return run;
  }

  @Test
  void cp_interruptedMidTransfer_exitsNonZeroLeavingNothing() throws Exception {
    Path source = TestFiles.writeRandom(testDir.resolve("source.bin"), 4 * MiB, 43);
    server.putObject(BUCKET, "cli/slow.bin", source);
    Path downloads = Files.createDirectories(testDir.resolve("downloads"));
    try (FaultProxy proxy = FaultProxy.start(server.endpoint())) {
      // 4 parts of 1 MiB at 128 KiB/s: about 8 s, if nobody stops it.
      proxy.inject(
          FaultProxy.RequestKey.get("/" + BUCKET + "/cli/slow.bin"),
          Integer.MAX_VALUE,
          FaultProxy.Fault.throttle(128 * 1024));
      Launched launched =
          launch(
              Map.of(),
              "cp",
              "s3://" + BUCKET + "/cli/slow.bin",
              downloads.resolve("slow.bin").toString(),
              "--endpoint-url",
              proxy.endpoint().toString(),
              "--multipart-threshold",
              "1MiB",
              "--multipart-chunksize",
              "1MiB");
      assertTrue(proxy.awaitActiveBodies(1, Duration.ofSeconds(60)), "the download never started");

      long start = System.nanoTime();
      Process kill =
          new ProcessBuilder("kill", "-INT", Long.toString(launched.process().pid())).start();
      assertEquals(0, kill.waitFor(10, TimeUnit.SECONDS) ? kill.exitValue() : -1, "kill -INT");
      Run run = await(launched);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertNotEquals(0, run.exitCode(), run::describe);
      assertTrue(millis < 10_000, "exit took " + millis + " ms after SIGINT");
      assertHoldsExactly(downloads, Set.of());
    }
  }

  /** Pids of live processes whose environment holds {@code RUN_MARKER=marker}. */
  private static List<Long> processesMarked(String marker) throws IOException {
    String wanted = RUN_MARKER + "=" + marker;
    List<Long> marked = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String environment;
        try {
          environment = Files.readString(entry.resolve("environ"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          continue; // gone meanwhile, or not ours to read
        }
        long pid = Long.parseLong(name);
        if (List.of(environment.split("\0")).contains(wanted)
            && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          marked.add(pid);
        }
      }
    }
    return marked;
  }

  /**
   * A {@code mvn} that refuses to run. The reactor built the launcher's classpath just before these
   * tests; a launcher that still finds its build stale has a bug, and building again in the middle
   * of a build would race with it, so these tests fail instead.
   */
  private static Path refusingMaven(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path mvn = dir.resolve("mvn");
    Files.writeString(
        mvn,
        """
        #!/bin/sh
        echo "CliIT: ./s3pool tried to build (mvn $*); build with the reactor first" >&2
        exit 97
        """);
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  /** How one run of the launcher ended. */
  private record Run(String args, int exitCode, String stdout, String stderr) {
    String describe() {
      return "./s3pool "
          + args
          + " exited "
          + exitCode
          + "\n--- stdout:\n"
          + stdout
          + "--- stderr:\n"
          + stderr;
    }
  }
}
