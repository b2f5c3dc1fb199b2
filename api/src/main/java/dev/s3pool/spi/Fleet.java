package dev.s3pool.spi;

import jakarta.jms.ConnectionFactory;
import java.util.List;

/** A running broker plus the submitter and worker JVMs attached to it. */
public interface Fleet extends AutoCloseable {

  /** Connects the downloader to the broker. */
  ConnectionFactory connectionFactory();

  /** The child JVMs this fleet started and owns (empty for a remote fleet). */
  List<ProcessHandle> processes();

  /**
   * Null while the fleet is healthy, else why it cannot finish transfers (for example, every worker
   * JVM has exited).
   */
  String failure();

  /** Stops children (politely, then by force) and the broker; returns once they are gone. */
  @Override
  void close();
}
