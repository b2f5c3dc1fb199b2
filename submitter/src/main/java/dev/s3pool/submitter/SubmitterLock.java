package dev.s3pool.submitter;

import dev.s3pool.wire.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.ActiveMQQueueMaxConsumerLimitReached;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One submitter per fleet. The coordinator's state lives in its JVM, and job results go to any
 * consumer of their queue, so a second submitter would take results of transfers it does not know.
 * Each submitter holds a consumer on {@link Destinations#SUBMITTER_LOCK}, which s3pool's broker
 * allows once; the consumer goes with the submitter's connection.
 */
final class SubmitterLock {

  /**
   * How long a new submitter waits for the lock: a submitter that just died still holds it until
   * the broker sees its connection close.
   */
  static final Duration WAIT = Duration.ofSeconds(15);

  private static final Duration RETRY = Duration.ofMillis(200);
  private static final Logger log = LoggerFactory.getLogger(SubmitterLock.class);

  private SubmitterLock() {}

  /**
   * Takes the lock on {@code connection} for as long as it stays open.
   *
   * @throws IllegalStateException when another submitter still holds it after {@code wait}
   */
  static void take(Connection connection, Duration wait) throws JMSException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean logged = false;
    while (true) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      try {
        var unused = session.createConsumer(session.createQueue(Destinations.SUBMITTER_LOCK));
        return;
      } catch (JMSException e) {
        session.close();
        if (!heldByAnother(e)) {
          throw e;
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException(
            "another submitter is connected to this broker (queue "
                + Destinations.SUBMITTER_LOCK
                + " has its one consumer); a fleet runs one submitter");
      }
      if (!logged) {
        log.warn("another submitter holds {}; waiting up to {}", Destinations.SUBMITTER_LOCK, wait);
        logged = true;
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the submitter lock", e);
      }
    }
  }

  private static boolean heldByAnother(JMSException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ActiveMQQueueMaxConsumerLimitReached) {
        return true;
      }
    }
    return e.getLinkedException() instanceof ActiveMQQueueMaxConsumerLimitReached;
  }
}
