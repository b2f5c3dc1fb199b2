package dev.s3pool.spi;

import jakarta.jms.ConnectionFactory;
import java.util.List;
import java.util.function.Consumer;

/** A running broker plus the submitter and worker JVMs attached to it. */
public interface Fleet extends AutoCloseable {

  /** Connects the downloader to the broker. */
  ConnectionFactory connectionFactory();

  /** The child JVMs this fleet started and owns now (empty for a remote fleet). */
  List<ProcessHandle> processes();

  /**
   * Registers what to do when transfers in flight are lost: the submitter JVM died, taking the
   * state table with it (the fleet starts a new one for later transfers). The listener gets a
   * sentence saying what happened.
   */
  void onTransfersLost(Consumer<String> listener);

  /**
   * Null while the fleet can finish transfers, else why not (for example, worker JVMs keep exiting
   * right after they start).
   */
  String failure();

  /** Stops children (politely, then by force) and the broker; returns once they are gone. */
  @Override
  void close();
}
