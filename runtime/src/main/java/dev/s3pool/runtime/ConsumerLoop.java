package dev.s3pool.runtime;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that takes messages from one queue in a transacted session and commits after each one is
 * handled, so that a message is acknowledged only together with what its handler sent. If the
 * handler throws, or the JVM dies before the commit, the broker delivers the message again.
 */
public final class ConsumerLoop implements Runnable {

  /** Handles one message; runs on the loop's thread and sends through the loop's session. */
  public interface Handler {
    void handle(Message message) throws Exception;

    /**
     * The transaction of the message just handled was rolled back: what the handler sent is gone,
     * and the message will be delivered again. A handler that keeps state of its own undoes here
     * what it changed for that message.
     */
    default void rolledBack() {}
  }

  /** Makes the handler once the loop's session exists. */
  public interface HandlerFactory {
    Handler create(Session session) throws JMSException;
  }

  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final long RECEIVE_TIMEOUT_MILLIS = 250;
  private static final long RECONNECT_PAUSE_MILLIS = 1_000;

  private final Connection connection;
  private final String queue;
  private final HandlerFactory handlers;
  private volatile boolean running = true;

  public ConsumerLoop(Connection connection, String queue, HandlerFactory handlers) {
    this.connection = connection;
    this.queue = queue;
    this.handlers = handlers;
  }

  /** Starts the loop on a new non-daemon thread. */
  public Thread start(String threadName) {
    Thread thread = new Thread(this, threadName);
    thread.start();
    return thread;
  }

  /** Asks the loop to finish the message in hand and stop. */
  public void stop() {
    running = false;
  }

  @Override
  public void run() {
    while (running) {
      try {
        consume();
      } catch (JMSException e) {
        if (!running) {
          return;
        }
        // The connection reconnects by itself (broker restart, failover); a session it could
        // not carry over is opened anew. Uncommitted messages go back to their queue.
        log.warn("queue={} session lost ({}); opening a new one", queue, e.toString());
        pause(RECONNECT_PAUSE_MILLIS);
      }
    }
  }

  private void consume() throws JMSException {
    try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
      Handler handler = handlers.create(session);
      while (running) {
        Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
        if (message == null) {
          continue;
        }
        try {
          handler.handle(message);
          session.commit();
        } catch (JMSException e) {
          rollbackQuietly(session);
          handler.rolledBack();
          throw e;
        } catch (Exception e) {
          log.error("queue={} handling failed; the message will be delivered again", queue, e);
          rollbackQuietly(session);
          handler.rolledBack();
        }
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void rollbackQuietly(Session session) {
    try {
      session.rollback();
    } catch (JMSException e) {
      log.warn("rollback failed: {}", e.toString());
    }
  }
}
