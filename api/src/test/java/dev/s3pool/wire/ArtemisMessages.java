package dev.s3pool.wire;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQMapMessage;

/**
 * Real Artemis MapMessages without a broker: Artemis builds them from a ClientSession's
 * createMessage, which a proxy answers the way Artemis' own ClientSessionImpl does.
 */
final class ArtemisMessages {

  private static final ClientSession CLIENT_SESSION =
      (ClientSession)
          Proxy.newProxyInstance(
              ArtemisMessages.class.getClassLoader(),
              new Class<?>[] {ClientSession.class},
              (proxy, method, args) -> {
                if (method.getName().equals("createMessage") && args.length == 5) {
                  return new ClientMessageImpl(
                      (byte) args[0],
                      (boolean) args[1],
                      (long) args[2],
                      (long) args[3],
                      (byte) args[4],
                      1500,
                      null);
                }
                throw new UnsupportedOperationException(method.getName());
              });

  private ArtemisMessages() {}

  /** A fresh, writable Artemis MapMessage. */
  static MapMessage newMapMessage() {
    return new ActiveMQMapMessage(CLIENT_SESSION) {
      private static final long serialVersionUID = 1L;
    };
  }

  /** A JMS Session whose only working method is createMapMessage. */
  static Session session() {
    return (Session)
        Proxy.newProxyInstance(
            ArtemisMessages.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("createMapMessage")) {
                return newMapMessage();
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  /** A TextMessage stand-in, for "not a MapMessage". */
  static TextMessage textMessage() {
    return (TextMessage)
        Proxy.newProxyInstance(
            ArtemisMessages.class.getClassLoader(),
            new Class<?>[] {TextMessage.class},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            });
  }

  /** A copy of {@code source} whose body item {@code name} is {@code value}, or gone if null. */
  static MapMessage withItem(MapMessage source, String name, Object value) throws JMSException {
    return copy(source, null, null, name, value);
  }

  /** A copy of {@code source} whose property {@code name} is {@code value}, or gone if null. */
  static MapMessage withProperty(MapMessage source, String name, Object value) throws JMSException {
    return copy(source, name, value, null, null);
  }

  private static MapMessage copy(
      MapMessage source, String property, Object propertyValue, String item, Object itemValue)
      throws JMSException {
    MapMessage copy = newMapMessage();
    for (String name : names(source.getPropertyNames())) {
      if (!name.equals(property)) {
        copy.setObjectProperty(name, source.getObjectProperty(name));
      }
    }
    if (property != null && propertyValue != null) {
      copy.setObjectProperty(property, propertyValue);
    }
    for (String name : names(source.getMapNames())) {
      if (!name.equals(item)) {
        copy.setObject(name, source.getObject(name));
      }
    }
    if (item != null && itemValue != null) {
      copy.setObject(item, itemValue);
    }
    return copy;
  }

  private static List<String> names(Enumeration<?> names) {
    List<String> list = new ArrayList<>();
    for (Object name : Collections.list(names)) {
      list.add((String) name);
    }
    return list;
  }
}
