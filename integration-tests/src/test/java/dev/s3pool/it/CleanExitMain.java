package dev.s3pool.it;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.S3ClientConfig;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A program that uses s3pool the ordinary way, for {@link ParentDeathIT}: one download in
 * try-with-resources, then main returns. Its JVM must end right after, with no System.exit: it
 * prints the non-daemon threads still alive after close(), which must be none.
 *
 * <p>Arguments: endpoint accessKey secretKey bucket key targetFile.
 */
public final class CleanExitMain {

  private CleanExitMain() {}

  public static void main(String[] args) {
    S3ClientConfig client = clientConfig(args);
    try (ProcessPoolDownloader downloader =
        ProcessPoolDownloader.builder().clientConfig(client).workerProcesses(1).build()) {
      downloader.downloadFile(args[3], args[4], Path.of(args[5])).result();
    }
    System.out.println("closed");
    // Netty reports the end of each event loop on its global executor, at a moment of its own,
    // and that executor's thread could be gone again before a look from here. Looking from a task
    // on that executor sees it for sure.
    Thread main = Thread.currentThread();
    List<String> left =
        GlobalEventExecutor.INSTANCE
            .submit(() -> nonDaemonThreadsBut(main))
            .syncUninterruptibly()
            .getNow();
    System.out.println("non-daemon threads left: " + left);
  }

  /**
   * Live non-daemon threads other than {@code main}, by name: each would keep the JVM up after main
   * returns, for as long as it lives.
   */
  private static List<String> nonDaemonThreadsBut(Thread main) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t != main && !t.isDaemon() && t.isAlive())
        .map(Thread::getName)
        .sorted()
        .toList();
  }

  /** The client settings both test mains take as args[0..2]: endpoint, access key, secret key. */
  static S3ClientConfig clientConfig(String[] args) {
    return S3ClientConfig.builder()
        .endpointOverride(URI.create(args[0]))
        .forcePathStyle(true)
        .region("us-east-1")
        .credentials(S3ClientConfig.Credentials.of(args[1], args[2]))
        .build();
  }
}
