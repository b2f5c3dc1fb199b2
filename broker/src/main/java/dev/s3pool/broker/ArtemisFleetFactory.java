package dev.s3pool.broker;

import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetFactory;
import dev.s3pool.spi.FleetSettings;

/**
 * Makes the fleets s3pool runs on Artemis: an {@link EmbeddedFleet} by default, a {@link
 * RemoteFleet} when the settings name a running broker. Registered for {@link
 * java.util.ServiceLoader}.
 */
public final class ArtemisFleetFactory implements FleetFactory {

  @Override
  public Fleet start(FleetSettings settings) {
    return settings.remoteBroker() == null
        ? EmbeddedFleet.start(settings)
        : RemoteFleet.connect(settings.remoteBroker());
  }
}
