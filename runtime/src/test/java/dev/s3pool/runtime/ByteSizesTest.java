package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

  @ParameterizedTest
  @CsvSource({
    "0,0",
    "1024,1024",
    "1KiB,1024",
    "8MiB+1,8388609",
    "2GiB,2147483648",
    "1MiB+1KiB,1049600"
  })
  void parse_acceptsSuffixesAndSums(String text, long bytes) {
    assertEquals(bytes, ByteSizes.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "8XiB", "1+", "9999999999GiB", "8 MB"})
  void parse_refusesWhatIsNotAByteSize(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(text));
    assertEquals("not a byte size (like 8388608, 8MiB or 8MiB+1)", e.getMessage());
  }
}
