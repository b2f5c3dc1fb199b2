package dev.s3pool.submitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.TransferId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TransferRecordTest {

  private final TransferRecord record =
      new TransferRecord(
          new TransferId("t-1"),
          null,
          null,
          null,
          Path.of("/tmp/a.x"),
          Path.of("/tmp/a"),
          "s3://b/a",
          null,
          30,
          3);

  @Test
  void markPartDone_duplicateCompletion_countedOnce() {
    assertTrue(record.markPartDone(1, 10));
    assertFalse(record.markPartDone(1, 10));

    assertEquals(1, record.update().partsDone());
    assertEquals(10, record.update().bytesDone());
    assertFalse(record.allPartsDone());
  }

  @Test
  void markPartDone_everyPartOnce_allDone() {
    record.markPartDone(2, 10);
    record.markPartDone(0, 10);
    record.markPartDone(0, 10);
    assertFalse(record.allPartsDone());

    record.markPartDone(1, 10);

    assertTrue(record.allPartsDone());
    assertEquals(30, record.update().bytesDone());
  }

  @Test
  void markPartDone_indexOutsideThePlan_ignored() {
    assertFalse(record.markPartDone(3, 10));
    assertFalse(record.markPartDone(-1, 10));
    assertEquals(0, record.update().partsDone());
  }

  @Test
  void etagMismatch_firstPartSetsTheEtag_laterDifferentOneIsReported() {
    assertEquals(null, record.etagMismatch("\"v1\""));
    assertEquals(null, record.etagMismatch("\"v1\""));
    assertEquals(null, record.etagMismatch(null));

    assertEquals("\"v2\"", record.etagMismatch("\"v2\""));
    assertEquals("\"v1\"", record.etag());
  }
}
