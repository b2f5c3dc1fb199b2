package dev.s3pool.submitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferId;
import dev.s3pool.wire.CancelTransfer;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.QueryTransfer;
import dev.s3pool.wire.TempPaths;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client asks about a transfer it heard nothing of for a while. A submitter that holds it answers
 * with its state; one with no record of it (its request was taken by a submitter that died) answers
 * that it was lost, removes the temporary file the dead submitter made, and drops the request
 * should it still come.
 */
class QueryTransferTest {

  private static final TransferId ID = new TransferId("t-lost");
  private static final String CLIENT = "client-1";

  @TempDir Path dir;
  private final RecordingSession recording = new RecordingSession();
  private Path root;
  private TransferCoordinator coordinator;
  private GetObjectSubmitter submitter;
  private Outbox out;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    ProcessTransferConfig config =
        ProcessTransferConfig.builder().multipartThreshold(100).multipartChunksize(100).build();
    coordinator = new TransferCoordinator(config);
    submitter = new GetObjectSubmitter(config, coordinator, root);
    out = new Outbox(recording.session());
  }

  @Test
  void query_ofARunningTransfer_publishesItsState() throws Exception {
    submitter.submit(request("running.bin"), null, null, out);
    Path temp = TempPaths.tempPath(root.resolve("running.bin"), ID);
    assertTrue(Files.exists(temp), "the request made its temporary file");
    recording.sent.clear();

    submitter.query(
        new QueryTransfer(ID, CLIENT, root.resolve("running.bin").toString()), null, null, out);

    assertEquals(TransferStatus.IN_PROGRESS, onlyUpdate().status());
    assertTrue(Files.exists(temp), "a running transfer keeps its file");
  }

  @Test
  void query_ofATransferNeverSeen_failsItAsLost_removesItsFile_andDropsItsRequest()
      throws Exception {
    Path target = root.resolve("lost.bin");
    Path temp = TempPaths.tempPath(target, ID);
    Files.write(temp, new byte[] {1, 2, 3}); // what the submitter that died left behind

    submitter.query(new QueryTransfer(ID, CLIENT, target.toString()), null, null, out);

    TransferUpdate answer = onlyUpdate();
    assertEquals(TransferStatus.FAILED, answer.status());
    assertEquals(ErrorKind.INTERNAL, answer.error().kind());
    assertTrue(
        answer.error().message().startsWith("transfer t-lost was lost: the s3pool submitter has"),
        answer.error().message());
    assertFalse(Files.exists(temp), "the dead submitter's temporary file is removed");

    // The request comes after all (say the broker gave it back late): the client was told.
    recording.sent.clear();
    submitter.submit(request("lost.bin"), null, null, out);
    assertEquals(List.of(), jobs(), "a transfer told lost does not run");
    assertEquals(answer.error(), onlyUpdate().error());
    assertFalse(Files.exists(temp), "no temporary file made for it");

    recording.sent.clear();
    submitter.query(new QueryTransfer(ID, CLIENT, target.toString()), null, null, out);
    assertEquals(answer.error(), onlyUpdate().error(), "asked again, the same answer");
  }

  @Test
  void query_ofATransferCancelledBeforeItsRequest_answersCancelled() throws Exception {
    coordinator.cancel(new CancelTransfer(ID).transferId(), out);

    submitter.query(new QueryTransfer(ID, CLIENT, null), null, null, out);

    assertEquals(TransferStatus.CANCELLED, onlyUpdate().status());
  }

  @Test
  void query_namingAFileOutsideTheDownloadRoot_removesNothing() throws Exception {
    Path outside = dir.resolve("outside.bin");
    Path temp = TempPaths.tempPath(outside, ID);
    Files.write(temp, new byte[] {1});

    submitter.query(new QueryTransfer(ID, CLIENT, "../outside.bin"), null, null, out);
    submitter.query(
        new QueryTransfer(new TransferId("t-2"), CLIENT, outside.toString()), null, null, out);

    assertEquals(
        List.of(TransferStatus.FAILED, TransferStatus.FAILED),
        updates().stream().map(TransferUpdate::status).toList());
    assertTrue(Files.exists(temp), "a file outside the download root is never touched");
  }

  private static DownloadFileRequest request(String filename) {
    return new DownloadFileRequest(ID, "bucket", "key", filename, Map.of(), null, CLIENT);
  }

  private List<GetObjectJob> jobs() {
    return recording.sent.stream()
        .filter(GetObjectJob.class::isInstance)
        .map(GetObjectJob.class::cast)
        .toList();
  }

  private List<TransferUpdate> updates() {
    return recording.sent.stream()
        .filter(TransferUpdate.class::isInstance)
        .map(TransferUpdate.class::cast)
        .toList();
  }

  private TransferUpdate onlyUpdate() {
    List<TransferUpdate> updates = updates();
    assertEquals(1, updates.size(), () -> "published: " + recording.sent);
    return updates.get(0);
  }
}
