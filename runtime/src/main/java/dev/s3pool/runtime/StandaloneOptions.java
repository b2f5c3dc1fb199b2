package dev.s3pool.runtime;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.spi.ChildSettings;
import dev.s3pool.spi.FleetSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a submitter or worker started on its own ({@code ./s3pool worker --broker
 * URL}), turned into {@link ChildSettings}. Broker credentials come from the environment
 * (S3POOL_BROKER_USER, S3POOL_BROKER_PASSWORD) and AWS credentials from the AWS chain, so that no
 * secret appears on a command line.
 */
public final class StandaloneOptions {

  public static final String USER_ENV = "S3POOL_BROKER_USER";
  public static final String PASSWORD_ENV = "S3POOL_BROKER_PASSWORD";

  private static final List<String> COMMON =
      List.of("--broker", "--threads", "--endpoint-url", "--region", "--read-timeout-seconds");
  private static final List<String> SUBMITTER_ONLY =
      List.of("--download-root", "--multipart-threshold", "--multipart-chunksize");

  private StandaloneOptions() {}

  /** Usage lines for {@code role}. */
  public static String usage(String role) {
    return "usage: s3pool "
        + role
        + " --broker URL [--threads N] [--endpoint-url URL] [--region R]"
        + " [--read-timeout-seconds S]"
        + (role.equals("submitter")
            ? " [--download-root DIR] [--multipart-threshold BYTES] [--multipart-chunksize BYTES]"
            : "")
        + "\nenvironment: "
        + USER_ENV
        + " and "
        + PASSWORD_ENV
        + " for a broker with credentials; AWS_* for S3 (the AWS default chain)";
  }

  /**
   * The broker at {@code url}, with the credentials in {@code env}: {@value #USER_ENV} and {@value
   * #PASSWORD_ENV} both, or neither for a broker without credentials.
   *
   * @throws IllegalArgumentException when only one of them is set
   */
  public static FleetSettings.RemoteBroker broker(String url, Map<String, String> env) {
    String user = env.get(USER_ENV);
    String password = env.get(PASSWORD_ENV);
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException(
          "set both " + USER_ENV + " and " + PASSWORD_ENV + " for the broker, or neither");
    }
    return new FleetSettings.RemoteBroker(url, user, password);
  }

  /**
   * Parses {@code args} for {@code role} ("submitter" or "worker").
   *
   * @throws IllegalArgumentException naming the bad option or value
   */
  public static ChildSettings parse(String role, String[] args, Map<String, String> env) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      boolean known =
          COMMON.contains(name) || (role.equals("submitter") && SUBMITTER_ONLY.contains(name));
      if (!known) {
        throw new IllegalArgumentException("unknown option for " + role + ": " + name);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      options.put(name, args[++i]);
    }
    String url = options.get("--broker");
    if (url == null) {
      throw new IllegalArgumentException("--broker URL is required, e.g. tcp://127.0.0.1:61616");
    }
    FleetSettings.RemoteBroker broker = broker(url, env);
    S3ClientConfig.Builder client = S3ClientConfig.builder().region(options.get("--region"));
    if (options.containsKey("--endpoint-url")) {
      client.endpointOverride(URI.create(options.get("--endpoint-url"))).forcePathStyle(true);
    }
    if (options.containsKey("--read-timeout-seconds")) {
      client.readTimeout(Duration.ofSeconds(number(options, "--read-timeout-seconds")));
    }
    ProcessTransferConfig.Builder transfer = ProcessTransferConfig.builder();
    if (options.containsKey("--multipart-threshold")) {
      transfer.multipartThreshold(number(options, "--multipart-threshold"));
    }
    if (options.containsKey("--multipart-chunksize")) {
      transfer.multipartChunksize(number(options, "--multipart-chunksize"));
    }
    int defaultThreads = role.equals("submitter") ? 4 : 10;
    int threads =
        options.containsKey("--threads") ? (int) number(options, "--threads") : defaultThreads;
    String root = options.get("--download-root");
    return new ChildSettings(
        broker.url(),
        broker.user(),
        broker.password(),
        threads,
        client.build(),
        transfer.build(),
        root == null ? null : Path.of(root).toAbsolutePath().normalize().toString());
  }

  private static long number(Map<String, String> options, String name) {
    String value = options.get(name);
    try {
      long n = Long.parseLong(value);
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be > 0: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: '" + value + "'", e);
    }
  }
}
