package dev.s3pool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DemoCommandTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 7, 8, 1024, (1 << 20) + 3, 3 * (1 << 20)})
  void writeRandomFile_hasSizeAndReturnsItsSha256(long size) throws Exception {
    Path file = dir.resolve("f.bin");

    byte[] sha256 = DemoCommand.writeRandomFile(file, size, new SplittableRandom(size));

    assertEquals(size, Files.size(file));
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)), sha256);
    assertArrayEquals(sha256, DemoCommand.sha256Of(file));
  }

  @Test
  void writeRandomFile_differsBetweenObjects() throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    byte[] first = DemoCommand.writeRandomFile(dir.resolve("a"), 4096, random.split());
    byte[] second = DemoCommand.writeRandomFile(dir.resolve("b"), 4096, random.split());

    assertFalse(Arrays.equals(first, second));
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0 B",
    "1023, 1023 B",
    "1024, 1.0 KiB",
    "8388609, 8.0 MiB",
    "352321537, 336.0 MiB"
  })
  void humanBytes_usesBinaryUnits(long bytes, String text) {
    assertEquals(text, DemoCommand.humanBytes(bytes));
  }
}
