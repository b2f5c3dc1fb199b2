package dev.s3pool.worker;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's positional writes into its part's range of the temporary file.
 *
 * <p>A part of at least {@value #DIRECT_MIN_BYTES} bytes is written with direct I/O (O_DIRECT, past
 * the page cache) where the file system allows it, in writes of {@value #DIRECT_WRITE_BYTES} bytes:
 * on this project's benchmark machine a buffered write of a fresh 1 GiB file spends 3.7 s in the
 * kernel taking new pages for the page cache, a direct one 0.1 s (bench/README.md). Only whole,
 * aligned blocks go direct; the unaligned ends of a range (the object's last block, a part boundary
 * inside a block) are buffered writes, which never share a block with a direct one. Smaller parts,
 * file systems without direct I/O, and a worker JVM started with {@code
 * -Ds3pool.directWrites=false} write through the page cache, {@value #BUFFERED_WRITE_BYTES} bytes
 * at a time.
 */
final class PartFile implements Closeable {

  /** Set to false (a JVM option of the worker) to write every part through the page cache. */
  static final String DIRECT_PROPERTY = "s3pool.directWrites";

  static final int DIRECT_MIN_BYTES = 1024 * 1024;
  static final int DIRECT_WRITE_BYTES = 1024 * 1024;

  /** 1 MiB and 256 KiB buffered writes measured slower on 1 GiB (bench/README.md). */
  static final int BUFFERED_WRITE_BYTES = 128 * 1024;

  /** The largest block size direct I/O is tried with; a staging buffer is aligned to it. */
  static final int MAX_ALIGNMENT = 64 * 1024;

  /**
   * Writes to one file take turns in this JVM. The kernel makes them take turns anyway (ext4 holds
   * the inode's lock for each buffered write, and for each direct write that fills a hole), but a
   * thread waiting there spins on the CPU the writing thread needs; waiting here it sleeps. Striped
   * by path, so writes to different files wait for each other only on a hash collision.
   */
  private static final Object[] WRITE_LOCKS = newLocks(64);

  private static final Logger log = LoggerFactory.getLogger(PartFile.class);

  /** The block size of the last directory asked about (finding a file's store reads the mounts). */
  private static volatile DirectoryBlockSize lastBlockSize = new DirectoryBlockSize(null, 0);

  private record DirectoryBlockSize(Path directory, long blockSize) {}

  private final Path temp;
  private final FileChannel buffered;
  private final Object lock;
  private final int givenBlockSize;
  private FileChannel direct;
  private int alignment;
  private ByteBuffer staging;

  /**
   * Opens {@code temp} for writing.
   *
   * @throws java.nio.file.NoSuchFileException when it is gone
   */
  PartFile(Path temp) throws IOException {
    this(temp, 0);
  }

  /**
   * Opens {@code temp} for writing, its direct writes aligned to {@code blockSize} instead of the
   * file store's block size when that is not 0; for tests.
   */
  PartFile(Path temp, int blockSize) throws IOException {
    this.temp = temp;
    this.givenBlockSize = blockSize;
    this.buffered = FileChannel.open(temp, StandardOpenOption.WRITE);
    this.lock = WRITE_LOCKS[Math.floorMod(temp.hashCode(), WRITE_LOCKS.length)];
  }

  /** Whether this JVM writes large parts with direct I/O ({@value #DIRECT_PROPERTY}). */
  static boolean directEnabled() {
    return Boolean.parseBoolean(System.getProperty(DIRECT_PROPERTY, "true"));
  }

  /**
   * A buffer for direct writes: {@value #DIRECT_WRITE_BYTES} bytes of native memory at an address
   * aligned for any block size up to {@value #MAX_ALIGNMENT}.
   */
  static ByteBuffer newStaging() {
    return ByteBuffer.allocateDirect(DIRECT_WRITE_BYTES + MAX_ALIGNMENT)
        .alignedSlice(MAX_ALIGNMENT)
        .limit(DIRECT_WRITE_BYTES)
        .slice();
  }

  /**
   * Writes the rest of a part of {@code length} bytes with direct I/O if it is large enough and the
   * file system allows it. A failure to open the file for direct I/O only means buffered writes.
   *
   * @param staging the caller's buffer from {@link #newStaging()}, made on first use
   */
  void chooseWrites(long length, Supplier<ByteBuffer> staging) {
    if (length < DIRECT_MIN_BYTES || !directEnabled()) {
      return;
    }
    try {
      long blockSize = givenBlockSize != 0 ? givenBlockSize : blockSize(temp);
      if (blockSize <= 0 || blockSize > MAX_ALIGNMENT || Long.bitCount(blockSize) != 1) {
        log.debug("no direct writes to {}: block size {}", temp, blockSize);
        return;
      }
      direct = FileChannel.open(temp, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
      alignment = (int) blockSize;
      this.staging = staging.get();
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("no direct writes to {}: {}", temp, e.toString());
    }
  }

  private static long blockSize(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    DirectoryBlockSize last = lastBlockSize;
    if (!directory.equals(last.directory())) {
      last = new DirectoryBlockSize(directory, Files.getFileStore(file).getBlockSize());
      lastBlockSize = last;
    }
    return last.blockSize();
  }

  /** How many bytes a caller should gather before each {@link #write}. */
  int writeSize() {
    return direct != null ? DIRECT_WRITE_BYTES : BUFFERED_WRITE_BYTES;
  }

  /**
   * Writes {@code data[0, count)} at {@code position}; {@code count} is at most {@link #writeSize}.
   */
  void write(byte[] data, int count, long position) throws IOException {
    if (direct == null) {
      synchronized (lock) {
        buffered(data, 0, count, position);
      }
      return;
    }
    int head = (int) Math.min(count, Math.floorMod(-position, (long) alignment));
    int whole = (count - head) / alignment * alignment;
    // The copy into this thread's staging buffer needs no turn: only the writes take turns.
    staging.clear().put(data, head, whole).flip();
    synchronized (lock) {
      buffered(data, 0, head, position);
      if (whole > 0) {
        try {
          writeStaged(position + head);
        } catch (IOException e) {
          // A file system may accept O_DIRECT and refuse the writes; a real failure (a full disk)
          // fails the buffered write too.
          log.debug(
              "direct write to {} failed, writing through the page cache: {}", temp, e.toString());
          closeDirect();
          buffered(data, head, whole, position + head);
        }
      }
      buffered(data, head + whole, count - head - whole, position + head + whole);
    }
  }

  private void closeDirect() {
    try {
      direct.close();
    } catch (IOException e) {
      log.debug("closing {} opened for direct I/O: {}", temp, e.toString());
    }
    direct = null;
  }

  private void writeStaged(long position) throws IOException {
    while (staging.hasRemaining()) {
      position += direct.write(staging, position);
    }
  }

  private void buffered(byte[] data, int offset, int count, long position) throws IOException {
    ByteBuffer view = ByteBuffer.wrap(data, offset, count);
    while (view.hasRemaining()) {
      position += buffered.write(view, position);
    }
  }

  /** Whether large writes go past the page cache; for tests. */
  boolean direct() {
    return direct != null;
  }

  @Override
  public void close() throws IOException {
    try {
      buffered.close();
    } finally {
      if (direct != null) {
        direct.close();
      }
    }
  }

  private static Object[] newLocks(int count) {
    Object[] locks = new Object[count];
    for (int i = 0; i < count; i++) {
      locks[i] = new Object();
    }
    return locks;
  }
}
