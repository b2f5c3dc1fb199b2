package dev.s3pool.broker;

import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetFactory;
import dev.s3pool.spi.FleetSettings;

/** Makes {@link EmbeddedFleet}s; registered for {@link java.util.ServiceLoader}. */
public final class EmbeddedFleetFactory implements FleetFactory {

  @Override
  public Fleet start(FleetSettings settings) {
    return EmbeddedFleet.start(settings);
  }
}
