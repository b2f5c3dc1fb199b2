package dev.s3pool.runtime;

import java.util.Map;

/** Byte counts as s3pool's command lines write them: 8388608, 8MiB, 8MiB+1. */
public final class ByteSizes {

  private static final long KiB = 1024;
  private static final Map<String, Long> UNITS =
      Map.of("KiB", KiB, "MiB", KiB * KiB, "GiB", KiB * KiB * KiB);

  private ByteSizes() {}

  /**
   * A byte count such as 8388608, 8MiB or 8MiB+1: digits with an optional KiB, MiB or GiB suffix,
   * or a sum of such terms.
   *
   * @throws IllegalArgumentException when {@code text} is none of these
   */
  public static long parse(String text) {
    try {
      long total = 0;
      for (String term : text.split("\\+", -1)) {
        total = Math.addExact(total, parseTerm(term.trim()));
      }
      return total;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a byte size (like 8388608, 8MiB or 8MiB+1)", e);
    }
  }

  private static long parseTerm(String term) {
    for (Map.Entry<String, Long> unit : UNITS.entrySet()) {
      if (term.endsWith(unit.getKey())) {
        String number = term.substring(0, term.length() - unit.getKey().length()).trim();
        return Math.multiplyExact(Long.parseLong(number), unit.getValue());
      }
    }
    return Long.parseLong(term);
  }
}
