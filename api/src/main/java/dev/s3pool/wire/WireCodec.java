package dev.s3pool.wire;

import dev.s3pool.TransferId;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@link WireMessage}s to JMS MapMessages and back. Every message carries the properties
 * {@value #VERSION_PROPERTY} (int, {@value #VERSION}), {@value #TYPE_PROPERTY} (the record's simple
 * name) and {@value #TRANSFER_ID_PROPERTY}; the body holds the record's fields under their own
 * names, extra arguments as {@code extraArgs.<Name>} entries and errors as {@code error.<field>}
 * entries. README's "Wire contract" section lists every field.
 */
public final class WireCodec {

  /** Version of this contract; receivers refuse other versions. */
  public static final int VERSION = 1;

  public static final String VERSION_PROPERTY = "s3poolVersion";
  public static final String TYPE_PROPERTY = "s3poolType";
  public static final String TRANSFER_ID_PROPERTY = "transferId";

  /** Property on monitor messages naming the downloader that asked, for message selectors. */
  public static final String CLIENT_ID_PROPERTY = "clientId";

  /** Type of a message holding several ({@link #encodeAll}); never a {@link WireMessage} itself. */
  public static final String BATCH_TYPE = "Batch";

  /** The most messages one {@value #BATCH_TYPE} may hold. */
  public static final int MAX_BATCH = 1_000;

  private static final String EXTRA_PREFIX = "extraArgs.";
  private static final String ERROR_PREFIX = "error.";

  private WireCodec() {}

  /** Encodes {@code message} as a MapMessage of {@code session}. */
  public static MapMessage encode(Session session, WireMessage message) throws JMSException {
    MapMessage m = session.createMapMessage();
    m.setIntProperty(VERSION_PROPERTY, VERSION);
    m.setStringProperty(TYPE_PROPERTY, message.getClass().getSimpleName());
    m.setStringProperty(TRANSFER_ID_PROPERTY, message.transferId().value());
    putFields(m, "", message);
    return m;
  }

  /**
   * Encodes several messages as one: a single message as {@link #encode} does it, more as a {@value
   * #BATCH_TYPE} whose body holds {@code count} and each message's fields prefixed with its index
   * ({@code 0.transferId}, {@code 0.s3poolType}, ...). {@link #decodeAll} reads both. The submitter
   * sends small jobs this way and workers their results: fewer messages per object.
   */
  public static MapMessage encodeAll(Session session, List<? extends WireMessage> messages)
      throws JMSException {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("nothing to encode");
    }
    if (messages.size() == 1) {
      return encode(session, messages.get(0));
    }
    MapMessage m = session.createMapMessage();
    m.setIntProperty(VERSION_PROPERTY, VERSION);
    m.setStringProperty(TYPE_PROPERTY, BATCH_TYPE);
    m.setStringProperty(TRANSFER_ID_PROPERTY, messages.get(0).transferId().value());
    m.setInt("count", messages.size());
    for (int i = 0; i < messages.size(); i++) {
      WireMessage message = messages.get(i);
      m.setString(i + "." + TYPE_PROPERTY, message.getClass().getSimpleName());
      putFields(m, i + ".", message);
    }
    return m;
  }

  private static void putFields(MapMessage m, String prefix, WireMessage message)
      throws JMSException {
    m.setString(prefix + "transferId", message.transferId().value());
    if (message instanceof DownloadFileRequest r) {
      m.setString(prefix + "bucket", r.bucket());
      m.setString(prefix + "key", r.key());
      m.setString(prefix + "filename", r.filename());
      if (r.expectedSize() != null) {
        m.setLong(prefix + "expectedSize", r.expectedSize());
      }
      if (r.clientId() != null) {
        m.setString(prefix + "clientId", r.clientId());
      }
      putExtraArgs(m, prefix, r.extraArgs());
    } else if (message instanceof GetObjectJob j) {
      m.setString(prefix + "bucket", j.bucket());
      m.setString(prefix + "key", j.key());
      m.setString(prefix + "tempPath", j.tempPath());
      m.setString(prefix + "finalPath", j.finalPath());
      m.setInt(prefix + "partIndex", j.partIndex());
      m.setInt(prefix + "partCount", j.partCount());
      m.setLong(prefix + "offset", j.offset());
      m.setLong(prefix + "length", j.length());
      m.setLong(prefix + "objectSize", j.objectSize());
      if (j.range() != null) {
        m.setString(prefix + "range", j.range());
      }
      if (j.etag() != null) {
        m.setString(prefix + "etag", j.etag());
      }
      putExtraArgs(m, prefix, j.extraArgs());
    } else if (message instanceof JobCompleted c) {
      m.setInt(prefix + "partIndex", c.partIndex());
      m.setLong(prefix + "bytes", c.bytes());
      if (c.objectSize() >= 0) {
        m.setLong(prefix + "objectSize", c.objectSize());
      }
      if (c.etag() != null) {
        m.setString(prefix + "etag", c.etag());
      }
      m.setString(prefix + "worker", c.worker());
    } else if (message instanceof SizeLearned l) {
      m.setLong(prefix + "objectSize", l.objectSize());
      m.setLong(prefix + "firstPartBytes", l.firstPartBytes());
      if (l.etag() != null) {
        m.setString(prefix + "etag", l.etag());
      }
      m.setString(prefix + "worker", l.worker());
    } else if (message instanceof JobFailed f) {
      m.setInt(prefix + "partIndex", f.partIndex());
      m.setString(prefix + "worker", f.worker());
      putError(m, prefix, f.error());
    } else if (message instanceof QueryTransfer q) {
      m.setString(prefix + "clientId", q.clientId());
      if (q.filename() != null) {
        m.setString(prefix + "filename", q.filename());
      }
    } else if (message instanceof TransferUpdate u) {
      m.setString(prefix + "status", u.status().name());
      m.setLong(prefix + "totalBytes", u.totalBytes());
      m.setLong(prefix + "bytesDone", u.bytesDone());
      m.setInt(prefix + "partsExpected", u.partsExpected());
      m.setInt(prefix + "partsDone", u.partsDone());
      if (u.error() != null) {
        putError(m, prefix, u.error());
      }
    }
    // CancelTransfer carries nothing but its id.
  }

  /**
   * Decodes a received message.
   *
   * @throws MalformedMessageException naming what is missing or wrong
   */
  public static WireMessage decode(Message message) {
    try {
      MapMessage m = checked(message);
      String type = m.getStringProperty(TYPE_PROPERTY);
      if (type.equals(BATCH_TYPE)) {
        throw new MalformedMessageException(
            "a " + BATCH_TYPE + " holds several messages; read it with decodeAll");
      }
      return fields(m, "", type, transferId(m));
    } catch (JMSException | RuntimeException e) {
      throw malformed(e);
    }
  }

  /**
   * Decodes a received message that may hold several ({@link #encodeAll}): its messages in order,
   * or the one it is.
   *
   * @throws MalformedMessageException naming what is missing or wrong
   */
  public static List<WireMessage> decodeAll(Message message) {
    try {
      MapMessage m = checked(message);
      String type = m.getStringProperty(TYPE_PROPERTY);
      if (!type.equals(BATCH_TYPE)) {
        return List.of(fields(m, "", type, transferId(m)));
      }
      long count = longValue(m, "count");
      if (count < 1 || count > MAX_BATCH) {
        throw new MalformedMessageException(
            "field count must be 1.." + MAX_BATCH + ", got " + count);
      }
      List<WireMessage> messages = new ArrayList<>((int) count);
      for (int i = 0; i < count; i++) {
        String prefix = i + ".";
        messages.add(
            fields(
                m,
                prefix,
                string(m, prefix + TYPE_PROPERTY),
                new TransferId(string(m, prefix + "transferId"))));
      }
      return messages;
    } catch (JMSException | RuntimeException e) {
      throw malformed(e);
    }
  }

  private static MalformedMessageException malformed(Exception e) {
    return e instanceof MalformedMessageException me
        ? me
        : new MalformedMessageException("unreadable s3pool message: " + e, e);
  }

  /** {@code message} as a MapMessage of this contract's version with a type. */
  private static MapMessage checked(Message message) throws JMSException {
    if (!(message instanceof MapMessage m)) {
      throw new MalformedMessageException(
          "s3pool messages are MapMessages, got "
              + (message == null ? "null" : message.getClass().getSimpleName()));
    }
    if (!m.propertyExists(VERSION_PROPERTY)) {
      throw new MalformedMessageException("missing property " + VERSION_PROPERTY);
    }
    String version = m.getObjectProperty(VERSION_PROPERTY).toString();
    if (!version.equals(String.valueOf(VERSION))) {
      throw new MalformedMessageException(
          "unsupported " + VERSION_PROPERTY + " " + version + ", this side speaks " + VERSION);
    }
    if (m.getStringProperty(TYPE_PROPERTY) == null) {
      throw new MalformedMessageException("missing property " + TYPE_PROPERTY);
    }
    return m;
  }

  /** The message of type {@code type} whose fields are those named {@code prefix + field}. */
  private static WireMessage fields(MapMessage m, String prefix, String type, TransferId id)
      throws JMSException {
    return switch (type) {
      case "DownloadFileRequest" ->
          new DownloadFileRequest(
              id,
              string(m, prefix + "bucket"),
              string(m, prefix + "key"),
              string(m, prefix + "filename"),
              extraArgs(m, prefix),
              optionalLong(m, prefix + "expectedSize"),
              optionalString(m, prefix + "clientId"));
      case "CancelTransfer" -> new CancelTransfer(id);
      case "QueryTransfer" ->
          new QueryTransfer(
              id, string(m, prefix + "clientId"), optionalString(m, prefix + "filename"));
      case "GetObjectJob" ->
          new GetObjectJob(
              id,
              string(m, prefix + "bucket"),
              string(m, prefix + "key"),
              string(m, prefix + "tempPath"),
              string(m, prefix + "finalPath"),
              integer(m, prefix + "partIndex"),
              integer(m, prefix + "partCount"),
              longValue(m, prefix + "offset"),
              longValue(m, prefix + "length"),
              longValue(m, prefix + "objectSize"),
              optionalString(m, prefix + "range"),
              optionalString(m, prefix + "etag"),
              extraArgs(m, prefix));
      case "JobCompleted" ->
          new JobCompleted(
              id,
              integer(m, prefix + "partIndex"),
              longValue(m, prefix + "bytes"),
              m.itemExists(prefix + "objectSize") ? longValue(m, prefix + "objectSize") : -1,
              optionalString(m, prefix + "etag"),
              m.getString(prefix + "worker"));
      case "SizeLearned" ->
          new SizeLearned(
              id,
              longValue(m, prefix + "objectSize"),
              longValue(m, prefix + "firstPartBytes"),
              optionalString(m, prefix + "etag"),
              m.getString(prefix + "worker"));
      case "JobFailed" ->
          new JobFailed(
              id,
              integer(m, prefix + "partIndex"),
              error(m, prefix),
              m.getString(prefix + "worker"));
      case "TransferUpdate" ->
          new TransferUpdate(
              id,
              status(m, prefix),
              longValue(m, prefix + "totalBytes"),
              longValue(m, prefix + "bytesDone"),
              integer(m, prefix + "partsExpected"),
              integer(m, prefix + "partsDone"),
              m.itemExists(prefix + ERROR_PREFIX + "kind") ? error(m, prefix) : null);
      default ->
          throw new MalformedMessageException("unknown " + TYPE_PROPERTY + " '" + type + "'");
    };
  }

  private static TransferId transferId(MapMessage m) throws JMSException {
    String id = m.getStringProperty(TRANSFER_ID_PROPERTY);
    if (id == null && m.itemExists("transferId")) {
      id = m.getString("transferId");
    }
    if (id == null || id.isBlank()) {
      throw new MalformedMessageException("missing transferId");
    }
    return new TransferId(id);
  }

  private static void putExtraArgs(MapMessage m, String prefix, Map<String, String> extraArgs)
      throws JMSException {
    for (Map.Entry<String, String> e : extraArgs.entrySet()) {
      m.setString(prefix + EXTRA_PREFIX + e.getKey(), e.getValue());
    }
  }

  private static Map<String, String> extraArgs(MapMessage m, String prefix) throws JMSException {
    Map<String, String> args = new HashMap<>();
    String extra = prefix + EXTRA_PREFIX;
    for (String name : names(m)) {
      if (name.startsWith(extra)) {
        String value = m.getString(name);
        if (value == null) {
          throw new MalformedMessageException("field " + name + " is null");
        }
        args.put(name.substring(extra.length()), value);
      }
    }
    return args;
  }

  private static Iterable<String> names(MapMessage m) throws JMSException {
    @SuppressWarnings("unchecked")
    Enumeration<String> names = (Enumeration<String>) m.getMapNames();
    return Collections.list(names);
  }

  private static void putError(MapMessage m, String prefix, TransferError e) throws JMSException {
    m.setString(prefix + ERROR_PREFIX + "kind", e.kind().name());
    m.setInt(prefix + ERROR_PREFIX + "statusCode", e.statusCode());
    m.setString(prefix + ERROR_PREFIX + "message", e.message());
    if (e.errorCode() != null) {
      m.setString(prefix + ERROR_PREFIX + "errorCode", e.errorCode());
    }
    if (e.operation() != null) {
      m.setString(prefix + ERROR_PREFIX + "operation", e.operation());
    }
    if (e.causeType() != null) {
      m.setString(prefix + ERROR_PREFIX + "causeType", e.causeType());
    }
    if (e.causeMessage() != null) {
      m.setString(prefix + ERROR_PREFIX + "causeMessage", e.causeMessage());
    }
  }

  private static TransferError error(MapMessage m, String prefix) throws JMSException {
    String kind = string(m, prefix + ERROR_PREFIX + "kind");
    ErrorKind errorKind;
    try {
      errorKind = ErrorKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("unknown " + ERROR_PREFIX + "kind '" + kind + "'");
    }
    return new TransferError(
        errorKind,
        m.itemExists(prefix + ERROR_PREFIX + "statusCode")
            ? m.getInt(prefix + ERROR_PREFIX + "statusCode")
            : 0,
        m.getString(prefix + ERROR_PREFIX + "errorCode"),
        m.getString(prefix + ERROR_PREFIX + "operation"),
        string(m, prefix + ERROR_PREFIX + "message"),
        m.getString(prefix + ERROR_PREFIX + "causeType"),
        m.getString(prefix + ERROR_PREFIX + "causeMessage"));
  }

  private static TransferStatus status(MapMessage m, String prefix) throws JMSException {
    String status = string(m, prefix + "status");
    try {
      return TransferStatus.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("unknown status '" + status + "'");
    }
  }

  private static String string(MapMessage m, String name) throws JMSException {
    if (!m.itemExists(name)) {
      throw new MalformedMessageException("missing field " + name);
    }
    Object value = m.getObject(name);
    if (!(value instanceof String s)) {
      throw new MalformedMessageException(
          "field " + name + " must be a string, got " + describe(value));
    }
    return s;
  }

  private static String optionalString(MapMessage m, String name) throws JMSException {
    return m.itemExists(name) ? m.getString(name) : null;
  }

  private static long longValue(MapMessage m, String name) throws JMSException {
    if (!m.itemExists(name)) {
      throw new MalformedMessageException("missing field " + name);
    }
    return number(m, name);
  }

  private static Long optionalLong(MapMessage m, String name) throws JMSException {
    return m.itemExists(name) ? number(m, name) : null;
  }

  private static long number(MapMessage m, String name) throws JMSException {
    Object value = m.getObject(name);
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new MalformedMessageException("field " + name + " is not a number: '" + s + "'");
      }
    }
    throw new MalformedMessageException(
        "field " + name + " must be a whole number, got " + describe(value));
  }

  private static int integer(MapMessage m, String name) throws JMSException {
    long value = longValue(m, name);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new MalformedMessageException("field " + name + " out of int range: " + value);
    }
    return (int) value;
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
  }
}
