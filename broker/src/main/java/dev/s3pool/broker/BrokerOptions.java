package dev.s3pool.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run an s3pool broker.
 *
 * <pre>{@code
 * BrokerOptions options = BrokerOptions.embedded("s3pool", password);
 * }</pre>
 *
 * @param host the TCP acceptor's address; 127.0.0.1 unless told otherwise
 * @param port the TCP port; 0 picks a free one
 * @param user the only user, or null for no authentication (allowed on loopback only)
 * @param password that user's password
 * @param dataDir journal and paging directory for a persistent broker, or null for an in-memory
 *     broker that pages to a temporary directory
 * @param jobsMaxSizeBytes bytes of queued jobs held in memory before the broker pages them to disk
 */
public record BrokerOptions(
    String host, int port, String user, String password, Path dataDir, long jobsMaxSizeBytes) {

  /** Default memory for queued messages per address before paging. */
  public static final long DEFAULT_MAX_SIZE_BYTES = 16L * 1024 * 1024;

  public BrokerOptions {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535: " + port);
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("user and password go together");
    }
    if (user == null && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "a broker bound to " + host + " must require credentials (--user/--password)");
    }
    if (jobsMaxSizeBytes < 1024) {
      throw new IllegalArgumentException("jobsMaxSizeBytes must be >= 1024: " + jobsMaxSizeBytes);
    }
  }

  /** The embedded default: loopback, free port, in memory, one generated user. */
  public static BrokerOptions embedded(String user, String password) {
    return new BrokerOptions("127.0.0.1", 0, user, password, null, DEFAULT_MAX_SIZE_BYTES);
  }

  /** These options on {@code port} (0: a free one). */
  public BrokerOptions withPort(int port) {
    return new BrokerOptions(host, port, user, password, dataDir, jobsMaxSizeBytes);
  }

  public BrokerOptions withJobsMaxSizeBytes(long bytes) {
    return new BrokerOptions(host, port, user, password, dataDir, bytes);
  }

  static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }
}
