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
import java.util.function.Predicate;

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

  /** The options {@code role} takes, as its usage line and {@code s3pool --help} show them. */
  public static String synopsis(String role) {
    return "--broker URL [--threads N] [--endpoint-url URL] [--region R]"
        + " [--read-timeout-seconds S]"
        + (role.equals("submitter")
            ? " [--download-root DIR] [--multipart-threshold BYTES] [--multipart-chunksize BYTES]"
            : "");
  }

  /** What each option of a submitter or worker does, for its usage and {@code s3pool --help}. */
  public static final String OPTIONS_HELP =
      """
        --broker URL                   the fleet's broker, e.g. tcp://10.0.0.5:61616 (required)
        --threads N                    requests handled at once (default: submitter %d, worker %d)
        --endpoint-url URL             an S3-compatible endpoint; turns on path-style addressing
        --region REGION                the region (default: aws.region, AWS_REGION, the profile)
        --read-timeout-seconds S       S3 read timeout (default 60)
        --download-root DIR            submitter: write only below DIR; relative names land there
        --multipart-threshold BYTES    submitter: split objects of this size and larger (default 8MiB)
        --multipart-chunksize BYTES    submitter: bytes per ranged GET (default 8MiB)
      Options may also be written --name=value. Broker credentials come from S3POOL_BROKER_USER
      and S3POOL_BROKER_PASSWORD, AWS credentials from the AWS chain, so that no secret appears
      on a command line.
      """
          .formatted(defaultThreads("submitter"), defaultThreads("worker"));

  /** Usage lines for {@code role}. */
  public static String usage(String role) {
    return "usage: s3pool " + role + " " + synopsis(role) + "\n" + OPTIONS_HELP;
  }

  /**
   * Whether {@code args} ask for the usage text: {@code --help} or {@code -h} where an option's
   * name stands (not as the value of the option before it, such as a password).
   */
  public static boolean wantsHelp(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        return true;
      }
      if (args[i].startsWith("--") && !args[i].contains("=")) {
        i++; // its value
      }
    }
    return false;
  }

  /** Threads of a submitter or worker started without {@code --threads}. */
  public static int defaultThreads(String role) {
    return role.equals("submitter") ? 4 : 10;
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
    Map<String, String> options =
        scan(
            role,
            args,
            name ->
                COMMON.contains(name)
                    || (role.equals("submitter") && SUBMITTER_ONLY.contains(name)));
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
      transfer.multipartThreshold(bytes(options, "--multipart-threshold"));
    }
    if (options.containsKey("--multipart-chunksize")) {
      transfer.multipartChunksize(bytes(options, "--multipart-chunksize"));
    }
    int threads = defaultThreads(role);
    if (options.containsKey("--threads")) {
      long n = number(options, "--threads");
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("--threads is too large: " + n);
      }
      threads = (int) n;
    }
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

  /**
   * The options in {@code args}, each written {@code --name value} or {@code --name=value}; a later
   * one wins over an earlier one of the same name.
   *
   * @throws IllegalArgumentException naming an option {@code known} refuses, or one without a value
   */
  public static Map<String, String> scan(String command, String[] args, Predicate<String> known) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int equals = name.indexOf('=');
      if (name.startsWith("--") && equals > 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (!known.test(name)) {
        throw new IllegalArgumentException("unknown option for " + command + ": " + name);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      options.put(name, value);
    }
    return options;
  }

  private static long bytes(Map<String, String> options, String name) {
    String value = options.get(name);
    long n;
    try {
      n = ByteSizes.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is " + e.getMessage() + ": '" + value + "'", e);
    }
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
    return n;
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
