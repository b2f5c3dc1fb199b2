package dev.s3pool.cli;

import dev.s3pool.broker.BrokerMain;
import dev.s3pool.runtime.Jms;
import dev.s3pool.submitter.SubmitterMain;
import dev.s3pool.worker.WorkerMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code s3pool} command line, started by the {@code ./s3pool} launcher.
 *
 * <pre>{@code
 * ./s3pool cp s3://my-bucket/data.csv /tmp/            # one object
 * ./s3pool cp s3://my-bucket/logs/ /tmp/logs --recursive
 * ./s3pool demo                                        # round trip through a local S3 server
 * }</pre>
 *
 * <p>Exit status: 0 on success, 1 when a transfer failed, 2 when the command line is wrong; each
 * failure is one line on standard error. {@code s3pool help} lists commands and options.
 */
public final class S3Pool {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** Set by the launcher: the file that says "keep this JVM's class-data archive". */
  static final String KEEP_ARCHIVE_PROPERTY = "s3pool.cds.keep";

  private S3Pool() {}

  public static void main(String[] args) throws Exception {
    Command command;
    try {
      command = CommandLine.parse(List.of(args), System.getenv());
    } catch (CommandLine.UsageException e) {
      System.err.println("s3pool: " + e.getMessage());
      System.exit(USAGE);
      return;
    }
    if (command instanceof Command.Child child) {
      keepClassDataArchive();
      // The child role owns its process from here; its own threads decide when it ends.
      String[] rest = child.args().toArray(String[]::new);
      switch (child.role()) {
        case BROKER -> BrokerMain.main(rest);
        case SUBMITTER -> SubmitterMain.main(rest);
        case WORKER -> WorkerMain.main(rest);
      }
      return;
    }
    int status = run(command, System.out, System.err);
    if (status == OK) {
      keepClassDataArchive();
    }
    // The downloader is closed; a JMS client thread still in epoll_wait (cp --broker) would hold
    // the JVM's exit for 300 ms.
    Jms.stopNetworkThreads();
    System.exit(status);
  }

  /**
   * Tells the launcher to keep the class-data archive this JVM writes as it exits: the launcher
   * names a file in {@code s3pool.cds.keep} when it asks for an archive, and keeps an archive only
   * if that file exists. A run that failed or was misused loaded only some of the classes that a
   * copy needs, and its archive would serve every later run of the build.
   */
  private static void keepClassDataArchive() {
    String keep = System.getProperty(KEEP_ARCHIVE_PROPERTY);
    if (keep == null) {
      return;
    }
    try {
      Files.write(Path.of(keep), new byte[0]);
    } catch (IOException | InvalidPathException e) {
      // No archive this time; the next run that does real work writes one.
    }
  }

  /** Runs a command other than a child role; returns the exit status. */
  static int run(Command command, PrintStream out, PrintStream err) {
    if (command instanceof Command.Cp cp) {
      return new CopyCommand(cp, out, err).run();
    }
    if (command instanceof Command.Demo demo) {
      return new DemoCommand(out, err).run(demo.sizesBytes());
    }
    if (command instanceof Command.Help) {
      out.print(CommandLine.USAGE);
      return OK;
    }
    throw new IllegalArgumentException("child roles run from main, not here: " + command);
  }

  /** One line about a failure: its message, with the exception type where the message is thin. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    } else if (e instanceof IOException) {
      message = e.getClass().getSimpleName() + ": " + message;
    }
    return message.lines().findFirst().orElse(message).strip();
  }
}
