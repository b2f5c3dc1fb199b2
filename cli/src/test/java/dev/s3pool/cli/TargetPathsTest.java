package dev.s3pool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetPathsTest {

  private static final Path DIR = Path.of("/data/out");

  @ParameterizedTest
  @CsvSource({
    "a.bin, /data/out/a.bin",
    "sub/dir/a.bin, /data/out/sub/dir/a.bin",
    "sub//a.bin, /data/out/sub/a.bin",
    "..a/b.., /data/out/..a/b..",
    "a b/c%20d, /data/out/a b/c%20d",
  })
  void resolve_keepsKeyPathsBelowDir(String relativeKey, String expected) {
    assertEquals(Path.of(expected), TargetPaths.resolve(DIR, relativeKey));
  }

  @Test
  void resolve_relativeDir_isMadeAbsolute() {
    assertEquals(
        Path.of("out/x/y").toAbsolutePath(), TargetPaths.resolve(Path.of("out/./"), "x/y"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "..|it has a '..' segment",
        "../secret|it has a '..' segment",
        "a/../../etc/passwd|it has a '..' segment",
        "a/../b|it has a '..' segment",
        "a/..|it has a '..' segment",
        "./a|it has a '.' segment",
        "/etc/passwd|it is an absolute path",
        "//etc/passwd|it is an absolute path",
        "dir/|it names a directory, not a file",
        "a\u0000b|it is not a valid path here: Nul character not allowed",
      })
  void resolve_refusesEscapes(String relativeKey, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TargetPaths.resolve(DIR, relativeKey));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void resolve_refusesEmptyKey() {
    assertThrows(IllegalArgumentException.class, () -> TargetPaths.resolve(DIR, ""));
  }

  @ParameterizedTest
  @CsvSource({"'', ''", "logs, logs/", "logs/, logs/", "a/b, a/b/"})
  void directoryPrefix_endsWithSlash(String prefix, String expected) {
    assertEquals(expected, TargetPaths.directoryPrefix(prefix));
  }

  @ParameterizedTest
  @CsvSource({"a.bin, a.bin", "dir/a.bin, a.bin", "dir/, ''", "a/b/.., .."})
  void basename_isLastSegment(String key, String expected) {
    assertEquals(expected, TargetPaths.basename(key));
  }
}
