package dev.s3pool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3PoolTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void help_printsUsageOnStdout() {
    int status = run("--help");

    assertEquals(S3Pool.OK, status);
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: s3pool"));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cpRecursive_intoAFile_failsWithOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");

    int status = run("cp", "s3://bucket/prefix", file.toString(), "--recursive");

    assertEquals(S3Pool.FAILED, status);
    assertEquals(
        "s3pool: cp failed: not a directory: " + file + System.lineSeparator(),
        err.toString(StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void describe_isOneLine_withTheTypeWhereTheMessageIsThin() {
    assertEquals("bad thing", S3Pool.describe(new IllegalStateException("bad thing\n\tdetail")));
    assertEquals("IllegalStateException", S3Pool.describe(new IllegalStateException()));
    assertEquals("NoSuchFileException: /x", S3Pool.describe(new NoSuchFileException("/x")));
  }

  private int run(String... args) {
    return S3Pool.run(
        CommandLine.parse(List.of(args)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
