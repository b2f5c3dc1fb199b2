package dev.s3pool.it;

import static dev.s3pool.it.TestFiles.assertSameContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.TransferFuture;
import dev.s3pool.broker.BrokerOptions;
import dev.s3pool.broker.S3PoolBroker;
import dev.s3pool.cli.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker on another host: its JVM runs in a network namespace of its own and reaches the broker
 * and the S3 server only over a veth link, as a second machine would over a network. The broker
 * listens on the link's address, so it requires credentials. Skipped where network namespaces
 * cannot be made (not root, no iproute2).
 */
class NetnsIT {

  private static final String BUCKET = "netns";
  private static final long SIZE = 5L * 1024 * 1024 + 321;

  @TempDir Path dir;

  @Test
  void workerOnAnotherHost_takesTheJobsOverTheLink() throws Exception {
    List<String> whyNot = new ArrayList<>();
    Optional<TestHost> made = TestHost.create(whyNot);
    assumeTrue(made.isPresent(), () -> "no network namespace on this machine: " + whyNot);
    String password = UUID.randomUUID().toString();
    List<Process> processes = new ArrayList<>();
    try (TestHost testHost = made.get();
        LocalS3Server server =
            LocalS3Server.start(
                dir.resolve("server"), "netns-access", "netns-secret", testHost.hostAddress());
        S3PoolBroker broker =
            S3PoolBroker.start(
                new BrokerOptions(
                    testHost.hostAddress(),
                    0,
                    "fleet",
                    password,
                    null,
                    BrokerOptions.DEFAULT_MAX_SIZE_BYTES))) {
      server.createBucket(BUCKET);
      Path source = TestFiles.writeRandom(dir.resolve("source.bin"), SIZE, 53);
      server.putObject(BUCKET, "object.bin", source);
      List<String> s3 =
          List.of("--endpoint-url", server.endpoint().toString(), "--region", "us-east-1");

      Process submitter = start(List.of(), "submitter", broker.tcpUrl(), s3, server, password);
      Process worker =
          start(testHost.inside(List.of()), "worker", broker.tcpUrl(), s3, server, password);
      processes.add(submitter);
      processes.add(worker);

      Path target = Files.createDirectories(dir.resolve("downloads")).resolve("object.bin");
      try (ProcessPoolDownloader downloader =
          ProcessPoolDownloader.builder()
              .brokerUrl(broker.tcpUrl(), "fleet", password)
              .config(
                  ProcessTransferConfig.builder()
                      .multipartThreshold(1024 * 1024)
                      .multipartChunksize(1024 * 1024)
                      .build())
              .build()) {
        TransferFuture future = downloader.downloadFile(BUCKET, "object.bin", target);
        future.completion().get(120, TimeUnit.SECONDS);
      }
      // The only worker is on the test host: it fetched and wrote every part. (Checked now, not
      // at its start: until `ip netns exec` has entered the namespace, the process is still here.)
      assertSameContent(source, target);
      assertTrue(
          TestHost.inOtherNetworkNamespace(worker.toHandle()),
          "the worker must run on the test host");
      assertTrue(worker.isAlive() && submitter.isAlive(), "fleet processes died");
    } finally {
      for (Process p : processes) {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    processes.forEach(p -> assertEquals(false, p.isAlive(), "fleet process " + p.pid()));
  }

  /** A standalone fleet process; credentials go in its environment, never its command line. */
  private Process start(
      List<String> prefix,
      String role,
      String brokerUrl,
      List<String> s3Options,
      LocalS3Server server,
      String password)
      throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Ds3pool.role=" + role,
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            role.equals("worker")
                ? "dev.s3pool.worker.WorkerMain"
                : "dev.s3pool.submitter.SubmitterMain",
            "--broker",
            brokerUrl,
            "--threads",
            "2"));
    command.addAll(s3Options);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve(role + ".out").toFile())
            .redirectError(dir.resolve(role + ".err").toFile());
    builder.environment().put("AWS_ACCESS_KEY_ID", server.accessKey());
    builder.environment().put("AWS_SECRET_ACCESS_KEY", server.secretKey());
    builder.environment().put("AWS_REGION", "us-east-1");
    builder.environment().put("S3POOL_BROKER_USER", "fleet");
    builder.environment().put("S3POOL_BROKER_PASSWORD", password);
    return builder.start();
  }
}
