package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.broker.EmbeddedFleet;
import dev.s3pool.cli.LocalS3Server;
import dev.s3pool.spi.FleetSettings;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's wire contract, exercised by a producer that builds its messages by hand with the JMS
 * API only: the s3pool fleet is started, but nothing of s3pool encodes or decodes here.
 */
class PlainJmsProducerIT {

  private static final String BUCKET = "plain-jms";

  @TempDir static Path serverDir;
  @TempDir Path downloads;

  private static LocalS3Server server;
  private static EmbeddedFleet fleet;
  private static Connection connection;
  private static final byte[] OBJECT = new byte[3 * 1024 * 1024 + 5];

  @BeforeAll
  static void start() throws Exception {
    new Random(11).nextBytes(OBJECT);
    server = LocalS3Server.start(serverDir);
    server.createBucket(BUCKET);
    server.putObject(BUCKET, "dir/object.bin", OBJECT);
    ProcessTransferConfig config =
        ProcessTransferConfig.builder()
            .multipartThreshold(1 << 20)
            .multipartChunksize(1 << 20)
            .maxRequestProcesses(2)
            .build();
    fleet = EmbeddedFleet.start(new FleetSettings(server.clientConfig(), config, 1, List.of()));
    connection = fleet.connectionFactory().createConnection();
    connection.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (connection != null) {
      connection.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void request_withReplyTo_repliesSucceededWithTheCorrelationId() throws Exception {
    Path target = downloads.resolve("object.bin");
    try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      TemporaryQueue replies = session.createTemporaryQueue();
      send(session, "dir/object.bin", target, replies, "order-42");

      MapMessage reply = receive(session, replies);

      assertEquals("order-42", reply.getJMSCorrelationID());
      assertEquals("TransferUpdate", reply.getStringProperty("s3poolType"));
      assertEquals(1, reply.getIntProperty("s3poolVersion"));
      assertEquals("SUCCEEDED", reply.getString("status"));
      assertEquals(OBJECT.length, reply.getLong("totalBytes"));
      assertEquals(4, reply.getInt("partsExpected"));
      assertArrayEquals(OBJECT, Files.readAllBytes(target));
      try (var files = Files.list(downloads)) {
        assertEquals(List.of(target), files.toList());
      }
    }
  }

  @Test
  void request_missingKey_repliesFailedWith404() throws Exception {
    Path target = downloads.resolve("missing.bin");
    try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      TemporaryQueue replies = session.createTemporaryQueue();
      send(session, "no/such/key", target, replies, "order-43");

      MapMessage reply = receive(session, replies);

      assertEquals("order-43", reply.getJMSCorrelationID());
      assertEquals("FAILED", reply.getString("status"));
      assertEquals(404, reply.getInt("error.statusCode"));
      assertEquals("GetObject", reply.getString("error.operation"));
      assertEquals(DownloadContract.MISSING_KEY_MESSAGE, reply.getString("error.message"));
      assertFalse(Files.exists(target));
      try (var files = Files.list(downloads)) {
        assertEquals(0, files.count(), "nothing may be left in the download directory");
      }
    }
  }

  /**
   * A producer that heard nothing of its request asks about it. Here the submitter never saw the
   * transfer (as when the submitter that took the request died): the answer comes to the query's
   * JMSReplyTo, FAILED, and the submitter will not run that request should it still come.
   */
  @Test
  void query_ofATransferTheSubmitterNeverSaw_repliesFailedLost() throws Exception {
    Path target = downloads.resolve("never-sent.bin");
    String transferId = UUID.randomUUID().toString();
    try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      TemporaryQueue replies = session.createTemporaryQueue();
      MapMessage query = session.createMapMessage();
      query.setIntProperty("s3poolVersion", 1);
      query.setStringProperty("s3poolType", "QueryTransfer");
      query.setStringProperty("transferId", transferId);
      query.setString("clientId", "plain-producer");
      query.setString("filename", target.toString());
      query.setJMSReplyTo(replies);
      query.setJMSCorrelationID("order-44");
      session.createProducer(session.createQueue("s3pool.download-requests")).send(query);

      MapMessage reply = receive(session, replies);

      assertEquals("order-44", reply.getJMSCorrelationID());
      assertEquals(transferId, reply.getStringProperty("transferId"));
      assertEquals("FAILED", reply.getString("status"));
      assertEquals("INTERNAL", reply.getString("error.kind"));
      assertEquals(
          "transfer "
              + transferId
              + " was lost: the s3pool submitter has no record of it (the submitter that took its"
              + " request stopped, or the broker lost the request)",
          reply.getString("error.message"));
    }
  }

  private static void send(
      Session session, String key, Path target, TemporaryQueue replies, String correlationId)
      throws Exception {
    MapMessage request = session.createMapMessage();
    request.setIntProperty("s3poolVersion", 1);
    request.setStringProperty("s3poolType", "DownloadFileRequest");
    request.setStringProperty("transferId", UUID.randomUUID().toString());
    request.setString("bucket", BUCKET);
    request.setString("key", key);
    request.setString("filename", target.toString());
    request.setJMSReplyTo(replies);
    request.setJMSCorrelationID(correlationId);
    session.createProducer(session.createQueue("s3pool.download-requests")).send(request);
  }

  private static MapMessage receive(Session session, TemporaryQueue replies) throws Exception {
    try (MessageConsumer consumer = session.createConsumer(replies)) {
      Message reply = consumer.receive(60_000);
      assertNotNull(reply, "no reply within 60 s");
      return assertInstanceOf(MapMessage.class, reply);
    }
  }
}
