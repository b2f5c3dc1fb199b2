package dev.s3pool.spi;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Everything a spawned submitter or worker JVM needs, handed over on its standard input so that
 * secrets (AWS keys, broker password) never appear on a command line. The text is a
 * java.util.Properties block closed by the line {@value #END_MARKER}; after it the parent keeps the
 * pipe open for the child's whole life, writes {@value #BROKER_READY_LINE} once its broker listens,
 * and writes {@value #STOP_LINE} before closing it to ask the child to stop.
 *
 * @param brokerUrl Artemis core URL, e.g. {@code tcp://127.0.0.1:61616}
 * @param brokerUser broker user, or null
 * @param brokerPassword broker password, or null
 * @param threads concurrent jobs in this JVM
 * @param clientConfig S3 client settings
 * @param transferConfig split sizes
 * @param downloadRoot the only directory tree a submitter writes to, or null for anywhere (the
 *     embedded default, where only the Java API can reach the broker)
 */
public record ChildSettings(
    String brokerUrl,
    String brokerUser,
    String brokerPassword,
    int threads,
    S3ClientConfig clientConfig,
    ProcessTransferConfig transferConfig,
    String downloadRoot) {

  /** Closes the settings block on a child's standard input. */
  public static final String END_MARKER = "#s3pool-settings-end";

  /**
   * What a parent writes before it closes a child's standard input to ask it to stop. A pipe that
   * closes without it means the parent died.
   */
  public static final String STOP_LINE = "stop";

  /**
   * What a parent writes once the broker in {@link #brokerUrl} listens. Its children boot while it
   * starts, and connect when they read this line rather than by polling the port.
   */
  public static final String BROKER_READY_LINE = "broker-ready";

  public ChildSettings {
    Objects.requireNonNull(brokerUrl, "brokerUrl");
    Objects.requireNonNull(clientConfig, "clientConfig");
    Objects.requireNonNull(transferConfig, "transferConfig");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be > 0: " + threads);
    }
  }

  /** The block to write to a child's standard input, end marker included. */
  public String encode() {
    Properties p = new Properties();
    p.setProperty("broker.url", brokerUrl);
    putIfSet(p, "broker.user", brokerUser);
    putIfSet(p, "broker.password", brokerPassword);
    p.setProperty("threads", Integer.toString(threads));
    clientConfig.region().ifPresent(r -> p.setProperty("s3.region", r));
    clientConfig.endpointOverride().ifPresent(e -> p.setProperty("s3.endpoint", e.toString()));
    p.setProperty("s3.pathStyle", Boolean.toString(clientConfig.forcePathStyle()));
    clientConfig
        .credentials()
        .ifPresent(
            c -> {
              p.setProperty("s3.accessKeyId", c.accessKeyId());
              p.setProperty("s3.secretAccessKey", c.secretAccessKey());
              putIfSet(p, "s3.sessionToken", c.sessionToken());
            });
    p.setProperty("s3.connectTimeout", clientConfig.connectTimeout().toString());
    p.setProperty("s3.readTimeout", clientConfig.readTimeout().toString());
    p.setProperty(
        "transfer.multipartThreshold", Long.toString(transferConfig.multipartThreshold()));
    p.setProperty(
        "transfer.multipartChunksize", Long.toString(transferConfig.multipartChunksize()));
    p.setProperty(
        "transfer.maxRequestProcesses", Integer.toString(transferConfig.maxRequestProcesses()));
    putIfSet(p, "submitter.downloadRoot", downloadRoot);
    StringWriter out = new StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + END_MARKER + "\n";
  }

  /**
   * Reads a block written by {@link #encode()}, up to and including the end marker.
   *
   * @throws IOException when the stream ends before the marker
   */
  public static ChildSettings read(BufferedReader in) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line = in.readLine(); ; line = in.readLine()) {
      if (line == null) {
        throw new IOException("standard input ended before " + END_MARKER);
      }
      if (line.equals(END_MARKER)) {
        break;
      }
      text.append(line).append('\n');
    }
    Properties p = new Properties();
    p.load(new StringReader(text.toString()));
    return decode(p);
  }

  static ChildSettings decode(Properties p) {
    S3ClientConfig.Builder client =
        S3ClientConfig.builder()
            .region(p.getProperty("s3.region"))
            .forcePathStyle(Boolean.parseBoolean(p.getProperty("s3.pathStyle")))
            .connectTimeout(Duration.parse(p.getProperty("s3.connectTimeout")))
            .readTimeout(Duration.parse(p.getProperty("s3.readTimeout")));
    String endpoint = p.getProperty("s3.endpoint");
    if (endpoint != null) {
      client.endpointOverride(URI.create(endpoint));
    }
    String accessKeyId = p.getProperty("s3.accessKeyId");
    if (accessKeyId != null) {
      client.credentials(
          new S3ClientConfig.Credentials(
              accessKeyId, p.getProperty("s3.secretAccessKey"), p.getProperty("s3.sessionToken")));
    }
    ProcessTransferConfig transfer =
        ProcessTransferConfig.builder()
            .multipartThreshold(Long.parseLong(p.getProperty("transfer.multipartThreshold")))
            .multipartChunksize(Long.parseLong(p.getProperty("transfer.multipartChunksize")))
            .maxRequestProcesses(Integer.parseInt(p.getProperty("transfer.maxRequestProcesses")))
            .build();
    return new ChildSettings(
        p.getProperty("broker.url"),
        p.getProperty("broker.user"),
        p.getProperty("broker.password"),
        Integer.parseInt(p.getProperty("threads")),
        client.build(),
        transfer,
        p.getProperty("submitter.downloadRoot"));
  }

  private static void putIfSet(Properties p, String name, String value) {
    if (value != null) {
      p.setProperty(name, value);
    }
  }

  @Override
  public String toString() {
    return "ChildSettings[brokerUrl="
        + brokerUrl
        + ", brokerUser="
        + brokerUser
        + ", threads="
        + threads
        + ", "
        + clientConfig
        + ", "
        + transferConfig
        + ", downloadRoot="
        + downloadRoot
        + "]";
  }
}
