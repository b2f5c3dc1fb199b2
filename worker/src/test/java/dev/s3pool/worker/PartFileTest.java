package dev.s3pool.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct and buffered writes of a part's range, on the file system of the test's directory. */
class PartFileTest {

  private static final int MIB = 1024 * 1024;
  private static final byte UNTOUCHED = 0x55;

  @TempDir Path dir;
  private Path temp;
  private final byte[] object = new byte[5 * MIB + 4321];

  @BeforeEach
  void setUp() throws IOException {
    new Random(11).nextBytes(object);
    temp = dir.resolve("object.abcd1234");
    Files.createFile(temp);
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(PartFile.DIRECT_PROPERTY);
  }

  @Test
  void largePart_unalignedEnds_landsExactlyWithDirectWrites() throws IOException {
    assumeTrue(directIoWorksIn(dir), "the file system of " + dir + " has no direct I/O");
    byte[] before = new byte[object.length];
    Arrays.fill(before, UNTOUCHED);
    Files.write(temp, before);
    int offset = 1000;
    int length = 3 * MIB + 123;

    boolean direct = writePart(offset, length);

    assertTrue(direct, "a part of " + length + " bytes is written past the page cache");
    byte[] file = Files.readAllBytes(temp);
    assertEquals(object.length, file.length);
    assertArrayEquals(
        Arrays.copyOfRange(object, offset, offset + length),
        Arrays.copyOfRange(file, offset, offset + length));
    for (int i = 0; i < offset; i++) {
      assertEquals(UNTOUCHED, file[i], "byte " + i + " before the range");
    }
    for (int i = offset + length; i < file.length; i++) {
      assertEquals(UNTOUCHED, file[i], "byte " + i + " after the range");
    }
  }

  @Test
  void partsSharingABlock_writtenAtOnce_makeTheWholeObject() throws Exception {
    // The boundaries fall inside blocks: each such block gets two buffered writes, one per part.
    int first = 2 * MIB + 100;
    int second = 3 * MIB - 50;

    CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> writeUnchecked(0, first));
    CompletableFuture<Boolean> b =
        CompletableFuture.supplyAsync(() -> writeUnchecked(first, second));
    boolean rest = writePart(first + second, object.length - first - second);

    boolean directIo = directIoWorksIn(dir);
    assertEquals(directIo, a.get(30, TimeUnit.SECONDS), "the first part went direct");
    assertEquals(directIo, b.get(30, TimeUnit.SECONDS), "the second part went direct");
    assertFalse(rest, "a part of " + (object.length - first - second) + " bytes is buffered");
    assertArrayEquals(object, Files.readAllBytes(temp));
  }

  @Test
  void directWriteRefused_fallsBackToBufferedWrites() throws IOException {
    assumeTrue(directIoWorksIn(dir), "the file system of " + dir + " has no direct I/O");
    long blockSize = Files.getFileStore(dir).getBlockSize();
    assumeTrue(blockSize > 512, "the JDK takes 512-byte blocks here: " + blockSize);
    int offset = 512; // not a multiple of the file system's block size: the JDK refuses the write

    try (PartFile file = new PartFile(temp, 512)) {
      file.chooseWrites(object.length - offset, PartFile::newStaging);
      assertTrue(file.direct(), "opened for direct I/O");
      file.write(object, PartFile.DIRECT_WRITE_BYTES, offset);

      assertFalse(file.direct(), "after a refused direct write, writes go through the page cache");
    }
    byte[] file = Files.readAllBytes(temp);
    assertArrayEquals(
        Arrays.copyOfRange(object, 0, PartFile.DIRECT_WRITE_BYTES),
        Arrays.copyOfRange(file, offset, offset + PartFile.DIRECT_WRITE_BYTES));
  }

  @Test
  void smallPart_isBuffered() throws IOException {
    try (PartFile file = new PartFile(temp)) {
      file.chooseWrites(PartFile.DIRECT_MIN_BYTES - 1, PartFile::newStaging);

      assertFalse(file.direct());
      assertEquals(PartFile.BUFFERED_WRITE_BYTES, file.writeSize());
    }
  }

  @Test
  void directWritesTurnedOff_largePartIsBuffered() throws IOException {
    System.setProperty(PartFile.DIRECT_PROPERTY, "false");

    boolean direct = writePart(0, object.length);

    assertFalse(direct);
    assertArrayEquals(object, Files.readAllBytes(temp));
  }

  @Test
  void staging_isAlignedForTheLargestBlockSize() {
    ByteBuffer staging = PartFile.newStaging();

    assertTrue(staging.isDirect());
    assertEquals(PartFile.DIRECT_WRITE_BYTES, staging.capacity());
    assertEquals(0, staging.alignmentOffset(0, PartFile.MAX_ALIGNMENT));
  }

  /** Writes {@code object[offset, offset + length)} as a worker would; whether it went direct. */
  private boolean writePart(int offset, int length) throws IOException {
    try (PartFile file = new PartFile(temp)) {
      file.chooseWrites(length, PartFile::newStaging);
      byte[] buffer = new byte[file.writeSize()];
      for (int done = 0; done < length; ) {
        int count = Math.min(buffer.length, length - done);
        System.arraycopy(object, offset + done, buffer, 0, count);
        file.write(buffer, count, offset + done);
        done += count;
      }
      return file.direct();
    }
  }

  private boolean writeUnchecked(int offset, int length) {
    try {
      return writePart(offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean directIoWorksIn(Path dir) {
    try (FileChannel channel =
        FileChannel.open(
            dir.resolve("probe"),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            ExtendedOpenOption.DIRECT)) {
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
