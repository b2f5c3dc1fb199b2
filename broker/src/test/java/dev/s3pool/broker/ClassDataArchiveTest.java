package dev.s3pool.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing an AOT record (Java 25): the command that makes the cache is a shell script here,
 * given the same two options the JVM gets, so that these run on any JDK.
 */
class ClassDataArchiveTest {

  /** Copies the record to the cache, like {@code java -XX:AOTMode=create} makes one from it. */
  private static final String COPY_RECORD =
      "for a; do case $a in -XX:AOTConfiguration=*) r=${a#*=};; -XX:AOTCache=*) c=${a#*=};; esac;"
          + " done; cp \"$r\" \"$c\"";

  @TempDir Path dir;

  @Test
  void publish_aotRecord_cacheMadeFromItGoesInPlace() throws IOException {
    Path record = Files.writeString(dir.resolve("worker-1.aot.u1.tmp"), "classes");
    Path archive = dir.resolve("worker-1.aot");

    new ClassDataArchive.Dump(record, archive, List.of("sh", "-c", COPY_RECORD, "sh")).publish();

    assertEquals("classes", Files.readString(archive));
    assertEquals(List.of(archive), files(), "the record and the cache's temporary name are gone");
  }

  @Test
  void publish_createFails_noArchiveAndNothingLeft() throws IOException {
    Path record = Files.writeString(dir.resolve("worker-1.aot.u1.tmp"), "classes");
    Path archive = dir.resolve("worker-1.aot");

    new ClassDataArchive.Dump(record, archive, List.of("sh", "-c", COPY_RECORD + "; exit 3", "sh"))
        .publish();

    assertFalse(Files.exists(archive), "a cache whose making failed is not used");
    assertEquals(List.of(), files());
  }

  @Test
  void publish_emptyRecord_makesNoCache() throws IOException {
    Path record = Files.createFile(dir.resolve("worker-1.aot.u1.tmp"));
    Path ran = dir.resolve("ran");

    new ClassDataArchive.Dump(record, dir.resolve("worker-1.aot"), List.of("touch", ran.toString()))
        .publish();

    assertEquals(List.of(), files(), "a child that died before writing its record: nothing run");
  }

  @Test
  void publish_classDataArchive_movedAsWritten() throws IOException {
    Path dump = Files.writeString(dir.resolve("worker-1.jsa.u1.tmp"), "classes");
    Path archive = dir.resolve("worker-1.jsa");

    new ClassDataArchive.Dump(dump, archive, null).publish();

    assertEquals("classes", Files.readString(archive));
    assertEquals(List.of(archive), files());
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
