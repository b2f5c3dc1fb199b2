package dev.s3pool.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.TransferId;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.WireCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

class S3PoolBrokerTest {

  private static final int JOBS = 20_000;
  private static final long LIMIT = 256 * 1024;

  @Test
  void queuedJobs_beyondTheLimit_pageToDiskAndAllArrive() throws Exception {
    try (S3PoolBroker broker =
            S3PoolBroker.start(BrokerOptions.embedded("u", "p").withJobsMaxSizeBytes(LIMIT));
        Connection connection = broker.inVmConnectionFactory().createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer =
          session.createProducer(session.createQueue(Destinations.WORKER_JOBS));
      for (int i = 0; i < JOBS; i++) {
        producer.send(WireCodec.encode(session, job(i)));
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
        GetObjectJob received =
            (GetObjectJob) WireCodec.decode(assertNotNull(consumer.receive(10_000), "job " + i));
        assertEquals(i, received.partIndex());
      }
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
