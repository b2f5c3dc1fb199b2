package dev.s3pool.submitter;

import dev.s3pool.runtime.ChildRuntime;
import dev.s3pool.runtime.ConsumerLoop;
import dev.s3pool.wire.Destinations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of an s3pool submitter JVM: request-handling threads (check, temporary file, first
 * jobs) and one coordinator thread (plans the rest once the first part tells the size, counts
 * parts, finalizes files, publishes outcomes). It makes no S3 request, so it needs no S3 client.
 *
 * <p>Started by the embedded default with {@code --settings-from-stdin}, or on its own: {@code
 * SubmitterMain --broker URL [--download-root DIR] ...} (see {@code StandaloneOptions}).
 */
public final class SubmitterMain {

  /**
   * Requests and results are read ahead, 64 KiB of them: a receive then rarely waits for a round
   * trip to the broker. Read-ahead messages not yet committed go back to the queue if this JVM
   * dies, like the one in hand.
   */
  static final int CONSUMER_WINDOW_BYTES = 64 * 1024;

  /**
   * A request thread handles the requests at hand, up to this many, in one transaction, and sends
   * the jobs of the small objects among them together ({@link Outbox#sendHeldJobs}). Two full job
   * messages: a larger batch would keep the first of its jobs from the workers longer (creating a
   * temporary file takes up to a millisecond).
   */
  static final int REQUESTS_PER_TRANSACTION = 2 * Outbox.MAX_JOBS_PER_MESSAGE;

  private SubmitterMain() {}

  public static void main(String[] args) throws Exception {
    ChildRuntime.run(
        "submitter",
        args,
        CONSUMER_WINDOW_BYTES,
        (settings, connection) -> {
          SubmitterLock.take(connection, SubmitterLock.WAIT);
          TransferCoordinator coordinator = new TransferCoordinator(settings.transferConfig());
          GetObjectSubmitter submitter =
              new GetObjectSubmitter(
                  settings.transferConfig(),
                  coordinator,
                  settings.downloadRoot() == null ? null : Path.of(settings.downloadRoot()));
          RequestHandler requests = new RequestHandler(submitter, coordinator);
          List<ConsumerLoop> loops = new ArrayList<>();
          for (int i = 0; i < settings.threads(); i++) {
            loops.add(
                new ConsumerLoop(
                    connection,
                    Destinations.DOWNLOAD_REQUESTS,
                    session -> requests.handlerFor(new Outbox(session)),
                    REQUESTS_PER_TRANSACTION));
          }
          loops.add(
              new ConsumerLoop(
                  connection,
                  Destinations.JOB_RESULTS,
                  session -> requests.resultHandlerFor(new Outbox(session))));
          return loops;
        });
  }
}
