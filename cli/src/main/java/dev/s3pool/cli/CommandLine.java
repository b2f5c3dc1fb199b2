package dev.s3pool.cli;

import static dev.s3pool.ProcessTransferConfig.MiB;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.runtime.ByteSizes;
import dev.s3pool.runtime.StandaloneOptions;
import dev.s3pool.spi.FleetSettings;
import dev.s3pool.wire.ExtraArgs;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses s3pool's arguments: a command word, then its options and positional arguments in any
 * order. Options take their value as the next argument or after "=" ({@code --region=eu-west-1}).
 */
final class CommandLine {

  static final String USAGE =
      """
      usage: s3pool <command> [arguments]

      commands:
        cp s3://BUCKET/KEY DEST [options]      download one object; DEST may be a directory
        cp s3://BUCKET/PREFIX DIR --recursive  download every object under PREFIX into DIR
        demo [--sizes LIST]                    upload generated objects to a local S3 server,
                                               download them through the process pool, check
                                               their SHA-256 and print the throughput
        broker [--bind HOST:PORT] [--user U] [--password P] [--data-dir DIR]
                                               a standalone broker for a fleet
        submitter --broker URL [options]       a submitter process of a fleet
        worker --broker URL [options]          a worker process of a fleet
        help                                   print this text (also --help)

      cp options:
        --endpoint-url URL             an S3-compatible endpoint; turns on path-style addressing
        --region REGION                the region (default: aws.region, AWS_REGION, the profile)
        --version-id ID                download this version of the object
        --expected-size BYTES          the object's size, known beforehand: all parts at once
        --multipart-threshold BYTES    split objects of this size and larger (default 8MiB)
        --multipart-chunksize BYTES    bytes per ranged GET (default 8MiB)
        --max-request-processes N      ranged GETs at once (default 10)
        --recursive                    copy every object whose key starts with PREFIX/
        --broker URL                   download through a running fleet (its broker's URL)
                                       instead of starting one; broker credentials from
                                       S3POOL_BROKER_USER and S3POOL_BROKER_PASSWORD

      demo options:
        --sizes LIST                   comma-separated object sizes
                                       (default 0,1KiB,1MiB,8MiB,8MiB+1,64MiB,256MiB)

      BYTES is a number of bytes, optionally with a KiB, MiB or GiB suffix, or a sum: 8MiB+1.
      Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
      AWS_PROFILE, ...). Exit status: 0 success, 1 failure, 2 bad command line.

      submitter and worker options:
      """
          + StandaloneOptions.OPTIONS_HELP;

  static final List<Long> DEFAULT_DEMO_SIZES =
      List.of(0L, 1024L, MiB, 8 * MiB, 8 * MiB + 1, 64 * MiB, 256 * MiB);

  private static final String HINT = " (see s3pool --help)";
  private static final Set<String> CP_OPTIONS =
      Set.of(
          "--endpoint-url",
          "--region",
          "--version-id",
          "--expected-size",
          "--multipart-threshold",
          "--multipart-chunksize",
          "--max-request-processes",
          "--broker");

  /** Options a fleet's own submitter and workers decide; cp refuses them with --broker. */
  private static final List<String> FLEET_OPTIONS =
      List.of("--multipart-threshold", "--multipart-chunksize", "--max-request-processes");

  private CommandLine() {}

  /**
   * The command {@code args} ask for.
   *
   * @throws UsageException naming the unknown command or option, or the bad value
   */
  static Command parse(List<String> args) {
    return parse(args, Map.of());
  }

  /**
   * {@link #parse(List)}, with {@code env} for what the command line leaves to the environment (the
   * broker credentials of {@code cp --broker}).
   */
  static Command parse(List<String> args, Map<String, String> env) {
    if (args.isEmpty()) {
      throw new UsageException("no command given" + HINT);
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    return switch (command) {
      case "help", "--help", "-h" -> new Command.Help();
      case "cp" -> parseCp(rest, env);
      case "demo" -> parseDemo(rest);
      case "broker" -> new Command.Child(Command.Role.BROKER, rest);
      case "submitter" -> new Command.Child(Command.Role.SUBMITTER, rest);
      case "worker" -> new Command.Child(Command.Role.WORKER, rest);
      default ->
          throw new UsageException(
              (command.startsWith("-") ? "unknown option '" : "unknown command '")
                  + command
                  + "'"
                  + HINT);
    };
  }

  private static Command parseCp(List<String> args, Map<String, String> env) {
    Scanned scanned = Scanned.of("cp", args, CP_OPTIONS, Set.of("--recursive", "--help", "-h"));
    if (scanned.flags.contains("--help") || scanned.flags.contains("-h")) {
      return new Command.Help();
    }
    List<String> positionals = scanned.positionals;
    if (positionals.size() < 2) {
      throw new UsageException(
          "cp: missing " + (positionals.isEmpty() ? "s3://BUCKET/KEY and DEST" : "DEST") + HINT);
    }
    if (positionals.size() > 2) {
      throw new UsageException("cp: unexpected argument '" + positionals.get(2) + "'" + HINT);
    }
    boolean recursive = scanned.flags.contains("--recursive");
    String source = positionals.get(0);
    if (!source.startsWith("s3://")) {
      throw new UsageException("cp: the source must be an s3:// URL: '" + source + "'");
    }
    String path = source.substring("s3://".length());
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 ? "" : path.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new UsageException("cp: no bucket in '" + source + "'");
    }
    if (key.isEmpty() && !recursive) {
      throw new UsageException("cp: no key in '" + source + "' (add --recursive for a prefix)");
    }
    if (recursive) {
      for (String single : List.of("--version-id", "--expected-size")) {
        if (scanned.values.containsKey(single)) {
          throw new UsageException("cp: " + single + " cannot be used with --recursive");
        }
      }
    }

    S3ClientConfig.Builder client = S3ClientConfig.builder();
    scanned.value("--region", client::region);
    scanned.value(
        "--endpoint-url", url -> client.endpointOverride(URI.create(url)).forcePathStyle(true));
    ProcessTransferConfig.Builder transfer = ProcessTransferConfig.builder();
    scanned.value("--multipart-threshold", v -> transfer.multipartThreshold(ByteSizes.parse(v)));
    scanned.value("--multipart-chunksize", v -> transfer.multipartChunksize(ByteSizes.parse(v)));
    scanned.value("--max-request-processes", v -> transfer.maxRequestProcesses(parseCount(v)));
    Map<String, String> extraArgs = scanned.value("--version-id", CommandLine::versionIdArgs);
    Long expectedSize = scanned.value("--expected-size", CommandLine::parseExpectedSize);
    FleetSettings.RemoteBroker broker = remoteBroker(scanned, env);
    return new Command.Cp(
        bucket,
        key,
        positionals.get(1),
        recursive,
        client.build(),
        transfer.build(),
        extraArgs == null ? Map.of() : extraArgs,
        expectedSize,
        broker);
  }

  /** The fleet {@code --broker} names, with its credentials from {@code env}; null without it. */
  private static FleetSettings.RemoteBroker remoteBroker(Scanned scanned, Map<String, String> env) {
    String url = scanned.values.get("--broker");
    if (url == null) {
      return null;
    }
    for (String option : FLEET_OPTIONS) {
      if (scanned.values.containsKey(option)) {
        throw new UsageException(
            "cp: "
                + option
                + " cannot be used with --broker: the fleet's submitter and workers have their own");
      }
    }
    if (!url.startsWith("tcp://")) {
      throw new UsageException("bad value for --broker '" + url + "': not a tcp:// URL");
    }
    try {
      return StandaloneOptions.broker(url, env);
    } catch (IllegalArgumentException e) {
      throw new UsageException("cp: " + e.getMessage());
    }
  }

  private static Command parseDemo(List<String> args) {
    Scanned scanned = Scanned.of("demo", args, Set.of("--sizes"), Set.of("--help", "-h"));
    if (scanned.flags.contains("--help") || scanned.flags.contains("-h")) {
      return new Command.Help();
    }
    if (!scanned.positionals.isEmpty()) {
      throw new UsageException(
          "demo: unexpected argument '" + scanned.positionals.get(0) + "'" + HINT);
    }
    List<Long> sizes = scanned.value("--sizes", CommandLine::parseSizes);
    return new Command.Demo(sizes == null ? DEFAULT_DEMO_SIZES : sizes);
  }

  private static int parseCount(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number", e);
    }
  }

  private static Long parseExpectedSize(String text) {
    long size = ByteSizes.parse(text);
    if (size < 0) {
      // The same words as ProcessPoolDownloader.downloadFile.
      throw new IllegalArgumentException("expectedSize must be >= 0: " + size);
    }
    return size;
  }

  private static Map<String, String> versionIdArgs(String versionId) {
    Map<String, String> args = Map.of("VersionId", versionId);
    ExtraArgs.validate(args);
    return args;
  }

  private static List<Long> parseSizes(String list) {
    List<Long> sizes = new ArrayList<>();
    for (String item : list.split(",", -1)) {
      long size = ByteSizes.parse(item.trim());
      if (size < 0) {
        throw new IllegalArgumentException("sizes must be >= 0: " + size);
      }
      sizes.add(size);
    }
    return sizes;
  }

  /** The options, flags and positional arguments after a command word. */
  private static final class Scanned {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positionals = new ArrayList<>();

    static Scanned of(
        String command, List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
      Scanned scanned = new Scanned();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (!arg.startsWith("-") || arg.equals("-")) {
          scanned.positionals.add(arg);
          continue;
        }
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        if (flagOptions.contains(name)) {
          if (equals >= 0) {
            throw new UsageException(command + ": option " + name + " takes no value");
          }
          scanned.flags.add(name);
        } else if (!valueOptions.contains(name)) {
          throw new UsageException(command + ": unknown option '" + arg + "'" + HINT);
        } else if (equals >= 0) {
          scanned.values.put(name, arg.substring(equals + 1));
        } else if (i + 1 < args.size()) {
          scanned.values.put(name, args.get(++i));
        } else {
          throw new UsageException(command + ": option " + name + " needs a value");
        }
      }
      return scanned;
    }

    /**
     * Converts the option's value, or returns null when it was not given.
     *
     * @throws UsageException naming the option and the value when {@code convert} rejects it
     */
    <T> T value(String option, Function<String, T> convert) {
      String raw = values.get(option);
      if (raw == null) {
        return null;
      }
      try {
        return convert.apply(raw);
      } catch (IllegalArgumentException e) {
        throw new UsageException("bad value for " + option + " '" + raw + "': " + e.getMessage());
      }
    }
  }

  /** A command line s3pool cannot run; the message is one line for stderr. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
