package dev.s3pool.wire;

/**
 * Broker destinations s3pool uses. Queues are anycast (each message to one consumer), the monitor
 * is a multicast topic.
 */
public final class Destinations {

  /**
   * Queue: {@link DownloadFileRequest}, {@link CancelTransfer} and {@link QueryTransfer}, read by
   * submitters.
   */
  public static final String DOWNLOAD_REQUESTS = "s3pool.download-requests";

  /** Queue: {@link GetObjectJob}, read by competing worker JVMs. */
  public static final String WORKER_JOBS = "s3pool.worker-jobs";

  /**
   * Queue: {@link JobCompleted} and {@link JobFailed}, read by the coordinator in the submitter.
   */
  public static final String JOB_RESULTS = "s3pool.job-results";

  /** Topic: {@link TransferUpdate} for every change of a transfer's state. */
  public static final String MONITOR = "s3pool.monitor";

  /**
   * Queue that carries no messages: each submitter holds a consumer on it, and s3pool's broker
   * allows one consumer, so that a second submitter of the same fleet is refused at start (it would
   * take job results of transfers it does not know).
   */
  public static final String SUBMITTER_LOCK = "s3pool.submitter-lock";

  /** Queue: messages the broker gave up delivering. */
  public static final String DEAD_LETTER = "s3pool.dead-letter";

  private Destinations() {}
}
