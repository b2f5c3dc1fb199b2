package dev.s3pool.broker;

import dev.s3pool.spi.ChildSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One s3pool child JVM (submitter or worker). Its command line names s3pool and the role; its
 * settings, secrets included, go through standard input, which stays open for the child's whole
 * life: closing it asks the child to stop, and a parent that dies closes it too.
 */
final class ChildProcess {

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private final String role;
  private final Process process;
  private final OutputStream stdin;

  private ChildProcess(String role, Process process) {
    this.role = role;
    this.process = process;
    this.stdin = process.getOutputStream();
  }

  /** Starts {@code mainClass} on this JVM's classpath and hands it {@code settings}. */
  static ChildProcess start(
      String role, String mainClass, ChildSettings settings, List<String> jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Ds3pool.role=" + role);
    command.add("-XX:+UseSerialGC");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-D" + LOG_LEVEL_PROPERTY + "=" + System.getProperty(LOG_LEVEL_PROPERTY, "warn"));
    // The rest of the parent's logging set-up (date format, per-logger levels) applies too.
    System.getProperties().stringPropertyNames().stream()
        .filter(
            name -> name.startsWith("org.slf4j.simpleLogger.") && !name.equals(LOG_LEVEL_PROPERTY))
        .sorted()
        .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.add("--settings-from-stdin");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ChildProcess child = new ChildProcess(role, process);
    try {
      child.stdin.write(settings.encode().getBytes(StandardCharsets.UTF_8));
      child.stdin.flush();
    } catch (IOException e) {
      child.kill();
      throw new IOException(role + " JVM did not take its settings: " + e.getMessage(), e);
    }
    log.info("role={} pid={} started", role, process.pid());
    return child;
  }

  String role() {
    return role;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Null while alive, else how it ended. */
  String exitDescription() {
    if (process.isAlive()) {
      return null;
    }
    return role + " JVM pid " + process.pid() + " exited with status " + process.exitValue();
  }

  /** Asks the child to stop: the stop line, then the end of its standard input. */
  void requestStop() {
    try {
      stdin.write((ChildSettings.STOP_LINE + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.close();
    } catch (IOException e) {
      log.debug("role={} pid={} stdin already closed", role, process.pid());
    }
  }

  /** Waits until {@code deadlineNanos} for the child to exit; then terminates it, then kills it. */
  void awaitExit(long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0 && process.waitFor(left, TimeUnit.NANOSECONDS)) {
        return;
      }
      log.warn("role={} pid={} did not stop in time; terminating", role, process.pid());
      process.destroy();
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
