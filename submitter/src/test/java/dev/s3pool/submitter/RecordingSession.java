package dev.s3pool.submitter;

import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQTopic;

/** Records what an {@link Outbox} on its {@link #session()} sends, decoded again. */
final class RecordingSession {

  /** Every message sent, in order, decoded; a batch gives all it holds. */
  final List<WireMessage> sent = new ArrayList<>();

  /** How many messages each JMS message sent held: 1, or a batch's count. */
  final List<Integer> messageSizes = new ArrayList<>();

  /**
   * A session that makes Artemis's own messages and destinations, and whose producer decodes what
   * it is given to send into {@link #sent}.
   */
  Session session() {
    MessageProducer producer =
        proxy(
            MessageProducer.class,
            (method, args) -> {
              if (method.equals("send") && args.length == 2 && args[1] instanceof Message m) {
                List<WireMessage> decoded = WireCodec.decodeAll(m);
                sent.addAll(decoded);
                messageSizes.add(decoded.size());
                return null;
              }
              throw new UnsupportedOperationException(method);
            });
    return proxy(
        Session.class,
        (method, args) ->
            switch (method) {
              case "createMapMessage" -> mapMessage();
              case "createProducer" -> producer;
              case "createQueue" -> new ActiveMQQueue((String) args[0]);
              case "createTopic" -> new ActiveMQTopic((String) args[0]);
              default -> throw new UnsupportedOperationException(method);
            });
  }

  /**
   * A MapMessage held in two maps, properties and body: enough for {@link WireCodec} both ways,
   * which keeps each value's type.
   */
  private static MapMessage mapMessage() {
    Map<String, Object> properties = new HashMap<>();
    Map<String, Object> body = new HashMap<>();
    return proxy(
        MapMessage.class,
        (method, args) -> {
          boolean property = method.endsWith("Property");
          Map<String, Object> map = property ? properties : body;
          if (method.startsWith("set") && args.length == 2) {
            map.put((String) args[0], args[1]);
            return null;
          }
          if (method.startsWith("get") && args != null && args.length == 1) {
            return map.get((String) args[0]);
          }
          return switch (method) {
            case "getJMSReplyTo", "getJMSCorrelationID" -> null;
            case "getJMSMessageID" -> "ID:recorded";
            case "propertyExists" -> properties.containsKey((String) args[0]);
            case "itemExists" -> body.containsKey((String) args[0]);
            case "getMapNames" -> Collections.enumeration(body.keySet());
            default -> throw new UnsupportedOperationException(method);
          };
        });
  }

  private interface Answer {
    Object answer(String method, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(
        Proxy.newProxyInstance(
            RecordingSession.class.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> answer.answer(method.getName(), args)));
  }
}
