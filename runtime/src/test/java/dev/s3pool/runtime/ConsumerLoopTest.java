package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The loop's transactions, against a scripted queue: messages handled and not committed go back to
 * its front on a rollback, as a broker delivers them again.
 */
class ConsumerLoopTest {

  private final List<String> events = new ArrayList<>();

  @Test
  void commitFails_tellsTheHandlerAndRollsBack_andTheMessageComesAgain() {
    ConsumerLoop loop = loop(1, List.of("a"), Set.of(), new JMSException("connection lost"));

    loop.run();

    // The loop then opens a new session (after a pause), as after a lost connection.
    List<String> expected =
        new ArrayList<>(
            List.of("handle a", "beforeCommit", "commit", "rolledBack", "rollback", "close"));
    expected.addAll(committed("a"));
    expected.add("close");
    assertEquals(expected, events);
  }

  @Test
  void handlerThrows_tellsTheHandlerAndRollsBack() {
    ConsumerLoop loop = loop(1, List.of("a"), Set.of("a"), null);

    loop.run();

    assertEquals(
        List.of(
            "handle a", "rolledBack", "rollback", "handle a", "rolledBack", "rollback", "close"),
        events);
  }

  @Test
  void messagesAtHand_areCommittedTogether_upToTheLimit() {
    ConsumerLoop loop = loop(3, List.of("a", "b", "c", "d", "e"), Set.of(), null);

    loop.run();

    List<String> expected = new ArrayList<>(committed("a", "b", "c"));
    expected.addAll(committed("d", "e"));
    expected.add("close");
    assertEquals(expected, events);
  }

  @Test
  void aFailingMessage_rollsBackTheOthers_whichThenGoOnePerTransaction() {
    ConsumerLoop loop = loop(3, List.of("a", "b", "c"), Set.of("b"), null);

    loop.run();

    assertEquals(
        List.of(
            "handle a",
            "handle b",
            "rolledBack",
            "rollback",
            // delivered again, each in a transaction of its own: a commits without b
            "handle a",
            "beforeCommit",
            "commit",
            "committed",
            "handle b",
            "rolledBack",
            "rollback"),
        events.subList(0, 11));
  }

  @Test
  void maxPerTransactionBelowOne_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ConsumerLoop(connection(List.of(), null, () -> {}), "q", s -> null, 0));
    assertEquals("maxPerTransaction must be > 0: 0", e.getMessage());
  }

  /** The events of a transaction that handles {@code messages} and commits. */
  private static List<String> committed(String... messages) {
    List<String> events = new ArrayList<>();
    for (String m : messages) {
      events.add("handle " + m);
    }
    events.addAll(List.of("beforeCommit", "commit", "committed"));
    return events;
  }

  /**
   * A loop taking at most {@code max} messages per transaction from a queue holding {@code queued};
   * its handler records its calls and throws for the messages in {@code failing}. It stops once the
   * queue is empty, or when a failing message has come a second time.
   */
  private ConsumerLoop loop(
      int max, List<String> queued, Set<String> failing, JMSException commitFailure) {
    ConsumerLoop[] loop = new ConsumerLoop[1];
    List<String> failed = new ArrayList<>();
    loop[0] =
        new ConsumerLoop(
            connection(queued, commitFailure, () -> loop[0].stop()),
            "queue",
            session ->
                new ConsumerLoop.Handler() {
                  @Override
                  public void handle(Message m) throws JMSException {
                    String name = m.getJMSMessageID();
                    events.add("handle " + name);
                    if (failing.contains(name)) {
                      if (failed.contains(name)) {
                        loop[0].stop();
                      }
                      failed.add(name);
                      throw new IllegalStateException("bad message " + name);
                    }
                  }

                  @Override
                  public void beforeCommit() {
                    events.add("beforeCommit");
                  }

                  @Override
                  public void committed() {
                    events.add("committed");
                  }

                  @Override
                  public void rolledBack() {
                    events.add("rolledBack");
                  }
                },
            max);
    return loop[0];
  }

  /**
   * A connection whose sessions hand out the messages of one queue; a receive on the empty queue
   * runs {@code onIdle} (which stops the loop) and returns nothing. The first commit throws {@code
   * commitFailure}, if not null.
   */
  private Connection connection(List<String> queued, JMSException commitFailure, Runnable onIdle) {
    Deque<String> queue = new ArrayDeque<>(queued);
    Deque<String> uncommitted = new ArrayDeque<>();
    boolean[] commitFailed = new boolean[1];
    MessageConsumer consumer =
        proxy(
            MessageConsumer.class,
            method -> {
              if (method.equals("receive") || method.equals("receiveNoWait")) {
                if (queue.isEmpty()) {
                  if (method.equals("receive")) {
                    onIdle.run();
                  }
                  return null;
                }
                String name = queue.poll();
                uncommitted.add(name);
                return message(name);
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
                  if (commitFailure != null && !commitFailed[0]) {
                    commitFailed[0] = true;
                    throw commitFailure;
                  }
                  uncommitted.clear();
                  return null;
                case "rollback":
                  events.add("rollback");
                  while (!uncommitted.isEmpty()) {
                    queue.addFirst(uncommitted.pollLast());
                  }
                  return null;
                case "close":
                  events.add(method);
                  return null;
                default:
                  return null;
              }
            });
    return proxy(Connection.class, method -> method.equals("createSession") ? session : null);
  }

  private static Message message(String name) {
    return proxy(Message.class, method -> method.equals("getJMSMessageID") ? name : null);
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
