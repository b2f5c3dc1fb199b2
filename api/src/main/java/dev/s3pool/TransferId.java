package dev.s3pool;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one transfer on every message that concerns it.
 *
 * <pre>{@code
 * TransferId id = future.meta().transferId();
 * }</pre>
 *
 * @param value the id as it travels on the wire
 */
public record TransferId(String value) {

  public TransferId {
    Objects.requireNonNull(value, "transferId");
    if (value.isBlank()) {
      throw new IllegalArgumentException("transferId must not be blank");
    }
  }

  /** A new, random id. */
  public static TransferId random() {
    return new TransferId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
