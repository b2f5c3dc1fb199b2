package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.broker.BrokerOptions;
import dev.s3pool.broker.S3PoolBroker;
import dev.s3pool.spi.ChildSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a child JVM of the embedded fleet starts, run as its parent runs it: settings on standard
 * input, which stays open.
 */
class ChildStartIT {

  private static final long WAIT_SECONDS = 30;

  /**
   * A child that cannot start ends itself with status 1, so that its parent sees it die. (The
   * thread that watches its standard input is not a daemon and would keep it alive otherwise.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"dev.s3pool.worker.WorkerMain", "dev.s3pool.submitter.SubmitterMain"})
  void unusableBrokerUrl_childExits1_withTheReason(String mainClass) throws Exception {
    Process child = start(mainClass);
    try {
      // Standard input stays open: its end would mean "the parent died", a different exit.
      write(child, settings("nosuchscheme://127.0.0.1:1").encode());

      assertTrue(child.waitFor(60, TimeUnit.SECONDS), mainClass + " still runs after 60 s");
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, child.exitValue(), output);
      assertTrue(output.contains("could not start"), output);
      assertTrue(output.contains("nosuchscheme"), output);
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * A child boots while its parent's broker starts and connects when the parent writes {@link
   * ChildSettings#BROKER_READY_LINE}, not before: failed attempts at a port nobody listens on yet
   * cost a starting fleet CPU, and up to 0.3 s after the broker was up.
   */
  @ParameterizedTest
  @ValueSource(strings = {"dev.s3pool.worker.WorkerMain", "dev.s3pool.submitter.SubmitterMain"})
  void child_connectsWhenToldTheBrokerIsReady_notBefore(String mainClass) throws Exception {
    try (S3PoolBroker broker = S3PoolBroker.start(BrokerOptions.embedded("s3pool", "secret"))) {
      Process child = start(mainClass, "-Dorg.slf4j.simpleLogger.log.dev.s3pool.runtime=debug");
      try {
        BlockingQueue<String> output = lines(child);
        write(child, settings(broker.tcpUrl()).encode());

        awaitLine(output, "waiting for the parent's " + ChildSettings.BROKER_READY_LINE);
        assertEquals(0, broker.server().getConnectionCount(), "connected before it was told");

        write(child, ChildSettings.BROKER_READY_LINE + "\n");
        awaitLine(output, " ready broker=" + broker.tcpUrl());
        assertEquals(1, broker.server().getConnectionCount());

        write(child, ChildSettings.STOP_LINE + "\n");
        child.getOutputStream().close();
        assertTrue(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), mainClass + " did not stop");
        assertEquals(0, child.exitValue());
      } finally {
        child.destroyForcibly();
        child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private static ChildSettings settings(String brokerUrl) {
    return new ChildSettings(
        brokerUrl,
        "s3pool",
        "secret",
        2,
        S3ClientConfig.builder()
            .region("us-east-1")
            .credentials(S3ClientConfig.Credentials.of("access", "secret"))
            .build(),
        ProcessTransferConfig.defaults(),
        null);
  }

  /** {@code mainClass} in a JVM of its own, with {@code --settings-from-stdin}. */
  private static Process start(String mainClass, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), mainClass, "--settings-from-stdin"));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void write(Process child, String text) throws IOException {
    OutputStream stdin = child.getOutputStream();
    stdin.write(text.getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** The child's output, line by line, read on a thread of its own. */
  private static BlockingQueue<String> lines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output ended: " + e + ")");
              }
            },
            "child-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static void awaitLine(BlockingQueue<String> output, String fragment)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.append(line).append('\n');
      if (line.contains(fragment)) {
        return;
      }
    }
    throw new AssertionError("no line with '" + fragment + "' in " + WAIT_SECONDS + " s:\n" + seen);
  }
}
