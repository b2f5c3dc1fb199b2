package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's transaction around each message, against a scripted session. */
class ConsumerLoopTest {

  private final List<String> events = new ArrayList<>();
  private final Message message = proxy(Message.class, method -> null);

  @Test
  void commitFails_rollsBackAndTellsTheHandler() {
    ConsumerLoop loop = loop(new JMSException("connection lost"), null);

    loop.run();

    // The loop then opens a new session (after a pause), as after a lost connection.
    assertEquals(List.of("handle", "commit", "rollback", "rolledBack", "close", "close"), events);
  }

  @Test
  void handlerThrows_rollsBackAndTellsTheHandler() {
    ConsumerLoop loop = loop(null, new IllegalStateException("bad message"));

    loop.run();

    assertEquals(List.of("handle", "rollback", "rolledBack", "close"), events);
  }

  /**
   * A loop over {@link #connection} whose handler records its calls and throws {@code
   * handlerFailure} if not null; it stops once the message is handled and the queue is empty.
   */
  private ConsumerLoop loop(JMSException commitFailure, RuntimeException handlerFailure) {
    ConsumerLoop[] loop = new ConsumerLoop[1];
    loop[0] =
        new ConsumerLoop(
            connection(commitFailure, () -> loop[0].stop()),
            "queue",
            session ->
                new ConsumerLoop.Handler() {
                  @Override
                  public void handle(Message m) {
                    events.add("handle");
                    if (handlerFailure != null) {
                      throw handlerFailure;
                    }
                  }

                  @Override
                  public void rolledBack() {
                    events.add("rolledBack");
                  }
                });
    return loop[0];
  }

  /**
   * A connection whose sessions hand out {@link #message} once; the next receive runs {@code
   * onIdle} (which stops the loop) and returns nothing.
   */
  private Connection connection(JMSException commitFailure, Runnable onIdle) {
    boolean[] delivered = new boolean[1];
    MessageConsumer consumer =
        proxy(
            MessageConsumer.class,
            method -> {
              if (method.equals("receive")) {
                if (delivered[0]) {
                  onIdle.run();
                  return null;
                }
                delivered[0] = true;
                return message;
              }
              return null;
            });
    Session session =
        proxy(
            Session.class,
            method -> {
              switch (method) {
                case "createConsumer":
                  return consumer;
                case "commit":
                  events.add("commit");
                  if (commitFailure != null) {
                    throw commitFailure;
                  }
                  return null;
                case "rollback":
                case "close":
                  events.add(method);
                  return null;
                default:
                  return null;
              }
            });
    return proxy(Connection.class, method -> method.equals("createSession") ? session : null);
  }

  private interface Answer {
    Object answer(String method) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(
        Proxy.newProxyInstance(
            ConsumerLoopTest.class.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> answer.answer(method.getName())));
  }
}
