package dev.s3pool;

/**
 * How downloads are split and how many range requests run at once. Defaults are the reference's: 8
 * MiB threshold, 8 MiB chunks, 10 concurrent range requests.
 *
 * <pre>{@code
 * ProcessTransferConfig config = ProcessTransferConfig.builder()
 *     .multipartThreshold(16 * MiB)
 *     .multipartChunksize(8 * MiB)
 *     .maxRequestProcesses(15)
 *     .build();
 * }</pre>
 */
public final class ProcessTransferConfig {

  /** One mebibyte, for readable sizes. */
  public static final long MiB = 1024L * 1024L;

  private static final ProcessTransferConfig DEFAULTS = builder().build();

  private final long multipartThreshold;
  private final long multipartChunksize;
  private final int maxRequestProcesses;

  private ProcessTransferConfig(Builder builder) {
    this.multipartThreshold = builder.multipartThreshold;
    this.multipartChunksize = builder.multipartChunksize;
    this.maxRequestProcesses = builder.maxRequestProcesses;
  }

  /** The reference's defaults. */
  public static ProcessTransferConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Objects of at least this many bytes are downloaded in ranged parts. */
  public long multipartThreshold() {
    return multipartThreshold;
  }

  /** Bytes per ranged part. */
  public long multipartChunksize() {
    return multipartChunksize;
  }

  /** How many range requests run at once across all worker JVMs. */
  public int maxRequestProcesses() {
    return maxRequestProcesses;
  }

  @Override
  public String toString() {
    return "ProcessTransferConfig[multipartThreshold="
        + multipartThreshold
        + ", multipartChunksize="
        + multipartChunksize
        + ", maxRequestProcesses="
        + maxRequestProcesses
        + "]";
  }

  /** Builds a {@link ProcessTransferConfig}; every setter rejects bad values at once. */
  public static final class Builder {
    private long multipartThreshold = 8 * MiB;
    private long multipartChunksize = 8 * MiB;
    private int maxRequestProcesses = 10;

    private Builder() {}

    public Builder multipartThreshold(long bytes) {
      requireArgument(bytes >= 0, "multipartThreshold must be >= 0: %s", bytes);
      this.multipartThreshold = bytes;
      return this;
    }

    public Builder multipartChunksize(long bytes) {
      requireArgument(bytes > 0, "multipartChunksize must be > 0: %s", bytes);
      this.multipartChunksize = bytes;
      return this;
    }

    public Builder maxRequestProcesses(int count) {
      requireArgument(count > 0, "maxRequestProcesses must be > 0: %s", count);
      this.maxRequestProcesses = count;
      return this;
    }

    public ProcessTransferConfig build() {
      return new ProcessTransferConfig(this);
    }
  }

  static void requireArgument(boolean ok, String template, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(template, value));
    }
  }
}
