package dev.s3pool.broker;

import dev.s3pool.runtime.StandaloneOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code s3pool broker}: a standalone broker with s3pool's destinations and address settings, for a
 * fleet of separately started submitters and workers. Runs until SIGTERM or Ctrl-C.
 *
 * <pre>
 * s3pool broker [--bind HOST:PORT] [--user U] [--password P] [--data-dir DIR]
 * </pre>
 *
 * <p>Binds 127.0.0.1:61616 by default. Any other address requires a user and password; the password
 * may come from S3POOL_BROKER_PASSWORD instead of the command line. With {@code --data-dir} the
 * broker is persistent: queued requests and jobs survive a restart.
 */
public final class BrokerMain {

  static final String USAGE =
      "usage: s3pool broker [--bind HOST:PORT] [--user U] [--password P] [--data-dir DIR]\n"
          + "environment: S3POOL_BROKER_USER, S3POOL_BROKER_PASSWORD (instead of --user,"
          + " --password)";

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (StandaloneOptions.wantsHelp(args)) {
      System.out.println(USAGE);
      return;
    }
    BrokerOptions options;
    try {
      options = parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("s3pool broker: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    S3PoolBroker broker = S3PoolBroker.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                },
                "s3pool-broker-stop"));
    System.out.println(
        "s3pool broker listening on "
            + broker.tcpUrl()
            + (options.dataDir() == null ? "" : ", journal in " + options.dataDir()));
    System.out.flush();
    stopped.await();
  }

  static BrokerOptions parse(String[] args, Map<String, String> env) {
    String host = "127.0.0.1";
    int port = 61616;
    String user = env.get("S3POOL_BROKER_USER");
    String password = env.get("S3POOL_BROKER_PASSWORD");
    Path dataDir = null;
    Map<String, String> options =
        StandaloneOptions.scan(
            "broker", args, Set.of("--bind", "--user", "--password", "--data-dir")::contains);
    String bind = options.get("--bind");
    if (bind != null) {
      int colon = bind.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--bind takes HOST:PORT: '" + bind + "'");
      }
      host = bind.substring(0, colon).replace("[", "").replace("]", "");
      try {
        port = Integer.parseInt(bind.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--bind port is not a number: '" + bind + "'", e);
      }
    }
    user = options.getOrDefault("--user", user);
    password = options.getOrDefault("--password", password);
    if (options.containsKey("--data-dir")) {
      dataDir = Path.of(options.get("--data-dir")).toAbsolutePath();
    }
    return new BrokerOptions(
        host, port, user, password, dataDir, BrokerOptions.DEFAULT_MAX_SIZE_BYTES);
  }
}
