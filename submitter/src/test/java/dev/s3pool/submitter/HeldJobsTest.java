package dev.s3pool.submitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferId;
import dev.s3pool.runtime.ConsumerLoop;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.TempPaths;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import dev.s3pool.wire.WireCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests handled in one transaction: the single jobs of small objects go out together when the
 * transaction commits, at most {@value Outbox#MAX_JOBS_PER_MESSAGE} to a message; a rollback sends
 * none of them and forgets their transfers.
 */
class HeldJobsTest {

  private static final long CHUNK = 100;

  @TempDir Path dir;
  private final RecordingSession recording = new RecordingSession();
  private TransferCoordinator coordinator;
  private ConsumerLoop.Handler handler;

  @BeforeEach
  void setUp() throws Exception {
    ProcessTransferConfig config =
        ProcessTransferConfig.builder().multipartThreshold(CHUNK).multipartChunksize(CHUNK).build();
    coordinator = new TransferCoordinator(config);
    RequestHandler requests =
        new RequestHandler(new GetObjectSubmitter(config, coordinator, dir), coordinator);
    handler = requests.handlerFor(new Outbox(recording.session()));
  }

  @Test
  void nineSmallObjects_jobsGoOutAtTheCommit_inTwoMessages() throws Exception {
    for (int i = 0; i < 9; i++) {
      handle(request(i, null));
    }
    assertEquals(List.of(), recording.sent, "nothing sent before the commit");

    handler.beforeCommit();
    handler.committed();

    assertEquals(List.of(4, 5), recording.messageSizes);
    List<GetObjectJob> jobs = jobs();
    assertEquals(9, jobs.size());
    for (int i = 0; i < 9; i++) {
      GetObjectJob job = jobs.get(i);
      assertEquals(id(i), job.transferId(), "in the order the requests came");
      assertTrue(job.learnsSize(), "size unknown: the first part tells it");
      assertTrue(Files.exists(Path.of(job.tempPath())));
    }
  }

  @Test
  void oneSmallObject_aJobMessageOfItsOwn() throws Exception {
    handle(request(0, 50L));
    handler.beforeCommit();

    assertEquals(List.of(1), recording.messageSizes);
    assertEquals(0, jobs().get(0).partIndex());
  }

  @Test
  void aLargeObjectOfKnownSize_itsFirstJobsGoOutAtOnce_notHeld() throws Exception {
    handle(request(0, 3 * CHUNK));

    assertEquals(List.of(1, 1, 1), recording.messageSizes, "sent while handling the request");
    assertEquals(List.of(0, 1, 2), jobs().stream().map(GetObjectJob::partIndex).toList());
  }

  @Test
  void rolledBack_sendsNothing_removesTheFiles_andACancelMeanwhileRefusesTheRequest()
      throws Exception {
    handle(request(0, null));
    handle(request(1, null));
    Path temp0 = TempPaths.tempPath(dir.resolve("f0.bin"), id(0));
    assertTrue(Files.exists(temp0));

    handler.rolledBack();
    handler.beforeCommit(); // the next transaction: nothing left over is sent

    assertEquals(List.of(), recording.sent);
    assertFalse(Files.exists(temp0), "no temporary file left behind");
    assertFalse(Files.exists(TempPaths.tempPath(dir.resolve("f1.bin"), id(1))));

    // The requests come again; one was cancelled meanwhile.
    coordinator.cancel(id(0), new Outbox(recording.session()));
    handle(request(0, null));
    handle(request(1, null));
    handler.beforeCommit();

    TransferUpdate refused = (TransferUpdate) recording.sent.get(0);
    assertEquals(TransferStatus.CANCELLED, refused.status());
    assertEquals(ErrorKind.CANCELLED, refused.error().kind());
    assertFalse(Files.exists(temp0), "the cancelled request made no file");
    assertEquals(List.of(id(1)), jobs().stream().map(GetObjectJob::transferId).toList());
  }

  private void handle(DownloadFileRequest request) throws Exception {
    handler.handle(WireCodec.encode(recording.session(), request));
  }

  private DownloadFileRequest request(int i, Long size) {
    return new DownloadFileRequest(id(i), "b", "k" + i, "f" + i + ".bin", Map.of(), size, null);
  }

  private static TransferId id(int i) {
    return new TransferId("t-" + i);
  }

  private List<GetObjectJob> jobs() {
    return recording.sent.stream()
        .filter(GetObjectJob.class::isInstance)
        .map(GetObjectJob.class::cast)
        .toList();
  }
}
