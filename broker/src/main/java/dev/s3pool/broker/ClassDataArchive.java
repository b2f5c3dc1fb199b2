package dev.s3pool.broker;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive per child role, so that a child JVM maps the classes it needs
 * instead of loading them from jars. Java 17 has no automatic archive, so the first child of a role
 * writes one when it exits ({@code -XX:ArchiveClassesAtExit}, to a temporary name that {@link
 * Dump#publish} renames), and later children use it ({@code -XX:SharedArchiveFile}).
 *
 * <p>From Java 25 on it is an AOT cache instead, which also keeps the classes linked and the call
 * sites of lambdas and string concatenations resolved (a 1-byte {@code cp} 0.92 s against 1.05 s
 * with a class-data archive on the same JDK; bench/README.md). The first child records what it
 * loads ({@code -XX:AOTMode=record}), and once it has exited {@link Dump#publish} runs the JVM that
 * turns the record into the cache ({@code -XX:AOTMode=create}), its output discarded. (Java 25's
 * one-step {@code -XX:AOTCacheOutput} would print to the child's standard output and error.)
 *
 * <p>The archive's name is a hash of the JVM, the role and every classpath entry with its size and
 * modification time, so a rebuilt jar or another JDK gets a new archive and a stale one is never
 * used. Archives live in {@code $XDG_CACHE_HOME/s3pool/cds} (default {@code ~/.cache}), a directory
 * of the user's own, never a shared temporary directory; the newest few per role are kept. A
 * classpath with a directory on it (an IDE, a test run) gets no archive: the JVM cannot archive
 * classes from directories. {@code -Ds3pool.cds=false} turns all of this off.
 */
final class ClassDataArchive {

  private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
  private static final int KEPT_PER_ROLE = 3;
  private static final long CREATE_TIMEOUT_SECONDS = 120;

  /** Output about the archive (a mismatch after a JDK update, say) must not reach the user. */
  private static final String QUIET = "-Xlog:cds=off,cds+dynamic=off";

  private static final String AOT_QUIET = "-Xlog:aot=off,cds=off";

  /** Archives being written by a child of this JVM: one writer per archive is enough. */
  private static final Set<Path> DUMPING = ConcurrentHashMap.newKeySet();

  private ClassDataArchive() {}

  /** What a child's command line gets: options, and an archive to publish when it exits. */
  record Plan(List<String> jvmOptions, Dump dump) {
    static final Plan NONE = new Plan(List.of(), null);
  }

  /**
   * An archive a child writes at exit under a temporary name; or, with {@code create} set, the
   * record of what it loaded, from which that command makes the archive.
   */
  record Dump(Path temporary, Path archive, List<String> create) {
    /** Moves a complete archive into place, once the child that wrote it has exited. */
    void publish() {
      Path written = temporary;
      try {
        if (create != null) {
          written = temporary.resolveSibling(temporary.getFileName() + ".cache.tmp");
          if (!created(written)) {
            return;
          }
        }
        if (Files.size(written) > 0) {
          Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
          log.info("class-data archive {} written", archive);
        }
      } catch (IOException e) {
        log.debug("no class-data archive from {}: {}", temporary, e.toString());
      } finally {
        try {
          Files.deleteIfExists(temporary);
          Files.deleteIfExists(written);
        } catch (IOException e) {
          log.debug("cannot delete {}", temporary, e);
        }
        DUMPING.remove(archive);
      }
    }

    /** Runs the JVM that makes the AOT cache {@code cache} from the record; whether it did. */
    private boolean created(Path cache) throws IOException {
      if (!Files.isRegularFile(temporary) || Files.size(temporary) == 0) {
        return false;
      }
      List<String> command = new ArrayList<>(create);
      command.add("-XX:AOTConfiguration=" + temporary);
      command.add("-XX:AOTCache=" + cache);
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        if (!process.waitFor(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          log.debug("the AOT cache {} took too long; not made", archive);
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          return false;
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        return false;
      }
      return process.exitValue() == 0;
    }
  }

  /**
   * The plan for a child of {@code role} on this JVM and its classpath, started with {@code
   * jvmOptions} (those an archive is made with, too).
   */
  static Plan plan(String role, List<String> jvmOptions) {
    if (!Boolean.parseBoolean(System.getProperty("s3pool.cds", "true"))) {
      return Plan.NONE;
    }
    try {
      Path dir = directory();
      if (dir == null) {
        return Plan.NONE;
      }
      String key = key(role);
      if (key == null) {
        return Plan.NONE;
      }
      boolean aot = Runtime.version().feature() >= 25;
      Path archive = dir.resolve(role + "-" + key + (aot ? ".aot" : ".jsa"));
      if (Files.isRegularFile(archive)) {
        return new Plan(
            aot
                ? List.of("-XX:AOTCache=" + archive, AOT_QUIET)
                : List.of("-XX:SharedArchiveFile=" + archive, QUIET),
            null);
      }
      if (!DUMPING.add(archive)) {
        return Plan.NONE;
      }
      Files.createDirectories(dir);
      prune(dir, role);
      Path temporary = dir.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
      if (!aot) {
        return new Plan(
            List.of("-XX:ArchiveClassesAtExit=" + temporary, QUIET),
            new Dump(temporary, archive, null));
      }
      List<String> create = new ArrayList<>();
      create.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      create.addAll(jvmOptions);
      create.addAll(List.of(AOT_QUIET, "-XX:AOTMode=create"));
      create.addAll(List.of("-cp", System.getProperty("java.class.path")));
      // The recording JVM says on standard output that it recorded; a diagnostic flag silences it.
      return new Plan(
          List.of(
              "-XX:AOTMode=record",
              "-XX:AOTConfiguration=" + temporary,
              AOT_QUIET,
              "-XX:+UnlockDiagnosticVMOptions",
              "-XX:-DisplayVMOutput"),
          new Dump(temporary, archive, create));
    } catch (IOException | RuntimeException e) {
      log.debug("no class-data archive for role={}: {}", role, e.toString());
      return Plan.NONE;
    }
  }

  private static Path directory() {
    String cache = System.getenv("XDG_CACHE_HOME");
    if (cache == null || cache.isBlank()) {
      String home = System.getProperty("user.home");
      if (home == null || home.isBlank() || home.equals("?")) {
        return null;
      }
      cache = Path.of(home, ".cache").toString();
    }
    return Path.of(cache, "s3pool", "cds");
  }

  /** Null when the classpath cannot be archived (it names a directory). */
  private static String key(String role) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(sha, System.getProperty("java.home"));
    update(sha, System.getProperty("java.vm.version"));
    update(sha, role);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path path = Path.of(entry);
      if (!Files.exists(path)) {
        continue;
      }
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        return null;
      }
      update(sha, path.toAbsolutePath().toString());
      update(sha, attributes.size() + "/" + attributes.lastModifiedTime().toMillis());
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  private static void update(MessageDigest sha, String value) {
    sha.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }

  /** Keeps the newest archives of {@code role}, and deletes temporary files left a day ago. */
  private static void prune(Path dir, String role) throws IOException {
    List<Path> archives = new ArrayList<>();
    long dayAgo = System.currentTimeMillis() - 24 * 3600 * 1000L;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (!name.startsWith(role + "-")) {
          continue;
        }
        if (name.endsWith(".jsa") || name.endsWith(".aot")) {
          archives.add(file);
        } else if (name.endsWith(".tmp") && Files.getLastModifiedTime(file).toMillis() < dayAgo) {
          Files.deleteIfExists(file);
        }
      }
    }
    archives.sort(Comparator.comparing(ClassDataArchive::modified).reversed());
    for (Path old :
        archives.subList(Math.min(archives.size(), KEPT_PER_ROLE - 1), archives.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
