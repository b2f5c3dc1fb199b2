package dev.s3pool.submitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.TransferId;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.GetObjectJob;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferRecordTest {

  private final TransferRecord record =
      new TransferRecord(
          request("t-1"), null, null, Path.of("/tmp/a.x"), Path.of("/tmp/a"), null, 30, 3);

  private static DownloadFileRequest request(String id) {
    return new DownloadFileRequest(new TransferId(id), "b", "a", "/tmp/a", Map.of(), null, null);
  }

  @Test
  void sizeLearned_firstPartTellsTheSize_laterJobsCarryItAndTheEtag() {
    TransferRecord unknown =
        new TransferRecord(
            request("t-2"), null, null, Path.of("/tmp/a.x"), Path.of("/tmp/a"), null, -1, 1);
    GetObjectJob first = unknown.job(PartPlan.firstOfUnknownSize(8));
    assertTrue(first.learnsSize());
    assertEquals(0, first.partCount());

    assertNull(unknown.etagMismatch("\"e\""));
    unknown.sizeLearned(20, PartPlan.rest(20, 8, 8, 8));
    GetObjectJob second = unknown.job(PartPlan.rest(20, 8, 8, 8).get(0));

    assertEquals(20, unknown.update().totalBytes());
    assertEquals(3, unknown.update().partsExpected());
    assertEquals(20, second.objectSize());
    assertEquals(3, second.partCount());
    assertEquals("\"e\"", second.etag());
    assertEquals("bytes=8-15", second.range());
  }

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
