package dev.s3pool.wire;

import dev.s3pool.TransferId;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
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

  private static final String EXTRA_PREFIX = "extraArgs.";
  private static final String ERROR_PREFIX = "error.";

  private WireCodec() {}

  /** Encodes {@code message} as a MapMessage of {@code session}. */
  public static MapMessage encode(Session session, WireMessage message) throws JMSException {
    MapMessage m = session.createMapMessage();
    m.setIntProperty(VERSION_PROPERTY, VERSION);
    m.setStringProperty(TYPE_PROPERTY, message.getClass().getSimpleName());
    m.setStringProperty(TRANSFER_ID_PROPERTY, message.transferId().value());
    m.setString("transferId", message.transferId().value());
    if (message instanceof DownloadFileRequest r) {
      m.setString("bucket", r.bucket());
      m.setString("key", r.key());
      m.setString("filename", r.filename());
      if (r.expectedSize() != null) {
        m.setLong("expectedSize", r.expectedSize());
      }
      if (r.clientId() != null) {
        m.setString("clientId", r.clientId());
      }
      putExtraArgs(m, r.extraArgs());
    } else if (message instanceof GetObjectJob j) {
      m.setString("bucket", j.bucket());
      m.setString("key", j.key());
      m.setString("tempPath", j.tempPath());
      m.setString("finalPath", j.finalPath());
      m.setInt("partIndex", j.partIndex());
      m.setInt("partCount", j.partCount());
      m.setLong("offset", j.offset());
      m.setLong("length", j.length());
      m.setLong("objectSize", j.objectSize());
      if (j.range() != null) {
        m.setString("range", j.range());
      }
      if (j.etag() != null) {
        m.setString("etag", j.etag());
      }
      putExtraArgs(m, j.extraArgs());
    } else if (message instanceof JobCompleted c) {
      m.setInt("partIndex", c.partIndex());
      m.setLong("bytes", c.bytes());
      if (c.objectSize() >= 0) {
        m.setLong("objectSize", c.objectSize());
      }
      if (c.etag() != null) {
        m.setString("etag", c.etag());
      }
      m.setString("worker", c.worker());
    } else if (message instanceof SizeLearned l) {
      m.setLong("objectSize", l.objectSize());
      m.setLong("firstPartBytes", l.firstPartBytes());
      if (l.etag() != null) {
        m.setString("etag", l.etag());
      }
      m.setString("worker", l.worker());
    } else if (message instanceof JobFailed f) {
      m.setInt("partIndex", f.partIndex());
      m.setString("worker", f.worker());
      putError(m, f.error());
    } else if (message instanceof QueryTransfer q) {
      m.setString("clientId", q.clientId());
      if (q.filename() != null) {
        m.setString("filename", q.filename());
      }
    } else if (message instanceof TransferUpdate u) {
      m.setString("status", u.status().name());
      m.setLong("totalBytes", u.totalBytes());
      m.setLong("bytesDone", u.bytesDone());
      m.setInt("partsExpected", u.partsExpected());
      m.setInt("partsDone", u.partsDone());
      if (u.error() != null) {
        putError(m, u.error());
      }
    }
    // CancelTransfer carries nothing but its id.
    return m;
  }

  /**
   * Decodes a received message.
   *
   * @throws MalformedMessageException naming what is missing or wrong
   */
  public static WireMessage decode(Message message) {
    try {
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
      String type = m.getStringProperty(TYPE_PROPERTY);
      if (type == null) {
        throw new MalformedMessageException("missing property " + TYPE_PROPERTY);
      }
      TransferId id = transferId(m);
      return switch (type) {
        case "DownloadFileRequest" ->
            new DownloadFileRequest(
                id,
                string(m, "bucket"),
                string(m, "key"),
                string(m, "filename"),
                extraArgs(m),
                optionalLong(m, "expectedSize"),
                m.itemExists("clientId") ? m.getString("clientId") : null);
        case "CancelTransfer" -> new CancelTransfer(id);
        case "QueryTransfer" ->
            new QueryTransfer(
                id,
                string(m, "clientId"),
                m.itemExists("filename") ? m.getString("filename") : null);
        case "GetObjectJob" ->
            new GetObjectJob(
                id,
                string(m, "bucket"),
                string(m, "key"),
                string(m, "tempPath"),
                string(m, "finalPath"),
                integer(m, "partIndex"),
                integer(m, "partCount"),
                longValue(m, "offset"),
                longValue(m, "length"),
                longValue(m, "objectSize"),
                m.itemExists("range") ? m.getString("range") : null,
                m.itemExists("etag") ? m.getString("etag") : null,
                extraArgs(m));
        case "JobCompleted" ->
            new JobCompleted(
                id,
                integer(m, "partIndex"),
                longValue(m, "bytes"),
                m.itemExists("objectSize") ? longValue(m, "objectSize") : -1,
                m.itemExists("etag") ? m.getString("etag") : null,
                m.getString("worker"));
        case "SizeLearned" ->
            new SizeLearned(
                id,
                longValue(m, "objectSize"),
                longValue(m, "firstPartBytes"),
                m.itemExists("etag") ? m.getString("etag") : null,
                m.getString("worker"));
        case "JobFailed" ->
            new JobFailed(id, integer(m, "partIndex"), error(m), m.getString("worker"));
        case "TransferUpdate" ->
            new TransferUpdate(
                id,
                status(m),
                longValue(m, "totalBytes"),
                longValue(m, "bytesDone"),
                integer(m, "partsExpected"),
                integer(m, "partsDone"),
                m.itemExists(ERROR_PREFIX + "kind") ? error(m) : null);
        default ->
            throw new MalformedMessageException("unknown " + TYPE_PROPERTY + " '" + type + "'");
      };
    } catch (JMSException | RuntimeException e) {
      if (e instanceof MalformedMessageException me) {
        throw me;
      }
      throw new MalformedMessageException("unreadable s3pool message: " + e, e);
    }
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

  private static void putExtraArgs(MapMessage m, Map<String, String> extraArgs)
      throws JMSException {
    for (Map.Entry<String, String> e : extraArgs.entrySet()) {
      m.setString(EXTRA_PREFIX + e.getKey(), e.getValue());
    }
  }

  private static Map<String, String> extraArgs(MapMessage m) throws JMSException {
    Map<String, String> args = new HashMap<>();
    for (String name : names(m)) {
      if (name.startsWith(EXTRA_PREFIX)) {
        String value = m.getString(name);
        if (value == null) {
          throw new MalformedMessageException("field " + name + " is null");
        }
        args.put(name.substring(EXTRA_PREFIX.length()), value);
      }
    }
    return args;
  }

  private static Iterable<String> names(MapMessage m) throws JMSException {
    @SuppressWarnings("unchecked")
    Enumeration<String> names = (Enumeration<String>) m.getMapNames();
    return Collections.list(names);
  }

  private static void putError(MapMessage m, TransferError e) throws JMSException {
    m.setString(ERROR_PREFIX + "kind", e.kind().name());
    m.setInt(ERROR_PREFIX + "statusCode", e.statusCode());
    m.setString(ERROR_PREFIX + "message", e.message());
    if (e.errorCode() != null) {
      m.setString(ERROR_PREFIX + "errorCode", e.errorCode());
    }
    if (e.operation() != null) {
      m.setString(ERROR_PREFIX + "operation", e.operation());
    }
    if (e.causeType() != null) {
      m.setString(ERROR_PREFIX + "causeType", e.causeType());
    }
    if (e.causeMessage() != null) {
      m.setString(ERROR_PREFIX + "causeMessage", e.causeMessage());
    }
  }

  private static TransferError error(MapMessage m) throws JMSException {
    String kind = string(m, ERROR_PREFIX + "kind");
    ErrorKind errorKind;
    try {
      errorKind = ErrorKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("unknown " + ERROR_PREFIX + "kind '" + kind + "'");
    }
    return new TransferError(
        errorKind,
        m.itemExists(ERROR_PREFIX + "statusCode") ? m.getInt(ERROR_PREFIX + "statusCode") : 0,
        m.getString(ERROR_PREFIX + "errorCode"),
        m.getString(ERROR_PREFIX + "operation"),
        string(m, ERROR_PREFIX + "message"),
        m.getString(ERROR_PREFIX + "causeType"),
        m.getString(ERROR_PREFIX + "causeMessage"));
  }

  private static TransferStatus status(MapMessage m) throws JMSException {
    String status = string(m, "status");
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
