package dev.s3pool.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.TransferFuture;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.it.StandaloneFleet.Spied;
import dev.s3pool.it.StandaloneFleet.Started;
import dev.s3pool.wire.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone fleet's security: the broker refuses clients without the right credentials, a
 * submitter with {@code --download-root} writes only below it, malformed requests are answered (or
 * dead-lettered) without stopping the submitter, and no secret appears on a process's command line
 * or in any s3pool message. One broker, submitter and worker serve every test of the class.
 */
class SecurityIT {

  private static final String BUCKET = "security";
  private static final String KEY = "object.bin";
  private static final int MIB = 1024 * 1024;
  private static final Duration REPLY_WAIT = Duration.ofSeconds(60);

  @RegisterExtension static final TransferChecks checks = new TransferChecks();

  @TempDir static Path classDir;

  private static LocalS3Server s3;
  private static Path source;
  private static StandaloneFleet fleet;
  private static Started submitter;
  private static Started worker;

  /** The submitter's download root. */
  private static Path root;

  /** A directory beside the root, that the submitter must never write to. */
  private static Path outside;

  @BeforeAll
  static void start() throws Exception {
    s3 =
        LocalS3Server.start(
            classDir.resolve("s3"), "security-access-key", "security-secret-" + UUID.randomUUID());
    s3.createBucket(BUCKET);
    source = TestFiles.writeRandom(classDir.resolve("sources/object.bin"), 3L * MIB + 5, 41);
    s3.putObject(BUCKET, KEY, source);
    root = Files.createDirectories(classDir.resolve("root"));
    Files.createDirectories(root.resolve("sub"));
    outside = Files.createDirectories(classDir.resolve("outside"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    fleet = StandaloneFleet.start(classDir.resolve("fleet"), s3);
    submitter =
        fleet.startSubmitter(
            s3.endpoint(),
            "--download-root",
            root.toString(),
            "--multipart-threshold",
            String.valueOf(MIB),
            "--multipart-chunksize",
            String.valueOf(MIB));
    worker = fleet.startWorker(s3.endpoint());
  }

  @BeforeEach
  void watchRoot() {
    checks.watch(root);
  }

  @AfterEach
  void closeDownloaders() {
    fleet.closeDownloaders();
  }

  @AfterAll
  static void stop() {
    try {
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  @Test
  void unauthenticatedClient_refused() throws Exception {
    try (ActiveMQConnectionFactory anonymous = new ActiveMQConnectionFactory(fleet.url())) {
      assertThrows(JMSSecurityException.class, () -> anonymous.createConnection().close());
    }
    try (ActiveMQConnectionFactory wrongPassword =
        new ActiveMQConnectionFactory(fleet.url(), StandaloneFleet.USER, "not-the-password")) {
      assertThrows(JMSSecurityException.class, () -> wrongPassword.createConnection().close());
    }
    ProcessPoolDownloader intruder =
        fleet.track(
            ProcessPoolDownloader.builder()
                .brokerUrl(fleet.url(), StandaloneFleet.USER, "not-the-password")
                .build());
    TransferFuture future =
        checks.track(intruder.downloadFile(BUCKET, KEY, root.resolve("refused.bin")));
    ExecutionException refused =
        assertThrows(ExecutionException.class, () -> future.completion().get(60, SECONDS));
    assertTrue(
        causes(refused).stream().anyMatch(JMSSecurityException.class::isInstance),
        () -> "the downloader's error should come from the broker's refusal: " + causes(refused));
    assertFalse(Files.exists(root.resolve("refused.bin")));
    // The same URL with the right credentials connects: the refusals were about credentials.
    try (ActiveMQConnectionFactory rightPassword = fleet.connectionFactory();
        Connection connection = rightPassword.createConnection()) {
      connection.start();
    }
  }

  @Test
  void downloadRoot_relativeFilenameLandsBelowIt_escapesRefused() throws Exception {
    try (Connection connection = fleet.connectionFactory().createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer requests =
          session.createProducer(session.createQueue(Destinations.DOWNLOAD_REQUESTS));
      TemporaryQueue replies = session.createTemporaryQueue();
      MessageConsumer consumer = session.createConsumer(replies);

      requests.send(request(session, "sub/file.bin", replies, "relative"));
      MapMessage landed = receive(consumer, "relative");
      assertEquals("SUCCEEDED", landed.getString("status"), () -> describe(landed));
      TestFiles.assertSameContent(source, root.resolve("sub/file.bin"));

      List<Executable> refusals = new ArrayList<>();
      String[][] escapes = {
        {"absolute", outside.resolve("absolute.bin").toString()},
        {"dot-dot", "../escape.bin"},
        {"symlink", "link/through-link.bin"},
      };
      for (String[] escape : escapes) {
        requests.send(request(session, escape[1], replies, escape[0]));
        MapMessage refused = receive(consumer, escape[0]);
        refusals.add(
            () -> {
              assertEquals("FAILED", refused.getString("status"), () -> describe(refused));
              assertEquals(
                  "INVALID_REQUEST", refused.getString("error.kind"), () -> describe(refused));
              String message = refused.getString("error.message");
              assertTrue(
                  message != null && message.contains(root.toString()),
                  () -> escape[1] + ": the refusal should name the download root: " + message);
            });
      }
      assertAll("requests for files outside " + root, refusals);
    }
    TestFiles.assertHoldsExactly(outside, Set.of());
    assertFalse(Files.exists(root.resolveSibling("escape.bin")), "../escape.bin was written");
  }

  @Test
  void malformedRequests_answeredOrDeadLettered_submitterKeepsServing() throws Exception {
    try (Connection connection = fleet.connectionFactory().createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer requests =
          session.createProducer(session.createQueue(Destinations.DOWNLOAD_REQUESTS));
      TemporaryQueue replies = session.createTemporaryQueue();
      MessageConsumer consumer = session.createConsumer(replies);

      requests.send(request(session, null, "sub/no-bucket.bin", replies, "no-bucket"));
      MapMessage missing = receive(consumer, "no-bucket");
      assertInvalid(missing, "bucket");

      MapMessage version2 = request(session, "sub/version-2.bin", replies, "version-2");
      version2.setIntProperty("s3poolVersion", 2);
      requests.send(version2);
      assertInvalid(receive(consumer, "version-2"), "s3poolVersion");

      String marker = UUID.randomUUID().toString();
      TextMessage garbage = session.createTextMessage("garbage");
      garbage.setStringProperty("testMarker", marker);
      requests.send(garbage);
      try (MessageConsumer deadLetters =
          session.createConsumer(
              session.createQueue(Destinations.DEAD_LETTER), "testMarker = '" + marker + "'")) {
        Message dead = deadLetters.receive(REPLY_WAIT.toMillis());
        assertNotNull(dead, "the garbage request never reached " + Destinations.DEAD_LETTER);
        assertEquals("garbage", assertInstanceOf(TextMessage.class, dead).getText());
      }

      requests.send(request(session, "sub/after-malformed.bin", replies, "valid"));
      MapMessage valid = receive(consumer, "valid");
      assertEquals("SUCCEEDED", valid.getString("status"), () -> describe(valid));
      TestFiles.assertSameContent(source, root.resolve("sub/after-malformed.bin"));
      assertTrue(submitter.process().isAlive(), submitter::tail);
    }
    for (String refused : List.of("no-bucket.bin", "version-2.bin")) {
      assertFalse(Files.exists(root.resolve("sub").resolve(refused)), refused + " was written");
    }
  }

  @Test
  void credentials_neverOnCommandLinesNorInMessages() throws Exception {
    for (Started process : List.of(submitter, worker)) {
      String commandLine =
          new String(
                  Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")),
                  StandardCharsets.UTF_8)
              .replace('\0', ' ');
      assertTrue(
          commandLine.contains("--broker " + fleet.url()),
          () -> "not the " + process.role() + "'s command line: " + commandLine);
      assertFalse(commandLine.contains(s3.secretKey()), process.role() + " has the AWS secret key");
      assertFalse(
          commandLine.contains(fleet.password()), process.role() + " has the broker password");
    }

    String spy = fleet.spyOnEveryAddress();
    Path target = root.resolve("sub/credentials.bin");
    // The downloader is even given the keys; with a remote fleet they must stay in this JVM.
    ProcessPoolDownloader downloader =
        fleet.track(
            ProcessPoolDownloader.builder()
                .brokerUrl(fleet.url(), StandaloneFleet.USER, fleet.password())
                .clientConfig(s3.clientConfig())
                .build());
    checks.track(downloader.downloadFile(BUCKET, KEY, target)).completion().get(60, SECONDS);
    TestFiles.assertSameContent(source, target);

    List<Spied> messages = fleet.drain(spy);
    Set<String> types = new TreeSet<>();
    messages.forEach(m -> types.add(m.property("s3poolType")));
    assertEquals(
        Set.of(
            "DownloadFileRequest", "GetObjectJob", "SizeLearned", "JobCompleted", "TransferUpdate"),
        types,
        "message types the spy saw on the s3pool addresses");
    for (Spied m : messages) {
      String all = m.toString();
      assertFalse(all.contains(s3.secretKey()), () -> "AWS secret key in " + all);
      assertFalse(all.contains(fleet.password()), () -> "broker password in " + all);
    }
  }

  /** A DownloadFileRequest built by hand, as any JMS client would, replying to {@code replies}. */
  private static MapMessage request(
      Session session, String filename, TemporaryQueue replies, String correlationId)
      throws Exception {
    return request(session, BUCKET, filename, replies, correlationId);
  }

  /** {@link #request(Session, String, TemporaryQueue, String)} without a bucket when null. */
  private static MapMessage request(
      Session session, String bucket, String filename, TemporaryQueue replies, String correlationId)
      throws Exception {
    MapMessage request = session.createMapMessage();
    request.setIntProperty("s3poolVersion", 1);
    request.setStringProperty("s3poolType", "DownloadFileRequest");
    request.setStringProperty("transferId", UUID.randomUUID().toString());
    if (bucket != null) {
      request.setString("bucket", bucket);
    }
    request.setString("key", KEY);
    request.setString("filename", filename);
    request.setJMSReplyTo(replies);
    request.setJMSCorrelationID(correlationId);
    return request;
  }

  /** The next reply, which must carry {@code correlationId}. */
  private static MapMessage receive(MessageConsumer consumer, String correlationId)
      throws Exception {
    Message reply = consumer.receive(REPLY_WAIT.toMillis());
    assertNotNull(reply, "no reply to " + correlationId + " within " + REPLY_WAIT);
    MapMessage map = assertInstanceOf(MapMessage.class, reply);
    assertEquals(correlationId, map.getJMSCorrelationID(), () -> describe(map));
    assertEquals("TransferUpdate", map.getStringProperty("s3poolType"), () -> describe(map));
    return map;
  }

  private static void assertInvalid(MapMessage reply, String naming) throws Exception {
    assertEquals("FAILED", reply.getString("status"), () -> describe(reply));
    assertEquals("INVALID_REQUEST", reply.getString("error.kind"), () -> describe(reply));
    String message = reply.getString("error.message");
    assertTrue(
        message != null && message.contains(naming),
        () -> "the refusal should name " + naming + ": " + message);
  }

  private static String describe(MapMessage m) {
    try {
      List<String> fields = new ArrayList<>();
      for (Object name : Collections.list((Enumeration<?>) m.getMapNames())) {
        fields.add(name + "=" + m.getObject(name.toString()));
      }
      return "reply " + m.getJMSCorrelationID() + " " + fields;
    } catch (Exception e) {
      return "unreadable reply: " + e;
    }
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }
}
