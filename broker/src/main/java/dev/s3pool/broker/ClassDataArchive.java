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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive per child role, so that a child JVM maps the classes it needs
 * instead of loading them from jars. Java 17 has no automatic archive, so the first child of a role
 * writes one when it exits ({@code -XX:ArchiveClassesAtExit}, to a temporary name that {@link
 * Dump#publish} renames), and later children use it ({@code -XX:SharedArchiveFile}).
 *
 * <p>The archive's name is a hash of the JVM, the role and every classpath entry with its size and
 * modification time, so a rebuilt jar or another JDK gets a new archive and a stale one is never
 * used. Archives live in {@code $XDG_CACHE_HOME/s3pool/cds} (default {@code ~/.cache}), a directory
 * of the user's own, never a shared temporary directory; the newest few per role are kept. A
 * classpath with a directory on it (an IDE, a test run) gets no archive: Java 17 cannot archive
 * classes from directories. {@code -Ds3pool.cds=false} turns all of this off.
 */
final class ClassDataArchive {

  private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);
  private static final int KEPT_PER_ROLE = 3;

  /** Archives being written by a child of this JVM: one writer per archive is enough. */
  private static final Set<Path> DUMPING = ConcurrentHashMap.newKeySet();

  private ClassDataArchive() {}

  /** What a child's command line gets: options, and an archive to publish when it exits. */
  record Plan(List<String> jvmOptions, Dump dump) {
    static final Plan NONE = new Plan(List.of(), null);
  }

  /** An archive a child writes at exit under a temporary name. */
  record Dump(Path temporary, Path archive) {
    /** Moves a complete archive into place, once the child that wrote it has exited. */
    void publish() {
      try {
        if (Files.size(temporary) > 0) {
          Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE);
          log.info("class-data archive {} written", archive);
        }
      } catch (IOException e) {
        log.debug("no class-data archive from {}: {}", temporary, e.toString());
      } finally {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          log.debug("cannot delete {}", temporary, e);
        }
        DUMPING.remove(archive);
      }
    }
  }

  /** The plan for a child of {@code role} on this JVM's classpath. */
  static Plan plan(String role) {
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
      Path archive = dir.resolve(role + "-" + key + ".jsa");
      // Output about the archive (a mismatch after a JDK update, say) must not reach the user.
      String quiet = "-Xlog:cds=off,cds+dynamic=off";
      if (Files.isRegularFile(archive)) {
        return new Plan(List.of("-XX:SharedArchiveFile=" + archive, quiet), null);
      }
      if (!DUMPING.add(archive)) {
        return Plan.NONE;
      }
      Files.createDirectories(dir);
      prune(dir, role);
      Path temporary = dir.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
      return new Plan(
          List.of("-XX:ArchiveClassesAtExit=" + temporary, quiet), new Dump(temporary, archive));
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
        if (name.endsWith(".jsa")) {
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
