package dev.s3pool.worker;

import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.SizeLearned;
import dev.s3pool.wire.WireCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link SizeLearned} to the coordinator at once, outside the job transactions, which would
 * hold it until the part is written. The worker's threads share one non-transacted session
 * (sessions are single-threaded, hence the lock), opened at the first message and again after a
 * failure. A message that cannot be sent is logged and dropped: the part's result tells the size as
 * well, only later.
 */
final class SizeAnnouncer implements GetObjectWorker.SizeListener {

  private static final Logger log = LoggerFactory.getLogger(SizeAnnouncer.class);

  private final Connection connection;
  private Session session;
  private MessageProducer producer;

  SizeAnnouncer(Connection connection) {
    this.connection = connection;
  }

  @Override
  public synchronized void sizeLearned(SizeLearned learned) {
    try {
      if (session == null) {
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue(Destinations.JOB_RESULTS));
      }
      // Persistent, so the send returns once the broker has it.
      producer.send(WireCodec.encode(session, learned));
    } catch (JMSException | RuntimeException e) {
      log.warn(
          "transferId={} cannot tell the size early ({}); the first part's result will",
          learned.transferId(),
          e.toString());
      closeSession();
    }
  }

  private void closeSession() {
    Session broken = session;
    session = null;
    producer = null;
    try {
      if (broken != null) {
        broken.close();
      }
    } catch (JMSException e) {
      log.debug("closing a broken session: {}", e.toString());
    }
  }
}
