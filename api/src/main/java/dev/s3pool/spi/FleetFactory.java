package dev.s3pool.spi;

/**
 * Starts fleets; found through {@link java.util.ServiceLoader}. The {@code s3pool-broker} module
 * provides the embedded default.
 */
public interface FleetFactory {

  /** Starts a broker and its child JVMs; throws when any part fails to come up. */
  Fleet start(FleetSettings settings);
}
