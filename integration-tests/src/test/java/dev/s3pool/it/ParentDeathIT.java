package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.s3pool.cli.LocalS3Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A parent JVM killed with SIGKILL leaves no child JVM behind: the children exit by themselves. */
class ParentDeathIT {

  private static final long CHILD_EXIT_SECONDS = 15;

  @TempDir Path dir;

  @Test
  void parentKilled_childrenExitOnTheirOwn() throws Exception {
    try (LocalS3Server server = LocalS3Server.start(dir.resolve("server"))) {
      server.createBucket("parent-death");
      server.putObject("parent-death", "small", new byte[] {1, 2, 3});
      Path target = dir.resolve("small");
      Process parent =
          startProgram(OrphanedParentMain.class, server, "parent-death", "small", target);
      List<ProcessHandle> children = new ArrayList<>();
      try {
        children.addAll(childrenReportedBy(parent));
        assertEquals(3, children.size(), "one submitter and two workers: " + children);
        children.forEach(c -> assertTrue(c.isAlive(), "child " + c.pid() + " before the kill"));

        parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS), "the parent did not die");

        long killed = System.nanoTime();
        long deadline = killed + TimeUnit.SECONDS.toNanos(CHILD_EXIT_SECONDS);
        for (ProcessHandle child : children) {
          long left = Math.max(0, deadline - System.nanoTime());
          try {
            child.onExit().get(left, TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            fail(
                "child JVM "
                    + child.pid()
                    + " outlived its parent by "
                    + CHILD_EXIT_SECONDS
                    + " s");
          }
        }
        System.out.printf(
            "ParentDeathIT: all %d children exited %d ms after the parent's SIGKILL%n",
            children.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
      } finally {
        parent.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void programReturningFromMainAfterClose_jvmEndsPromptly() throws Exception {
    try (LocalS3Server server = LocalS3Server.start(dir.resolve("server"))) {
      server.createBucket("clean-exit");
      server.putObject("clean-exit", "small", new byte[] {1, 2, 3});
      Process program =
          startProgram(CleanExitMain.class, server, "clean-exit", "small", dir.resolve("small"));
      try {
        BufferedReader out = reader(program);
        assertEquals("closed", nextLine(out));
        long closed = System.nanoTime();
        // Netty's global executor thread, if it were not a daemon, would be here for up to 1 s.
        assertEquals("non-daemon threads left: []", nextLine(out));
        // An idle non-daemon thread would keep the JVM for a minute; 10 s is plenty otherwise.
        assertTrue(program.waitFor(10, TimeUnit.SECONDS), "the JVM outlived close() by 10 s");
        assertEquals(0, program.exitValue());
        System.out.printf(
            "ParentDeathIT: the program's JVM ended %d ms after close()%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed));
      } finally {
        program.destroyForcibly();
      }
    }
  }

  /** A test program on this JVM's classpath, given the server and what to download. */
  private static Process startProgram(
      Class<?> main, LocalS3Server server, String bucket, String key, Path target)
      throws java.io.IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName(),
            server.endpoint().toString(),
            server.accessKey(),
            server.secretKey(),
            bucket,
            key,
            target.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static BufferedReader reader(Process program) {
    return new BufferedReader(
        new InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The next line a program prints, waiting at most a minute. */
  private static String nextLine(BufferedReader out) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(60, TimeUnit.SECONDS);
  }

  /** Reads the parent's "children=pid,pid,pid" line, waiting at most a minute. */
  private static List<ProcessHandle> childrenReportedBy(Process parent) throws Exception {
    String line = nextLine(reader(parent));
    assertTrue(line != null && line.startsWith("children="), "parent said: " + line);
    return Arrays.stream(line.substring("children=".length()).split(","))
        .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow())
        .toList();
  }
}
