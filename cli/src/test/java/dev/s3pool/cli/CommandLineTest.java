package dev.s3pool.cli;

import static dev.s3pool.ProcessTransferConfig.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h"})
  void help_inAnySpelling(String word) {
    assertInstanceOf(Command.Help.class, parse(word));
  }

  @Test
  void cpHelp_isHelp() {
    assertInstanceOf(Command.Help.class, parse("cp", "--help"));
    assertInstanceOf(Command.Help.class, parse("demo", "-h"));
  }

  @Test
  void cp_defaults() {
    Command.Cp cp = (Command.Cp) parse("cp", "s3://bucket/dir/key.bin", "out.bin");

    assertEquals("bucket", cp.bucket());
    assertEquals("dir/key.bin", cp.key());
    assertEquals("out.bin", cp.destination());
    assertFalse(cp.recursive());
    assertEquals(Map.of(), cp.extraArgs());
    assertNull(cp.expectedSize());
    assertEquals(Optional.empty(), cp.clientConfig().region());
    assertEquals(Optional.empty(), cp.clientConfig().endpointOverride());
    assertFalse(cp.clientConfig().forcePathStyle());
    assertEquals(Optional.empty(), cp.clientConfig().credentials());
    assertEquals(ProcessTransferConfig.defaults().toString(), cp.transferConfig().toString());
  }

  @Test
  void cp_allOptions_inAnyOrder() {
    Command.Cp cp =
        (Command.Cp)
            parse(
                "cp",
                "--endpoint-url",
                "http://127.0.0.1:9000",
                "s3://bucket/key",
                "--region=eu-west-1",
                "--version-id",
                "v1",
                "--expected-size",
                "8MiB+1",
                "--multipart-threshold",
                "16MiB",
                "--multipart-chunksize",
                "4194304",
                "--max-request-processes",
                "3",
                "dest/");

    assertEquals("key", cp.key());
    assertEquals("dest/", cp.destination());
    assertEquals(
        Optional.of(URI.create("http://127.0.0.1:9000")), cp.clientConfig().endpointOverride());
    assertTrue(cp.clientConfig().forcePathStyle());
    assertEquals(Optional.of("eu-west-1"), cp.clientConfig().region());
    assertEquals(Map.of("VersionId", "v1"), cp.extraArgs());
    assertEquals(8 * MiB + 1, cp.expectedSize());
    assertEquals(16 * MiB, cp.transferConfig().multipartThreshold());
    assertEquals(4 * MiB, cp.transferConfig().multipartChunksize());
    assertEquals(3, cp.transferConfig().maxRequestProcesses());
  }

  @Test
  void cpRecursive_acceptsBucketOnlyAndPrefix() {
    Command.Cp whole = (Command.Cp) parse("cp", "s3://bucket", "out", "--recursive");
    Command.Cp prefix = (Command.Cp) parse("cp", "--recursive", "s3://bucket/logs/2024", "out");

    assertTrue(whole.recursive());
    assertEquals("", whole.key());
    assertEquals("logs/2024", prefix.key());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--multipart-chunksize|-1|multipartChunksize must be > 0: -1",
        "--multipart-chunksize|0|multipartChunksize must be > 0: 0",
        "--multipart-chunksize|abc|not a byte size (like 8388608, 8MiB or 8MiB+1)",
        "--multipart-threshold|-5|multipartThreshold must be >= 0: -5",
        "--multipart-threshold|8XiB|not a byte size (like 8388608, 8MiB or 8MiB+1)",
        "--max-request-processes|0|maxRequestProcesses must be > 0: 0",
        "--max-request-processes|ten|not a whole number",
        "--expected-size|-1|expectedSize must be >= 0: -1",
        "--expected-size|9999999999GiB|not a byte size (like 8388608, 8MiB or 8MiB+1)",
        "--endpoint-url|ftp://host|endpointOverride must be an http(s) URL with a host: ftp://host",
      })
  void cp_badValue_namesOptionAndValue(String option, String value, String reason) {
    assertUsage(
        "bad value for " + option + " '" + value + "': " + reason,
        "cp",
        "s3://bucket/key",
        "out",
        option,
        value);
  }

  @Test
  void cp_broker_withCredentialsFromTheEnvironment() {
    Command.Cp cp =
        (Command.Cp)
            CommandLine.parse(
                List.of("cp", "s3://b/k", "out", "--broker", "tcp://10.0.0.5:61616"),
                Map.of("S3POOL_BROKER_USER", "fleet", "S3POOL_BROKER_PASSWORD", "secret"));

    assertEquals("tcp://10.0.0.5:61616", cp.broker().url());
    assertEquals("fleet", cp.broker().user());
    assertEquals("secret", cp.broker().password());
    assertNull(((Command.Cp) parse("cp", "s3://b/k", "out")).broker(), "embedded by default");
    assertNull(
        ((Command.Cp) parse("cp", "s3://b/k", "out", "--broker", "tcp://h:1")).broker().user(),
        "a broker without credentials");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"--multipart-threshold", "--multipart-chunksize", "--max-request-processes"})
  void cp_broker_refusesWhatTheFleetDecides(String option) {
    assertUsage(
        "cp: "
            + option
            + " cannot be used with --broker: the fleet's submitter and workers have their own",
        "cp",
        "s3://b/k",
        "out",
        "--broker",
        "tcp://h:1",
        option,
        "1");
  }

  @Test
  void cp_broker_badUrlOrHalfTheCredentials_isRejected() {
    assertUsage(
        "bad value for --broker 'h:61616': not a tcp:// URL",
        "cp",
        "s3://b/k",
        "out",
        "--broker",
        "h:61616");
    CommandLine.UsageException e =
        assertThrows(
            CommandLine.UsageException.class,
            () ->
                CommandLine.parse(
                    List.of("cp", "s3://b/k", "out", "--broker", "tcp://h:1"),
                    Map.of("S3POOL_BROKER_USER", "fleet")));
    assertEquals(
        "cp: set both S3POOL_BROKER_USER and S3POOL_BROKER_PASSWORD for the broker, or neither",
        e.getMessage());
  }

  @Test
  void cp_blankRegionOrVersion_isRejected() {
    assertUsage(
        "bad value for --region ' ': region must not be blank: ' '",
        "cp",
        "s3://b/k",
        "out",
        "--region",
        " ");
    assertUsage(
        "bad value for --version-id '': extra arg VersionId must not be blank: ''",
        "cp",
        "s3://b/k",
        "out",
        "--version-id=");
  }

  @Test
  void cp_badShape_isRejected() {
    assertUsage("cp: missing s3://BUCKET/KEY and DEST (see s3pool --help)", "cp");
    assertUsage("cp: missing DEST (see s3pool --help)", "cp", "s3://b/k");
    assertUsage("cp: unexpected argument 'c' (see s3pool --help)", "cp", "s3://b/k", "out", "c");
    assertUsage("cp: the source must be an s3:// URL: '/tmp/x'", "cp", "/tmp/x", "out");
    assertUsage("cp: no bucket in 's3:///k'", "cp", "s3:///k", "out");
    assertUsage("cp: no key in 's3://b/' (add --recursive for a prefix)", "cp", "s3://b/", "out");
    assertUsage("cp: option --region needs a value", "cp", "s3://b/k", "out", "--region");
    assertUsage("cp: option --recursive takes no value", "cp", "s3://b/k", "o", "--recursive=1");
    assertUsage(
        "cp: --version-id cannot be used with --recursive",
        "cp",
        "s3://b/p",
        "out",
        "--recursive",
        "--version-id",
        "v");
  }

  @Test
  void unknownCommandOrOption_isNamed() {
    assertUsage("no command given (see s3pool --help)");
    assertUsage("unknown command 'download' (see s3pool --help)", "download");
    assertUsage("unknown option '--verbose' (see s3pool --help)", "--verbose");
    assertUsage(
        "cp: unknown option '--bogus=1' (see s3pool --help)", "cp", "s3://b/k", "out", "--bogus=1");
    assertUsage("demo: unknown option '--size' (see s3pool --help)", "demo", "--size", "1");
  }

  @Test
  void demo_defaultAndGivenSizes() {
    assertEquals(
        List.of(0L, 1024L, MiB, 8 * MiB, 8 * MiB + 1, 64 * MiB, 256 * MiB),
        ((Command.Demo) parse("demo")).sizesBytes());
    assertEquals(
        List.of(0L, 10L, 3 * MiB + 1, 2L * 1024 * MiB),
        ((Command.Demo) parse("demo", "--sizes", "0, 10,3MiB+1,2GiB")).sizesBytes());
  }

  @Test
  void demo_badSizes_areNamed() {
    assertUsage("bad value for --sizes '1,-2': sizes must be >= 0: -2", "demo", "--sizes", "1,-2");
    assertUsage(
        "bad value for --sizes '1,,2': not a byte size (like 8388608, 8MiB or 8MiB+1)",
        "demo",
        "--sizes",
        "1,,2");
    assertUsage("demo: unexpected argument 'x' (see s3pool --help)", "demo", "x");
  }

  @Test
  void childRoles_keepTheirArguments() {
    Command.Child worker = (Command.Child) parse("worker", "--broker-url", "tcp://h:61616");

    assertEquals(Command.Role.WORKER, worker.role());
    assertEquals(List.of("--broker-url", "tcp://h:61616"), worker.args());
    assertEquals(Command.Role.SUBMITTER, ((Command.Child) parse("submitter")).role());
  }

  private static Command parse(String... args) {
    return CommandLine.parse(List.of(args));
  }

  private static void assertUsage(String message, String... args) {
    CommandLine.UsageException e =
        assertThrows(CommandLine.UsageException.class, () -> parse(args));
    assertEquals(message, e.getMessage());
  }
}
