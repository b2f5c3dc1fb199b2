package dev.s3pool.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.TransferId;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.JobCompleted;
import dev.s3pool.wire.WireCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

class S3PoolBrokerTest {

  private static final int JOBS = 100_000;
  private static final int BATCH = 1_000;
  private static final long LIMIT = 256 * 1024;

  @Test
  void queuedJobs_beyondTheLimit_pageToDiskAndAllArrive() throws Exception {
    try (S3PoolBroker broker =
            S3PoolBroker.start(BrokerOptions.embedded("u", "p").withJobsMaxSizeBytes(LIMIT));
        Connection connection = broker.inVmConnectionFactory().createConnection()) {
      // Sent as the submitter sends them: in transactions, here of 1 000 jobs each.
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer producer =
          session.createProducer(session.createQueue(Destinations.WORKER_JOBS));
      for (int i = 0; i < JOBS; i++) {
        producer.send(WireCodec.encode(session, job(i)));
        if (i % BATCH == BATCH - 1) {
          session.commit();
        }
      }

      PagingStore store =
          broker
              .server()
              .getPagingManager()
              .getPageStore(SimpleString.of(Destinations.WORKER_JOBS));
      assertTrue(store.isPaging(), "the jobs address should page once over its limit");
      assertTrue(
          store.getAddressSize() <= 2 * LIMIT,
          "in-memory size " + store.getAddressSize() + " exceeds the limit " + LIMIT);

      MessageConsumer consumer =
          session.createConsumer(session.createQueue(Destinations.WORKER_JOBS));
      connection.start();
      for (int i = 0; i < JOBS; i++) {
        // Workers commit every job; uncommitted deliveries count against the limit too, so a
        // consumer holding more than the limit would stop the broker from reading pages back.
        if (i % 100 == 0) {
          session.commit();
        }
        GetObjectJob received =
            (GetObjectJob) WireCodec.decode(assertNotNull(consumer.receive(10_000), "job " + i));
        assertEquals(i, received.partIndex());
      }
      session.commit();
    }
  }

  @Test
  void jobResults_sameDuplicateId_secondIsDropped() throws Exception {
    try (S3PoolBroker broker = S3PoolBroker.start(BrokerOptions.embedded("u", "p"));
        Connection connection = broker.inVmConnectionFactory().createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer =
          session.createProducer(session.createQueue(Destinations.JOB_RESULTS));
      for (String id : new String[] {"result-of-job-1", "result-of-job-1", "result-of-job-2"}) {
        Message result =
            WireCodec.encode(session, new JobCompleted(new TransferId("t"), 0, 8, null, "w"));
        result.setStringProperty("_AMQ_DUPL_ID", id);
        producer.send(result);
      }
      MessageConsumer consumer =
          session.createConsumer(session.createQueue(Destinations.JOB_RESULTS));
      connection.start();

      assertEquals("result-of-job-1", consumer.receive(10_000).getStringProperty("_AMQ_DUPL_ID"));
      assertEquals("result-of-job-2", consumer.receive(10_000).getStringProperty("_AMQ_DUPL_ID"));
      assertNull(consumer.receiveNoWait(), "the duplicate result was delivered");
    }
  }

  @Test
  void requestRolledBackEveryTime_movesToTheDeadLetterQueueAfterMaxAttempts() throws Exception {
    try (S3PoolBroker broker = S3PoolBroker.start(BrokerOptions.embedded("u", "p"));
        Connection connection = broker.inVmConnectionFactory().createConnection()) {
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      session
          .createProducer(session.createQueue(Destinations.DOWNLOAD_REQUESTS))
          .send(session.createTextMessage("poison"));
      session.commit();
      MessageConsumer requests =
          session.createConsumer(session.createQueue(Destinations.DOWNLOAD_REQUESTS));
      MessageConsumer deadLetters =
          session.createConsumer(session.createQueue(Destinations.DEAD_LETTER));
      connection.start();

      for (int attempt = 1; attempt <= S3PoolBroker.MAX_DELIVERY_ATTEMPTS; attempt++) {
        Message delivered = requests.receive(10_000);
        assertNotNull(delivered, "delivery " + attempt);
        assertEquals(attempt, delivered.getIntProperty("JMSXDeliveryCount"));
        session.rollback(); // a consumer that fails on it every time
      }

      Message dead = deadLetters.receive(10_000);
      assertNotNull(dead, "the poison message in " + Destinations.DEAD_LETTER);
      assertEquals("poison", ((jakarta.jms.TextMessage) dead).getText());
      assertNull(requests.receiveNoWait(), "delivered again after the last attempt");
      session.commit();
    }
  }

  @Test
  void connect_wrongPassword_refused() {
    try (S3PoolBroker broker = S3PoolBroker.start(BrokerOptions.embedded("u", "secret"))) {
      ActiveMQConnectionFactory factory =
          new ActiveMQConnectionFactory(broker.tcpUrl(), "u", "wrong");
      assertThrows(JMSSecurityException.class, () -> factory.createConnection().close());
    }
  }

  @Test
  void options_nonLoopbackWithoutCredentials_refused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BrokerOptions("0.0.0.0", 61616, null, null, null, 1 << 20));
    assertTrue(e.getMessage().contains("0.0.0.0"), e.getMessage());
  }

  private static GetObjectJob job(int i) {
    return new GetObjectJob(
        new TransferId("t-paging"),
        "bucket",
        "key",
        "/tmp/x.part",
        "/tmp/x",
        i,
        JOBS,
        (long) i * 8,
        8,
        JOBS * 8L,
        "bytes=" + (i * 8) + "-" + (i * 8 + 7),
        null,
        Map.of());
  }

  private static <T> T assertNotNull(T value, String what) {
    org.junit.jupiter.api.Assertions.assertNotNull(value, what + " did not arrive");
    return value;
  }
}
