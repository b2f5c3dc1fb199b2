package dev.s3pool.broker;

import dev.s3pool.runtime.Jms;
import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetSettings;
import jakarta.jms.ConnectionFactory;
import java.util.List;
import java.util.function.Consumer;

/**
 * A fleet someone else runs: a standalone broker with its own submitter and worker processes. The
 * downloader only connects; it starts, watches and stops nothing. The connection reconnects when
 * the broker restarts.
 */
final class RemoteFleet implements Fleet {

  private final FleetSettings.RemoteBroker broker;

  private RemoteFleet(FleetSettings.RemoteBroker broker) {
    this.broker = broker;
  }

  static RemoteFleet connect(FleetSettings.RemoteBroker broker) {
    return new RemoteFleet(broker);
  }

  @Override
  public ConnectionFactory connectionFactory() {
    return Jms.connectionFactory(broker.url(), broker.user(), broker.password());
  }

  @Override
  public List<ProcessHandle> processes() {
    return List.of();
  }

  @Override
  public void onTransfersLost(Consumer<String> listener) {
    // The processes are not ours to watch.
  }

  @Override
  public String failure() {
    return null;
  }

  @Override
  public void close() {
    // Nothing was started here.
  }
}
