package dev.s3pool.spi;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FleetFactory} needs to start the broker and the child JVMs.
 *
 * @param clientConfig how children build their S3 clients
 * @param transferConfig split sizes and concurrency
 * @param workerProcesses how many worker JVMs to start
 * @param childJvmOptions extra options for every child JVM's command line (no secrets)
 */
public record FleetSettings(
    S3ClientConfig clientConfig,
    ProcessTransferConfig transferConfig,
    int workerProcesses,
    List<String> childJvmOptions) {

  public FleetSettings {
    Objects.requireNonNull(clientConfig, "clientConfig");
    Objects.requireNonNull(transferConfig, "transferConfig");
    if (workerProcesses < 1) {
      throw new IllegalArgumentException("workerProcesses must be > 0: " + workerProcesses);
    }
    childJvmOptions = List.copyOf(childJvmOptions);
  }

  /** Range requests each worker JVM runs at once, so that all together make maxRequestProcesses. */
  public int threadsPerWorker() {
    int total = transferConfig.maxRequestProcesses();
    return Math.max(1, (total + workerProcesses - 1) / workerProcesses);
  }
}
