package dev.s3pool.it;

import dev.s3pool.ProcessPoolDownloader;
import dev.s3pool.S3ClientConfig;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A parent JVM for {@link ParentDeathIT}: downloads one object (which starts the broker and the
 * child JVMs), prints the children's pids on one line, then waits to be killed.
 *
 * <p>Arguments: endpoint accessKey secretKey bucket key targetFile.
 */
public final class OrphanedParentMain {

  private OrphanedParentMain() {}

  public static void main(String[] args) throws Exception {
    S3ClientConfig client = CleanExitMain.clientConfig(args);
    ProcessPoolDownloader downloader =
        ProcessPoolDownloader.builder().clientConfig(client).workerProcesses(2).build();
    downloader.downloadFile(args[3], args[4], Path.of(args[5])).result();
    System.out.println(
        "children="
            + downloader.childProcesses().stream()
                .map(p -> Long.toString(p.pid()))
                .collect(Collectors.joining(",")));
    System.out.flush();
    Thread.currentThread().join(); // until SIGKILL
  }
}
