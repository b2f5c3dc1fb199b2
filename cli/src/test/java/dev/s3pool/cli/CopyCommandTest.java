package dev.s3pool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.S3TransferException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

class CopyCommandTest {

  private static final Path DIR = Path.of("/data/out");

  @Test
  void plan_keepsKeyPathsRelativeToPrefix_andPassesListedSizes() {
    CopyCommand.Plan plan =
        CopyCommand.plan("b", "logs/", DIR, listing("logs/a.txt", "logs/2024/01/b.txt"));

    assertEquals(
        List.of(
            new CopyCommand.Download("logs/a.txt", Path.of("/data/out/a.txt"), 10L),
            new CopyCommand.Download(
                "logs/2024/01/b.txt", Path.of("/data/out/2024/01/b.txt"), 18L)),
        plan.downloads());
    assertEquals(List.of(), plan.refusals());
  }

  @Test
  void plan_skipsDirectoryMarkers() {
    CopyCommand.Plan plan = CopyCommand.plan("b", "", DIR, listing("dir/", "dir/x", "dir/sub/"));

    assertEquals(
        List.of("dir/x"), plan.downloads().stream().map(CopyCommand.Download::key).toList());
    assertEquals(List.of(), plan.refusals());
  }

  @Test
  void plan_refusesEscapingKeys_andDownloadsTheRest() {
    CopyCommand.Plan plan =
        CopyCommand.plan(
            "b",
            "p/",
            DIR,
            listing("p/../../etc/cron.d/x", "p//etc/passwd", "p/ok.bin", "p/a/../b", "p/.."));

    assertEquals(
        List.of("p/ok.bin"), plan.downloads().stream().map(CopyCommand.Download::key).toList());
    assertEquals(
        List.of(
            "refusing s3://b/p/../../etc/cron.d/x: it has a '..' segment",
            "refusing s3://b/p//etc/passwd: it is an absolute path",
            "refusing s3://b/p/a/../b: it has a '..' segment",
            "refusing s3://b/p/..: it has a '..' segment"),
        plan.refusals());
  }

  @Test
  void plan_refusesSecondKeyLandingOnTheSameFile() {
    CopyCommand.Plan plan = CopyCommand.plan("b", "", DIR, listing("a//b", "a/b"));

    assertEquals(
        List.of("a//b"), plan.downloads().stream().map(CopyCommand.Download::key).toList());
    assertEquals(
        List.of("refusing s3://b/a/b: it lands on the same file as s3://b/a//b"), plan.refusals());
  }

  @Test
  void list_readsAllPagesUnderThePrefix(@TempDir Path data) {
    try (LocalS3Server server = LocalS3Server.start(data)) {
      server.createBucket("bucket");
      for (int i = 0; i < 1005; i++) {
        server.putObject("bucket", "p/" + i, new byte[] {1, 2, 3});
      }
      server.putObject("bucket", "q/other", new byte[] {1});

      List<S3Object> listing = CopyCommand.list(server.clientConfig(), "bucket", "p/");

      assertEquals(1005, listing.size());
      assertTrue(listing.stream().allMatch(o -> o.key().startsWith("p/") && o.size() == 3));
    }
  }

  @Test
  void list_missingBucket_failsLikeTheAwsCli(@TempDir Path data) {
    try (LocalS3Server server = LocalS3Server.start(data)) {
      S3TransferException e =
          assertThrows(
              S3TransferException.class,
              () -> CopyCommand.list(server.clientConfig(), "no-such-bucket", ""));

      assertEquals(404, e.statusCode());
      assertEquals("NoSuchBucket", e.errorCode());
      assertEquals("ListObjectsV2", e.operation());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "),
          e.getMessage());
    }
  }

  private static List<S3Object> listing(String... keys) {
    return Arrays.stream(keys)
        .map(key -> S3Object.builder().key(key).size((long) key.length()).build())
        .toList();
  }
}
