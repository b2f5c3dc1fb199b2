package dev.s3pool.submitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferId;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.SizeLearned;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's planning of an object of unknown size: from the first part's early {@link
 * SizeLearned}, or from its result, once either way. What it sends is recorded by a stand-in
 * session and decoded again.
 */
class TransferCoordinatorTest {

  private static final long CHUNK = 100;
  private static final long SIZE = 3 * CHUNK + 7;
  private static final String ETAG = "\"v1\"";
  private static final TransferId ID = new TransferId("t-1");

  @TempDir Path dir;
  private final RecordingSession recording = new RecordingSession();
  private final List<WireMessage> sent = recording.sent;
  private TransferCoordinator coordinator;
  private Outbox out;
  private TransferRecord record;

  @BeforeEach
  void setUp() throws JMSException, IOException {
    out = new Outbox(recording.session());
    start(10, -1);
  }

  /**
   * A coordinator whose fleet runs {@code maxRequestProcesses} GETs at once, with {@link #record}
   * registered: of unknown size ({@code size} -1, one part planned), or planned in full.
   */
  private void start(int maxRequestProcesses, long size) throws IOException {
    coordinator =
        new TransferCoordinator(
            ProcessTransferConfig.builder()
                .multipartThreshold(CHUNK)
                .multipartChunksize(CHUNK)
                .maxRequestProcesses(maxRequestProcesses)
                .build());
    Path target = dir.resolve("object.bin");
    Path temp = dir.resolve("object.bin.t-1");
    Files.write(temp, new byte[0]);
    List<PartPlan.Part> parts =
        size < 0 ? List.of(PartPlan.firstOfUnknownSize(CHUNK)) : PartPlan.split(size, CHUNK, CHUNK);
    record =
        new TransferRecord(
            new DownloadFileRequest(ID, "b", "k", target.toString(), Map.of(), null, null),
            null,
            null,
            temp,
            target,
            null,
            size,
            parts.size());
    record.toSend(parts);
    assertTrue(coordinator.register(record));
  }

  @Test
  void onSizeLearned_plansTheRestAtOnce_andTheFirstPartsResultPlansNothingMore() throws Exception {
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    List<GetObjectJob> jobs = jobs();
    assertEquals(List.of(1, 2, 3), jobs.stream().map(GetObjectJob::partIndex).toList());
    assertEquals(
        List.of("bytes=100-199", "bytes=200-299", "bytes=300-"),
        jobs.stream().map(GetObjectJob::range).toList());
    jobs.forEach(j -> assertEquals(ETAG, j.etag(), "If-Match of part " + j.partIndex()));
    jobs.forEach(j -> assertEquals(4, j.partCount()));
    assertEquals(SIZE, lastUpdate().totalBytes(), "the client hears the size at once");
    sent.clear();

    complete(new JobCompleted(ID, 2, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 1, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 3, SIZE - 3 * CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 0, CHUNK, SIZE, ETAG, "w"));

    assertEquals(List.of(), jobs(), "no part planned twice");
    assertEquals(TransferStatus.SUCCEEDED, lastUpdate().status());
    assertEquals(SIZE, lastUpdate().bytesDone());
    assertTrue(Files.exists(record.finalPath));
  }

  @Test
  void onSizeLearned_again_forAFirstPartFetchedAgain_isIgnored() throws Exception {
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w1"));
    sent.clear();

    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w2"));

    assertEquals(List.of(), sent);
  }

  @Test
  void onSizeLearned_afterTheFirstPartsResult_isIgnored() throws Exception {
    complete(new JobCompleted(ID, 0, CHUNK, SIZE, ETAG, "w"));
    assertEquals(3, jobs().size(), "the result planned the rest");
    sent.clear();

    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    assertEquals(List.of(), sent);
  }

  @Test
  void onSizeLearned_ofAnEndedTransfer_sendsNothing() throws Exception {
    coordinator.cancel(ID, out);
    sent.clear();

    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    assertEquals(List.of(), sent);
  }

  @Test
  void firstPartResult_ofAnotherSizeThanItTold_failsObjectChanged() throws Exception {
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    complete(new JobCompleted(ID, 0, CHUNK, SIZE + 1, ETAG, "w"));

    TransferUpdate end = lastUpdate();
    assertEquals(TransferStatus.FAILED, end.status());
    assertEquals(ErrorKind.OBJECT_CHANGED, end.error().kind());
    assertEquals(
        "s3://b/k changed during the download: it is 308 bytes now, 307 when the parts were"
            + " planned",
        end.error().message());
    assertFalse(Files.exists(record.tempPath), "temporary file deleted");
  }

  @Test
  void firstPartResult_withAnotherEtagThanItTold_failsObjectChanged() throws Exception {
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    complete(new JobCompleted(ID, 0, CHUNK, SIZE, "\"v2\"", "w"));

    TransferUpdate end = lastUpdate();
    assertEquals(ErrorKind.OBJECT_CHANGED, end.error().kind());
    assertEquals(
        "s3://b/k changed during the download: part 1 has ETag \"v2\", the others \"v1\"",
        end.error().message());
  }

  @Test
  void rolledBack_afterSizeLearned_theMessageDeliveredAgainPlansAgain() throws Exception {
    SizeLearned learned = new SizeLearned(ID, SIZE, CHUNK, ETAG, "w");
    coordinator.onSizeLearned(learned, out);
    assertEquals(3, jobs().size());
    sent.clear();

    coordinator.rolledBack(); // the three jobs were never sent
    coordinator.onSizeLearned(learned, out);

    assertEquals(List.of(1, 2, 3), jobs().stream().map(GetObjectJob::partIndex).toList());
  }

  @Test
  void rolledBack_afterTheFirstPartsResult_plannedAgainAndCountedOnce() throws Exception {
    JobCompleted first = new JobCompleted(ID, 0, CHUNK, SIZE, ETAG, "w");
    coordinator.onCompleted(first, out); // not committed

    sent.clear();
    coordinator.rolledBack();
    complete(first);
    assertEquals(List.of(1, 2, 3), jobs().stream().map(GetObjectJob::partIndex).toList());
    complete(new JobCompleted(ID, 1, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 2, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 3, SIZE - 3 * CHUNK, ETAG, "w"));

    assertEquals(TransferStatus.SUCCEEDED, lastUpdate().status());
    assertEquals(SIZE, lastUpdate().bytesDone(), "the first part counted once");
  }

  @Test
  void rolledBack_ofAResultThatPlannedNothing_changesNothing() throws Exception {
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 1, CHUNK, ETAG, "w"));
    sent.clear();

    coordinator.rolledBack();
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    assertEquals(List.of(), sent, "the plan committed with the earlier message stands");
  }

  @Test
  void plan_largerThanTheFleet_firstJobsAtOnce_theOthersWithTheNextResult() throws Exception {
    start(2, -1);

    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));

    assertEquals(List.of(1, 2), partsSent(), "as many as the fleet runs at once");
    sent.clear();
    complete(new JobCompleted(ID, 0, CHUNK, SIZE, ETAG, "w"));
    assertEquals(List.of(3), partsSent(), "the others with the next result");
    sent.clear();
    complete(new JobCompleted(ID, 1, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 2, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 3, SIZE - 3 * CHUNK, ETAG, "w"));

    assertEquals(List.of(), partsSent(), "each job sent once");
    assertEquals(TransferStatus.SUCCEEDED, lastUpdate().status());
  }

  @Test
  void plan_ofAGivenSize_firstJobsFromTheRequest_theOthersWithTheFirstResult() throws Exception {
    start(2, SIZE);

    coordinator.sendFirstJobs(record, out);

    assertEquals(List.of(0, 1), partsSent());
    sent.clear();
    complete(new JobCompleted(ID, 1, CHUNK, ETAG, "w"));
    assertEquals(List.of(2, 3), partsSent());
  }

  @Test
  void rolledBack_aResultThatSentTheOtherJobs_sendsThemAgain() throws Exception {
    start(2, -1);
    learn(new SizeLearned(ID, SIZE, CHUNK, ETAG, "w"));
    JobCompleted first = new JobCompleted(ID, 0, CHUNK, SIZE, ETAG, "w");
    coordinator.onCompleted(first, out); // not committed

    sent.clear();
    coordinator.rolledBack();
    complete(first);

    assertEquals(List.of(3), partsSent());
    complete(new JobCompleted(ID, 1, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 2, CHUNK, ETAG, "w"));
    complete(new JobCompleted(ID, 3, SIZE - 3 * CHUNK, ETAG, "w"));
    assertEquals(TransferStatus.SUCCEEDED, lastUpdate().status());
    assertEquals(SIZE, lastUpdate().bytesDone(), "the first part counted once");
  }

  private List<Integer> partsSent() {
    return jobs().stream().map(GetObjectJob::partIndex).toList();
  }

  /** The coordinator handles {@code completed}, and the transaction is committed. */
  private void complete(JobCompleted completed) throws Exception {
    coordinator.onCompleted(completed, out);
    coordinator.resultsCommitted();
  }

  /** The coordinator handles {@code learned}, and the transaction is committed. */
  private void learn(SizeLearned learned) throws Exception {
    coordinator.onSizeLearned(learned, out);
    coordinator.resultsCommitted();
  }

  private List<GetObjectJob> jobs() {
    return sent.stream()
        .filter(GetObjectJob.class::isInstance)
        .map(GetObjectJob.class::cast)
        .toList();
  }

  private TransferUpdate lastUpdate() {
    List<TransferUpdate> updates =
        sent.stream()
            .filter(TransferUpdate.class::isInstance)
            .map(TransferUpdate.class::cast)
            .toList();
    assertFalse(updates.isEmpty(), "nothing published: " + sent);
    return updates.get(updates.size() - 1);
  }
}
