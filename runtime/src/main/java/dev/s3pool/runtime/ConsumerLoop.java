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
 * handled (or after several already at hand, see {@link #ConsumerLoop(Connection, String,
 * HandlerFactory, int)}), so that a message is acknowledged only together with what its handler
 * sent. If the handler throws, or the JVM dies before the commit, the broker delivers the message
 * again.
 */
public final class ConsumerLoop implements Runnable {

  /** Handles one message; runs on the loop's thread and sends through the loop's session. */
  public interface Handler {
    void handle(Message message) throws Exception;

    /**
     * The transaction of the messages just handled is being rolled back: what the handler sent is
     * gone, and the messages will be delivered again (once this returns). A handler that keeps
     * state of its own undoes here what it changed for them.
     */
    default void rolledBack() {}

    /** The messages handled since the last commit are about to be committed: send what is held. */
    default void beforeCommit() throws JMSException {}

    /** The messages handled since the last commit, and what the handler sent, are committed. */
    default void committed() {}
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
  private final int maxPerTransaction;
  private volatile boolean running = true;

  public ConsumerLoop(Connection connection, String queue, HandlerFactory handlers) {
    this(connection, queue, handlers, 1);
  }

  /**
   * A loop that, having handled a message, also handles those already at hand, up to {@code
   * maxPerTransaction} in all, and commits them together. After a handler fails, the messages
   * rolled back are handled one per transaction again, so that one bad message cannot fail the
   * others.
   */
  public ConsumerLoop(
      Connection connection, String queue, HandlerFactory handlers, int maxPerTransaction) {
    if (maxPerTransaction < 1) {
      throw new IllegalArgumentException("maxPerTransaction must be > 0: " + maxPerTransaction);
    }
    this.connection = connection;
    this.queue = queue;
    this.handlers = handlers;
    this.maxPerTransaction = maxPerTransaction;
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
      int alone = 0; // messages to handle one per transaction, after a failure
      while (running) {
        Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
        if (message == null) {
          continue;
        }
        int limit = alone > 0 ? 1 : maxPerTransaction;
        int handled = 0;
        try {
          while (true) {
            handler.handle(message);
            if (++handled == limit || (message = consumer.receiveNoWait()) == null) {
              break;
            }
          }
          handler.beforeCommit();
          session.commit();
          handler.committed();
          alone = Math.max(0, alone - 1);
        } catch (JMSException e) {
          handler.rolledBack();
          rollbackQuietly(session);
          throw e;
        } catch (Exception e) {
          log.error(
              "queue={} handling failed; {} delivered again",
              queue,
              handled == 0 ? "the message will be" : "it and " + handled + " others will be",
              e);
          handler.rolledBack();
          rollbackQuietly(session);
          alone = handled + 1;
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
