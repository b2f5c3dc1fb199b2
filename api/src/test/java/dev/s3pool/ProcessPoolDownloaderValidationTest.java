package dev.s3pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.spi.Fleet;
import dev.s3pool.wire.ExtraArgs;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything downloadFile decides before a broker or child JVM exists. */
class ProcessPoolDownloaderValidationTest {

  private static final Path TARGET = Path.of("target", "never-written.bin");

  private final AtomicInteger fleetStarts = new AtomicInteger();
  private final ProcessPoolDownloader downloader =
      ProcessPoolDownloader.builder()
          .fleetFactory(
              settings -> {
                fleetStarts.incrementAndGet();
                throw new AssertionError("must not start");
              })
          .build();

  @AfterEach
  void shutDown() {
    downloader.shutdown();
  }

  @Test
  void downloadFile_nullBucket_throwsNpeNamingIt() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> downloader.downloadFile(null, "key", TARGET));

    assertEquals("bucket", e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @Test
  void downloadFile_nullKey_throwsNpeNamingIt() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> downloader.downloadFile("bucket", null, TARGET));

    assertEquals("key", e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @Test
  void downloadFile_nullFilename_throwsNpeNamingIt() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> downloader.downloadFile("bucket", "key", null));

    assertEquals("filename", e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void downloadFile_blankBucket_throwsIaeNamingIt(String blank) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> downloader.downloadFile(blank, "key", TARGET));

    assertTrue(e.getMessage().startsWith("bucket must not be blank"), e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void downloadFile_blankKey_throwsIaeNamingIt(String blank) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> downloader.downloadFile("bucket", blank, TARGET));

    assertTrue(e.getMessage().startsWith("key must not be blank"), e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @Test
  void downloadFile_unknownExtraArg_throwsIaeListingAllowedNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                downloader.downloadFile(
                    "bucket", "key", TARGET, Map.of("IfMatch", "\"etag\""), null));

    assertTrue(e.getMessage().contains("IfMatch"), e.getMessage());
    assertTrue(e.getMessage().contains(String.join(", ", ExtraArgs.ALLOWED)), e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @Test
  void downloadFile_negativeExpectedSize_throwsIaeNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> downloader.downloadFile("bucket", "key", TARGET, Map.of(), -1L));

    assertEquals("expectedSize must be >= 0: -1", e.getMessage());
    assertEquals(0, fleetStarts.get());
  }

  @Test
  void downloadFile_fleetFactoryThrows_returnsFailedFutureInsteadOfHanging() {
    RuntimeException boom = new RuntimeException("boom");
    try (ProcessPoolDownloader failing =
        ProcessPoolDownloader.builder()
            .fleetFactory(
                settings -> {
                  throw boom;
                })
            .build()) {

      TransferFuture future =
          failing.downloadFile("bucket", "key", TARGET, Map.of("VersionId", "v1"), 0L);

      assertTrue(future.done());
      S3TransferException e = assertThrows(S3TransferException.class, future::result);
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
      assertSame(boom, e.getCause());
      assertEquals("key", future.meta().callArgs().key());
      assertEquals(TARGET.toAbsolutePath().normalize(), future.meta().callArgs().filename());
    }
  }

  @Test
  void downloadFile_brokerRefusesConnection_closesTheFleetAndFailsTheFuture() {
    ClosableFleet fleet = new ClosableFleet();
    try (ProcessPoolDownloader refused =
        ProcessPoolDownloader.builder().fleetFactory(settings -> fleet).build()) {

      TransferFuture future = refused.downloadFile("bucket", "key", TARGET);

      assertTrue(future.done());
      S3TransferException e = assertThrows(S3TransferException.class, future::result);
      assertTrue(e.getMessage().contains("broker says no"), e.getMessage());
      assertEquals(1, fleet.closes.get(), "a fleet the downloader cannot use must be closed");
    }
  }

  @Test
  void builder_workerProcessesZero_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessPoolDownloader.builder().workerProcesses(0));

    assertEquals("workerProcesses must be > 0: 0", e.getMessage());
  }

  @Test
  void builder_moreWorkerProcessesThanMaxRequestProcesses_isRejected() {
    ProcessPoolDownloader.Builder builder =
        ProcessPoolDownloader.builder()
            .config(ProcessTransferConfig.builder().maxRequestProcesses(3).build())
            .workerProcesses(4);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

    assertTrue(e.getMessage().contains("maxRequestProcesses (3)"), e.getMessage());
    assertTrue(e.getMessage().endsWith(": 4"), e.getMessage());
  }

  @Test
  void builder_workerProcessesEqualToMaxRequestProcesses_isAccepted() {
    ProcessPoolDownloader built =
        ProcessPoolDownloader.builder()
            .config(ProcessTransferConfig.builder().maxRequestProcesses(3).build())
            .workerProcesses(3)
            .build();

    built.shutdown();
    assertEquals(List.of(), built.childProcesses());
  }

  @Test
  void downloadFile_afterShutdown_throwsIllegalStateException() {
    downloader.shutdown();

    assertThrows(
        IllegalStateException.class, () -> downloader.downloadFile("bucket", "key", TARGET));
    assertEquals(0, fleetStarts.get());
  }

  @Test
  void childProcesses_beforeFirstDownload_isEmpty() {
    assertEquals(List.of(), downloader.childProcesses());
  }

  /** A fleet whose broker refuses every connection; counts close() calls. */
  private static final class ClosableFleet implements Fleet {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public ConnectionFactory connectionFactory() {
      return (ConnectionFactory)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {ConnectionFactory.class},
              (proxy, method, args) -> {
                throw new JMSException("broker says no");
              });
    }

    @Override
    public List<ProcessHandle> processes() {
      return List.of();
    }

    @Override
    public void onTransfersLost(java.util.function.Consumer<String> listener) {}

    @Override
    public String failure() {
      return null;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }
}
