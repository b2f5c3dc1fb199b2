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
 * @param remoteBroker a running fleet's broker to use instead of starting one, or null for the
 *     embedded default
 */
public record FleetSettings(
    S3ClientConfig clientConfig,
    ProcessTransferConfig transferConfig,
    int workerProcesses,
    List<String> childJvmOptions,
    RemoteBroker remoteBroker) {

  public FleetSettings {
    Objects.requireNonNull(clientConfig, "clientConfig");
    Objects.requireNonNull(transferConfig, "transferConfig");
    if (workerProcesses < 1 || workerProcesses > transferConfig.maxRequestProcesses()) {
      throw new IllegalArgumentException(
          "workerProcesses must be in 1..maxRequestProcesses ("
              + transferConfig.maxRequestProcesses()
              + "): "
              + workerProcesses);
    }
    childJvmOptions = List.copyOf(childJvmOptions);
  }

  /** The embedded default: no remote broker. */
  public FleetSettings(
      S3ClientConfig clientConfig,
      ProcessTransferConfig transferConfig,
      int workerProcesses,
      List<String> childJvmOptions) {
    this(clientConfig, transferConfig, workerProcesses, childJvmOptions, null);
  }

  /**
   * A broker that a standalone fleet ({@code s3pool broker}, {@code s3pool submitter}, {@code
   * s3pool worker}) already runs.
   *
   * @param url its Artemis URL, e.g. {@code tcp://broker-host:61616}
   * @param user user name, or null for a broker without credentials
   * @param password password, or null
   */
  public record RemoteBroker(String url, String user, String password) {
    public RemoteBroker {
      Objects.requireNonNull(url, "url");
      if ((user == null) != (password == null)) {
        throw new IllegalArgumentException("broker user and password go together");
      }
    }

    @Override
    public String toString() {
      return "RemoteBroker[url=" + url + ", user=" + user + "]";
    }
  }

  /**
   * Range requests worker {@code index} (from 0) runs at once: maxRequestProcesses spread as evenly
   * as possible, so that all workers together run exactly maxRequestProcesses.
   */
  public int threadsOfWorker(int index) {
    if (index < 0 || index >= workerProcesses) {
      throw new IndexOutOfBoundsException("worker " + index + " of " + workerProcesses);
    }
    int total = transferConfig.maxRequestProcesses();
    return total / workerProcesses + (index < total % workerProcesses ? 1 : 0);
  }
}
