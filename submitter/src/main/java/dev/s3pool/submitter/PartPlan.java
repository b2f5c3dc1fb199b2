package dev.s3pool.submitter;

import java.util.ArrayList;
import java.util.List;

/**
 * How an object of a given size is split into GET jobs: one job without Range below the threshold,
 * else one job per chunk with {@code bytes=start-end}, the last one open-ended ({@code
 * bytes=start-}) like the reference.
 */
final class PartPlan {

  /**
   * One GET.
   *
   * @param index part number from 0
   * @param offset first byte
   * @param length bytes this part must deliver
   * @param range the Range header, or null for the whole object
   */
  record Part(int index, long offset, long length, String range) {}

  private PartPlan() {}

  /**
   * The first GET of an object of unknown size: its first chunk, {@code bytes=0-(chunkSize-1)}. The
   * response tells the size (Content-Range), and {@link #rest} plans the other parts.
   */
  static Part firstOfUnknownSize(long chunkSize) {
    return new Part(0, 0, chunkSize, "bytes=0-" + (chunkSize - 1));
  }

  /**
   * The parts after a first GET that delivered bytes [0, {@code done}) of an object of {@code size}
   * bytes: the same chunks {@link #split} plans when the first part is a whole chunk, else (an
   * object below the threshold but above one chunk) the rest in one open-ended GET. Indexes go on
   * from 1.
   */
  static List<Part> rest(long size, long done, long multipartThreshold, long chunkSize) {
    if (done >= size) {
      return List.of();
    }
    List<Part> all = split(size, multipartThreshold, chunkSize);
    if (all.size() > 1 && all.get(0).length() == done) {
      return all.subList(1, all.size());
    }
    return List.of(new Part(1, done, size - done, "bytes=" + done + "-"));
  }

  static List<Part> split(long size, long multipartThreshold, long chunkSize) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0: " + size);
    }
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be > 0: " + chunkSize);
    }
    if (size < multipartThreshold) {
      return List.of(new Part(0, 0, size, null));
    }
    long count = (size + chunkSize - 1) / chunkSize;
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "object of "
              + size
              + " bytes needs "
              + count
              + " parts of "
              + chunkSize
              + " bytes; raise multipartChunksize");
    }
    List<Part> parts = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long start = i * chunkSize;
      boolean last = i == count - 1;
      long end = last ? size - 1 : start + chunkSize - 1;
      String range = last ? "bytes=" + start + "-" : "bytes=" + start + "-" + end;
      parts.add(new Part(i, start, end - start + 1, range));
    }
    return parts;
  }
}
