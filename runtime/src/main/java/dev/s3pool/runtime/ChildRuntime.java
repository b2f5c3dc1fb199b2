package dev.s3pool.runtime;

import dev.s3pool.spi.ChildSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What every s3pool child JVM does at start: ignore Ctrl-C (the parent decides when children stop),
 * read its {@link ChildSettings} from standard input, and exit once that pipe closes, which happens
 * when the parent stops it or dies.
 */
public final class ChildRuntime {

  private static final Logger log = LoggerFactory.getLogger(ChildRuntime.class);

  /** How long {@code onStop} may take before the JVM halts anyway. */
  private static final long STOP_GRACE_MILLIS = 5_000;

  private ChildRuntime() {}

  /**
   * Reads the settings block, then watches standard input on a daemon thread. When the parent
   * writes {@link ChildSettings#STOP_LINE} and closes the pipe, runs {@code onStop} (finish the job
   * in hand, close the connection) and exits; when the pipe closes without it, the parent has died,
   * and the JVM exits at once.
   */
  public static ChildSettings start(String role, Runnable onStop) throws IOException {
    ignoreInterrupts();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    ChildSettings settings = ChildSettings.read(in);
    Thread watch =
        new Thread(() -> awaitEndOfInput(in, role, onStop), "s3pool-" + role + "-parent-watch");
    watch.setDaemon(true);
    watch.start();
    return settings;
  }

  /** Ctrl-C in a terminal reaches the whole process group; children leave it to their parent. */
  public static void ignoreInterrupts() {
    try {
      Signal.handle(new Signal("INT"), signal -> {});
    } catch (IllegalArgumentException e) {
      log.debug("cannot ignore SIGINT on this platform", e);
    }
  }

  private static void awaitEndOfInput(BufferedReader in, String role, Runnable onStop) {
    boolean asked = false;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        asked |= line.equals(ChildSettings.STOP_LINE);
      }
    } catch (IOException e) {
      log.debug("standard input failed; treating the parent as gone", e);
    }
    if (!asked) {
      // The pipe closed without a word: the parent died. In the embedded default the broker died
      // with it, so there is nothing to close gracefully; jobs not committed go back to the
      // queue of whatever broker remains.
      log.warn("role={} parent died; exiting", role);
      Runtime.getRuntime().halt(1);
    }
    log.info("role={} asked to stop", role);
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(STOP_GRACE_MILLIS);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(3);
            },
            "s3pool-" + role + "-halt");
    halt.setDaemon(true);
    halt.start();
    try {
      onStop.run();
    } finally {
      System.exit(0);
    }
  }
}
