package dev.s3pool.it;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.internal.DefaultTransferFuture;
import dev.s3pool.it.FaultProxy.Fault;
import dev.s3pool.it.FaultProxy.RequestKey;
import dev.s3pool.it.StandaloneFleet.Spied;
import dev.s3pool.it.StandaloneFleet.Started;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.TempPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone fleet: a persistent broker on its own, and submitter and worker processes started
 * separately with {@code --broker URL} (as {@code s3pool submitter} and {@code s3pool worker} do),
 * used by a downloader built with {@code brokerUrl}. Each test has its own broker and processes.
 */
class FleetIT {

  private static final String BUCKET = "fleet";
  private static final int MIB = 1024 * 1024;
  private static final int SLOW_CHUNK = 256 * 1024;
  private static final int SLOW_PARTS = 12;
  private static final String[] ONE_MIB_PARTS = {
    "--multipart-threshold", String.valueOf(MIB), "--multipart-chunksize", String.valueOf(MIB)
  };

  @RegisterExtension static final TransferChecks checks = new TransferChecks();

  @TempDir static Path classDir;
  @TempDir Path testDir;

  private static LocalS3Server s3;

  /** 6 parts of 1 MiB, the last one 3 bytes. */
  private static Path multiPart;

  /** {@value #SLOW_PARTS} parts of {@value #SLOW_CHUNK} bytes, for the throttled transfer. */
  private static Path slow;

  private StandaloneFleet fleet;

  /** Between the downloader and the broker, where a test needs to cut the downloader off. */
  private TcpRelay relay;

  private Path downloads;

  @BeforeAll
  static void startS3() {
    s3 =
        LocalS3Server.start(
            classDir.resolve("s3"), "fleet-access-key", "fleet-secret-" + UUID.randomUUID());
    s3.createBucket(BUCKET);
    multiPart = TestFiles.writeRandom(classDir.resolve("sources/multi.bin"), 5L * MIB + 3, 31);
    s3.putObject(BUCKET, "multi.bin", multiPart);
    slow = TestFiles.writeRandom(classDir.resolve("sources/slow.bin"), SLOW_PARTS * SLOW_CHUNK, 32);
    s3.putObject(BUCKET, "slow.bin", slow);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void startBroker() throws Exception {
    fleet = StandaloneFleet.start(testDir, s3);
    downloads = checks.watch(Files.createDirectories(testDir.resolve("downloads")));
  }

  @AfterEach
  void stopFleet() {
    try {
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      if (relay != null) {
        relay.close();
      }
    }
  }

  @Test
  void standaloneFleet_downloadsThroughBrokerUrl() throws Exception {
    fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    fleet.startWorker(s3.endpoint());
    String results = fleet.spyOn(Destinations.JOB_RESULTS);
    Path target = downloads.resolve("multi.bin");

    ProcessPoolDownloader downloader = fleet.downloader();
    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, "multi.bin", target));
    future.completion().get(60, SECONDS);
    assertEquals(List.of(), downloader.childProcesses(), "a downloader by URL starts no JVM");

    TestFiles.assertSameContent(multiPart, target);
    List<Spied> completed =
        fleet.drain(results).stream()
            .filter(m -> "JobCompleted".equals(m.property("s3poolType")))
            .toList();
    assertEquals(6, completed.size(), () -> "parts the standalone worker completed: " + completed);
  }

  /**
   * The message path's cost per small object, counted. Requests that wait for the submitter are
   * handled several to a transaction, and their single jobs go out several to a message: each
   * object still has its request, job, result and outcome, but the jobs and results travel in fewer
   * messages than objects (no HeadObject, no progress for one part).
   */
  @Test
  void smallObjects_jobsAndResultsTravelSeveralToAMessage() throws Exception {
    fleet.startWorker(s3.endpoint());
    int objects = 20;
    Path small = TestFiles.writeRandom(testDir.resolve("sources/small.bin"), 64 * 1024, 33);
    for (int i = 0; i < objects; i++) {
      s3.putObject(BUCKET, "small/" + i + ".bin", small);
    }
    String spy = fleet.spyOnEveryAddress();

    List<TransferFuture> futures = downloadEach("small/", objects, "");
    fleet.awaitMessages(spy, objects); // the requests wait for the submitter
    fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    for (TransferFuture future : futures) {
      future.completion().get(60, SECONDS);
    }
    for (int i = 0; i < objects; i++) {
      TestFiles.assertSameContent(small, downloads.resolve(i + ".bin"));
    }

    // What each message holds, by type (a Batch counts as what it holds), and how many messages
    // carried each type; read until every outcome has been seen, within the fleet's wait.
    Map<String, Integer> held = new TreeMap<>();
    Map<String, Integer> carriedBy = new TreeMap<>();
    while (held.getOrDefault("SUCCEEDED", 0) < objects
        || held.getOrDefault("JobCompleted", 0) < objects) {
      fleet.awaitMessages(spy, 1);
      for (Spied message : fleet.drain(spy)) {
        String type = message.property("s3poolType");
        List<String> types = new ArrayList<>();
        if (type.equals("Batch")) {
          for (int i = 0; i < Integer.parseInt(message.field("count")); i++) {
            types.add(message.field(i + ".s3poolType"));
          }
        } else {
          types.add(type.equals("TransferUpdate") ? message.field("status") : type);
        }
        types.forEach(t -> held.merge(t, 1, Integer::sum));
        carriedBy.merge(types.get(0), 1, Integer::sum);
      }
    }
    String counts = "held " + held + ", messages " + carriedBy;
    assertEquals(objects, held.get("DownloadFileRequest"), counts);
    assertEquals(objects, held.get("GetObjectJob"), counts);
    assertEquals(objects, held.get("JobCompleted"), counts);
    assertEquals(objects, held.get("SUCCEEDED"), counts);
    assertEquals(
        carriedBy.get("GetObjectJob"),
        carriedBy.get("JobCompleted"),
        () -> "one result message per job message: " + counts);
    assertTrue(
        carriedBy.get("GetObjectJob") <= objects / 2,
        () -> "20 requests waiting: their jobs go out several to a message: " + counts);
  }

  /**
   * A worker killed while it holds a message of several small jobs loses none of them: the broker
   * gives the whole message to the next worker, which downloads them all; parts done twice are
   * counted once.
   */
  @Test
  void workerKilledHoldingSeveralSmallJobs_theNextWorkerDownloadsThemAll() throws Exception {
    int objects = 8;
    Path small = TestFiles.writeRandom(testDir.resolve("sources/slow-small.bin"), 16 * 1024, 34);
    for (int i = 0; i < objects; i++) {
      s3.putObject(BUCKET, "slow-small/" + i + ".bin", small);
    }
    try (FaultProxy proxy = FaultProxy.start(s3.endpoint())) {
      // A second per object: a thread holding several is busy with them for seconds.
      Predicate<RequestKey> slowSmall =
          key -> key.method().equals("GET") && key.path().startsWith("/" + BUCKET + "/slow-small/");
      proxy.inject(slowSmall, Integer.MAX_VALUE, Fault.throttle(16 * 1024));
      Started first = fleet.startWorker(proxy.endpoint());
      String jobs = fleet.spyOn(Destinations.WORKER_JOBS);
      String requests = fleet.spyOn(Destinations.DOWNLOAD_REQUESTS);

      List<TransferFuture> futures = downloadEach("slow-small/", objects, "slow-");
      fleet.awaitMessages(requests, objects); // waiting together for the submitter
      fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
      assertTrue(proxy.awaitActiveBodies(1, Duration.ofSeconds(30)), "no small object started");

      first.process().destroyForcibly().waitFor(30, SECONDS);
      assertFalse(first.process().isAlive(), "the worker survived SIGKILL");
      StandaloneFleet.await(
          StandaloneFleet.WAIT,
          () -> "the killed worker gone from " + Destinations.WORKER_JOBS,
          () -> fleet.consumers(Destinations.WORKER_JOBS) == 0);
      fleet.startWorker(proxy.endpoint());
      for (TransferFuture future : futures) {
        future.completion().get(60, SECONDS);
      }

      for (int i = 0; i < objects; i++) {
        TestFiles.assertSameContent(small, downloads.resolve("slow-" + i + ".bin"));
        DefaultTransferFuture mirror = (DefaultTransferFuture) futures.get(i);
        assertEquals(small.toFile().length(), mirror.bytesDone(), "counted once: object " + i);
      }
      List<Spied> jobMessages = fleet.drain(jobs);
      assertTrue(
          jobMessages.stream().anyMatch(m -> "Batch".equals(m.property("s3poolType"))),
          () -> "no job message held several jobs: " + jobMessages);
      int gets = proxy.requestsMatching(slowSmall).values().stream().mapToInt(i -> i).sum();
      assertTrue(gets > objects, "nothing was fetched again after the kill: " + gets + " GETs");
    }
  }

  @Test
  void secondSubmitter_isRefusedAndTheFirstKeepsServing() throws Exception {
    fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    fleet.startWorker(s3.endpoint());

    Started second = fleet.launchSubmitter(s3.endpoint());
    assertTrue(
        second.process().waitFor(60, SECONDS),
        () -> "the second submitter still runs after 60 s: " + second.tail());
    assertEquals(1, second.process().exitValue(), second::tail);
    assertTrue(
        second.tail().contains("another submitter is connected to this broker"), second::tail);
    assertEquals(2, fleet.consumers(Destinations.DOWNLOAD_REQUESTS), "the first submitter's");

    Path target = downloads.resolve("multi.bin");
    TransferFuture future =
        checks.track(fleet.downloader().downloadFile(BUCKET, "multi.bin", target));
    future.completion().get(60, SECONDS);
    TestFiles.assertSameContent(multiPart, target);
  }

  @Test
  void workerStartedMidTransfer_takesJobsAtOnce() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(s3.endpoint())) {
      // Each part takes about 2 s to arrive, so the first worker's two threads alone would need
      // about 12 s for the whole object: the second worker is ready long before that.
      proxy.inject(
          RequestKey.get("/" + BUCKET + "/slow.bin"),
          Integer.MAX_VALUE,
          Fault.throttle(128 * 1024));
      fleet.startSubmitter(
          s3.endpoint(),
          "--multipart-threshold",
          String.valueOf(SLOW_CHUNK),
          "--multipart-chunksize",
          String.valueOf(SLOW_CHUNK));
      Started first = fleet.startWorker(proxy.endpoint());
      String results = fleet.spyOn(Destinations.JOB_RESULTS);
      Path target = downloads.resolve("slow.bin");

      ProcessPoolDownloader downloader = fleet.downloader();
      TransferFuture future = checks.track(downloader.downloadFile(BUCKET, "slow.bin", target));
      assertTrue(
          proxy.awaitActiveBodies(2, Duration.ofSeconds(30)),
          "the first worker's two threads never started downloading");
      Started second = fleet.startWorker(proxy.endpoint());
      assertFalse(
          future.done(),
          "the transfer ended before the second worker was ready; the test needs it in flight");
      future.completion().get(60, SECONDS);

      TestFiles.assertSameContent(slow, target);
      Map<Long, Integer> partsByPid = new TreeMap<>();
      for (Spied result : fleet.drain(results)) {
        if (future.meta().transferId().value().equals(result.property("transferId"))
            && "JobCompleted".equals(result.property("s3poolType"))) {
          partsByPid.merge(pidOf(result.field("worker")), 1, Integer::sum);
        }
      }
      assertEquals(
          Set.of(first.pid(), second.pid()),
          partsByPid.keySet(),
          () -> "parts completed per worker pid: " + partsByPid);
      assertEquals(
          SLOW_PARTS,
          partsByPid.values().stream().mapToInt(Integer::intValue).sum(),
          () -> "parts completed per worker pid: " + partsByPid);
    }
  }

  /**
   * The submitter holding a transfer is killed. Its state table goes with it, and nothing in a
   * remote fleet watches its processes; the downloader, hearing nothing more of the transfer, asks
   * about it again (after 5 s), and the next submitter answers that it was lost and removes the
   * temporary file the dead one made. Before, the future never completed.
   */
  @Test
  void submitterKilledMidTransfer_theNextSubmitterAnswersLost_andServesAfterwards()
      throws Exception {
    try (FaultProxy proxy = FaultProxy.start(s3.endpoint())) {
      proxy.inject(
          RequestKey.get("/" + BUCKET + "/slow.bin"),
          Integer.MAX_VALUE,
          Fault.throttle(128 * 1024));
      String[] slowParts = {
        "--multipart-threshold",
        String.valueOf(SLOW_CHUNK),
        "--multipart-chunksize",
        String.valueOf(SLOW_CHUNK)
      };
      Started first = fleet.startSubmitter(s3.endpoint(), slowParts);
      fleet.startWorker(proxy.endpoint());
      ProcessPoolDownloader downloader = fleet.downloader();
      Path target = downloads.resolve("slow.bin");
      TransferFuture lost = checks.track(downloader.downloadFile(BUCKET, "slow.bin", target));
      assertTrue(
          proxy.awaitActiveBodies(2, Duration.ofSeconds(30)),
          "the worker's two threads never started downloading");
      Path temp = TempPaths.tempPath(target, lost.meta().transferId());
      assertTrue(Files.exists(temp), "the first submitter made " + temp);

      first.process().destroyForcibly();
      assertTrue(first.process().waitFor(30, SECONDS), "the killed submitter still runs");
      awaitNoSubmitter();
      assertFalse(lost.done(), "nothing could have ended the transfer yet");
      fleet.startSubmitter(s3.endpoint(), slowParts);

      ExecutionException failure =
          assertThrows(ExecutionException.class, () -> lost.completion().get(60, SECONDS));
      String message = failure.getCause().getMessage();
      assertTrue(
          message.contains(
              "transfer "
                  + lost.meta().transferId()
                  + " was lost: the s3pool submitter has no record of it"),
          message);
      assertFalse(Files.exists(temp), "the dead submitter's temporary file is removed");
      assertFalse(Files.exists(target), "the target is untouched");

      Path after = downloads.resolve("multi.bin");
      downloadMultiPart(downloader, after);
    }
  }

  @Test
  void brokerRestart_persistentQueueSurvivesAndProcessesReconnect() throws Exception {
    Started submitter = fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    Started worker = fleet.startWorker(s3.endpoint());

    ProcessPoolDownloader downloader = fleet.downloader();
    Path beforeRestart = downloads.resolve("before-restart.bin");
    downloadMultiPart(downloader, beforeRestart);

    // 1. Everyone is connected when the broker restarts; everyone reconnects by themselves.
    fleet.restartBroker();
    Path afterRestart = downloads.resolve("after-restart.bin");
    downloadMultiPart(downloader, afterRestart);
    assertTrue(submitter.process().isAlive(), () -> submitter.tail());
    assertTrue(worker.process().isAlive(), () -> worker.tail());

    // 2. A request queued while no submitter runs survives a restart and is served later.
    assertTrue(StandaloneFleet.stop(submitter), "the submitter did not stop");
    awaitNoSubmitter();
    Path queued = downloads.resolve("queued.bin");
    TransferFuture waiting = checks.track(downloader.downloadFile(BUCKET, "multi.bin", queued));
    StandaloneFleet.await(
        StandaloneFleet.WAIT,
        () -> "the request queued on " + Destinations.DOWNLOAD_REQUESTS,
        () -> fleet.messages(Destinations.DOWNLOAD_REQUESTS) == 1);

    fleet.restartBroker();

    assertEquals(
        1,
        fleet.messages(Destinations.DOWNLOAD_REQUESTS),
        "the queued request after the broker restart");
    assertFalse(waiting.done(), "served with no submitter running?");
    // The downloader hears of its transfers on a topic subscription; wait until it has
    // re-subscribed, or the outcome could be published before anyone listens.
    StandaloneFleet.await(
        StandaloneFleet.WAIT,
        () -> "the downloader subscribed again to " + Destinations.MONITOR,
        () -> fleet.subscriptions(Destinations.MONITOR) >= 1);
    fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    waiting.completion().get(60, SECONDS);
    TestFiles.assertSameContent(multiPart, queued);
  }

  /**
   * The downloader hears of its transfers only through a non-durable subscription to the monitor
   * topic. Across a broker restart that subscription is gone until the downloader reconnects, so an
   * outcome published before then reaches nobody, and nothing ever completes the future.
   */
  @Test
  void brokerRestart_downloaderBackAfterTheOutcome_futureStillCompletes() throws Exception {
    Started submitter = fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    fleet.startWorker(s3.endpoint());
    relay = TcpRelay.start(fleet.broker().port());
    // Only the downloader goes through the relay, so that it alone can be kept from the broker.
    ProcessPoolDownloader downloader =
        fleet.track(
            ProcessPoolDownloader.builder()
                .brokerUrl(
                    "tcp://127.0.0.1:" + relay.port(), StandaloneFleet.USER, fleet.password())
                .build());
    assertTrue(StandaloneFleet.stop(submitter), "the submitter did not stop");
    awaitNoSubmitter();
    Path target = downloads.resolve("while-away.bin");
    TransferFuture future = checks.track(downloader.downloadFile(BUCKET, "multi.bin", target));
    StandaloneFleet.await(
        StandaloneFleet.WAIT,
        () -> "the request queued on " + Destinations.DOWNLOAD_REQUESTS,
        () -> fleet.messages(Destinations.DOWNLOAD_REQUESTS) == 1);

    // The broker restarts while the downloader cannot reach it, and the transfer ends then.
    relay.cutOff();
    fleet.restartBroker();
    fleet.startSubmitter(s3.endpoint(), ONE_MIB_PARTS);
    StandaloneFleet.await(
        StandaloneFleet.WAIT,
        () -> "the transfer done without the downloader: " + target,
        () -> Files.exists(target) && fleet.messages(Destinations.DOWNLOAD_REQUESTS) == 0);
    TestFiles.assertSameContent(multiPart, target);

    relay.restore();
    StandaloneFleet.await(
        StandaloneFleet.WAIT,
        () -> "the downloader subscribed again to " + Destinations.MONITOR,
        () -> fleet.subscriptions(Destinations.MONITOR) >= 1);
    assertTrue(
        completesWithin(future, Duration.ofSeconds(30)),
        "the transfer succeeded while the downloader was away, but its future is still not done"
            + " 30 s after the downloader re-subscribed");
    future.result();
  }

  /** Downloads the 6-part object with {@code downloader} and checks every byte. */
  private void downloadMultiPart(ProcessPoolDownloader downloader, Path target) throws Exception {
    checks
        .track(downloader.downloadFile(BUCKET, "multi.bin", target))
        .completion()
        .get(60, SECONDS);
    TestFiles.assertSameContent(multiPart, target);
  }

  /** Waits until the broker has dropped the stopped or killed submitter's consumers. */
  /**
   * Starts downloads of {@code <keyPrefix>0.bin} … {@code <keyPrefix>(count-1).bin} through a new
   * downloader of the fleet, into {@code <namePrefix>i.bin} in the downloads directory.
   */
  private List<TransferFuture> downloadEach(String keyPrefix, int count, String namePrefix) {
    ProcessPoolDownloader downloader = fleet.downloader();
    List<TransferFuture> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(
          checks.track(
              downloader.downloadFile(
                  BUCKET, keyPrefix + i + ".bin", downloads.resolve(namePrefix + i + ".bin"))));
    }
    return futures;
  }

  private void awaitNoSubmitter() {
    StandaloneFleet.await(
        StandaloneFleet.WAIT,
        () -> "the submitter gone from " + Destinations.DOWNLOAD_REQUESTS,
        () -> fleet.consumers(Destinations.DOWNLOAD_REQUESTS) == 0);
  }

  private static boolean completesWithin(TransferFuture future, Duration timeout)
      throws InterruptedException {
    try {
      future.completion().handle((ok, e) -> null).get(timeout.toMillis(), MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return future.done();
    }
  }

  /** The pid in a worker name {@code worker-<pid>-<thread>}. */
  private static long pidOf(String worker) {
    String[] parts = worker.split("-", -1);
    assertEquals(3, parts.length, () -> "worker name " + worker);
    assertEquals("worker", parts[0], () -> "worker name " + worker);
    return Long.parseLong(parts[1]);
  }
}
