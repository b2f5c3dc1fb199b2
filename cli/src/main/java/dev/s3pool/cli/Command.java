package dev.s3pool.cli;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.spi.FleetSettings;
import java.util.List;
import java.util.Map;

/** One parsed s3pool command line; {@link CommandLine#parse} makes them. */
sealed interface Command {

  /** {@code s3pool help}: print the usage text. */
  record Help() implements Command {}

  /**
   * {@code s3pool cp s3://BUCKET/KEY DEST}; with {@code recursive}, {@code key} is a prefix.
   *
   * @param destination DEST as given; a trailing "/" marks a directory
   * @param expectedSize the object's size when given, else null
   * @param broker a running fleet to download through, or null to start the embedded one
   */
  record Cp(
      String bucket,
      String key,
      String destination,
      boolean recursive,
      S3ClientConfig clientConfig,
      ProcessTransferConfig transferConfig,
      Map<String, String> extraArgs,
      Long expectedSize,
      FleetSettings.RemoteBroker broker)
      implements Command {

    public Cp {
      extraArgs = Map.copyOf(extraArgs);
    }

    /** The source as an s3:// URL, for messages. */
    String source() {
      return "s3://" + bucket + "/" + key;
    }
  }

  /** {@code s3pool demo}: round-trip objects of these sizes through a local S3 server. */
  record Demo(List<Long> sizesBytes) implements Command {

    public Demo {
      sizesBytes = List.copyOf(sizesBytes);
    }
  }

  /**
   * {@code s3pool broker|submitter|worker ...}: run a fleet process role with the remaining
   * arguments.
   */
  record Child(Role role, List<String> args) implements Command {

    public Child {
      args = List.copyOf(args);
    }
  }

  /** The process roles {@link Child} starts. */
  enum Role {
    BROKER,
    SUBMITTER,
    WORKER
  }
}
