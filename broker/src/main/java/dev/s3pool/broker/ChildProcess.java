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

  /**
   * Flags for short-lived JVMs on few cores, measured with {@code bench/run.sh}: the C1 compiler
   * only (C2 spent more CPU compiling than it saved in a download), the serial collector, and a
   * small starting heap. {@code childJvmOptions} come later on the command line and win.
   */
  static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms16m", "-XX:+ExitOnOutOfMemoryError");

  /**
   * From Java 24 on, a JVM warns on standard error when Netty (in Artemis) loads its native
   * transport or uses {@code sun.misc.Unsafe}, in every child. These allow both, as Java 17 does;
   * older JVMs do not know the second option.
   */
  static final List<String> JAVA_24_JVM_OPTIONS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

  /** The options every child gets on a JVM of {@code javaFeatureVersion} (17, 21, 25, ...). */
  static List<String> defaultJvmOptions(int javaFeatureVersion) {
    if (javaFeatureVersion < 24) {
      return DEFAULT_JVM_OPTIONS;
    }
    List<String> options = new ArrayList<>(DEFAULT_JVM_OPTIONS);
    options.addAll(JAVA_24_JVM_OPTIONS);
    return options;
  }

  private final String role;
  private final Process process;
  private final OutputStream stdin;
  private final ClassDataArchive.Dump archiveDump;
  private boolean archivePublished;

  private ChildProcess(String role, Process process, ClassDataArchive.Dump archiveDump) {
    this.role = role;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.archiveDump = archiveDump;
    if (archiveDump != null) {
      var unused = process.onExit().thenRun(this::publishArchive);
    }
  }

  /** Starts {@code mainClass} on this JVM's classpath and hands it {@code settings}. */
  static ChildProcess start(
      String role, String mainClass, ChildSettings settings, List<String> jvmOptions)
      throws IOException {
    ChildProcess child = spawn(role, mainClass, jvmOptions);
    child.configure(settings);
    return child;
  }

  private static ChildProcess spawn(String role, String mainClass, List<String> jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Ds3pool.role=" + role);
    List<String> defaults = defaultJvmOptions(Runtime.version().feature());
    command.addAll(defaults);
    ClassDataArchive.Plan archive = ClassDataArchive.plan(role, defaults);
    command.addAll(archive.jvmOptions());
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
    log.info("role={} pid={} started", role, process.pid());
    return new ChildProcess(role, process, archive.dump());
  }

  /** Hands the child its settings (secrets included) on standard input; kills it if it cannot. */
  private void configure(ChildSettings settings) throws IOException {
    try {
      stdin.write(settings.encode().getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      kill();
      throw new IOException(role + " JVM did not take its settings: " + e.getMessage(), e);
    }
  }

  /**
   * Tells the child that its broker listens, so that it connects now; a child that is gone already
   * is left to whoever watches its exit.
   */
  void brokerReady() {
    send(ChildSettings.BROKER_READY_LINE, false);
  }

  /** Writes {@code line} to the child's standard input, then flushes or closes it. */
  private void send(String line, boolean close) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      if (close) {
        stdin.close();
      } else {
        stdin.flush();
      }
    } catch (IOException e) {
      log.debug("role={} pid={} stdin already closed", role, process.pid());
    }
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
    send(ChildSettings.STOP_LINE, true);
  }

  /** Waits until {@code deadlineNanos} for the child to exit; then terminates it, then kills it. */
  void awaitExit(long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0 && process.waitFor(left, TimeUnit.NANOSECONDS)) {
        publishArchive();
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

  /**
   * Once the child has exited: the class-data archive it wrote at exit, if any, goes in place. A
   * second caller waits for the first (on Java 25 that runs a JVM), so that {@link #awaitExit}
   * returns with nothing of this child left running.
   */
  private synchronized void publishArchive() {
    if (archiveDump == null || archivePublished || process.isAlive()) {
      return;
    }
    archivePublished = true;
    archiveDump.publish();
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
