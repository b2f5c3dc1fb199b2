package dev.s3pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProcessTransferConfigTest {

  private static final long EIGHT_MIB = 8L * 1024 * 1024;

  @Test
  void defaults_areTheReferences_8MiB_8MiB_10() {
    ProcessTransferConfig config = ProcessTransferConfig.defaults();

    assertEquals(EIGHT_MIB, config.multipartThreshold());
    assertEquals(EIGHT_MIB, config.multipartChunksize());
    assertEquals(10, config.maxRequestProcesses());
  }

  @Test
  void builder_withoutSetters_equalsDefaults() {
    ProcessTransferConfig built = ProcessTransferConfig.builder().build();

    assertEquals(EIGHT_MIB, built.multipartThreshold());
    assertEquals(EIGHT_MIB, built.multipartChunksize());
    assertEquals(10, built.maxRequestProcesses());
  }

  @Test
  void builder_validValues_areKept() {
    ProcessTransferConfig config =
        ProcessTransferConfig.builder()
            .multipartThreshold(0)
            .multipartChunksize(1)
            .maxRequestProcesses(1)
            .build();

    assertEquals(0, config.multipartThreshold());
    assertEquals(1, config.multipartChunksize());
    assertEquals(1, config.maxRequestProcesses());
  }

  @Test
  void multipartThreshold_negative_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessTransferConfig.builder().multipartThreshold(-1));

    assertEquals("multipartThreshold must be >= 0: -1", e.getMessage());
  }

  @Test
  void multipartChunksize_negative_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessTransferConfig.builder().multipartChunksize(-1));

    assertEquals("multipartChunksize must be > 0: -1", e.getMessage());
  }

  @Test
  void multipartChunksize_zero_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessTransferConfig.builder().multipartChunksize(0));

    assertEquals("multipartChunksize must be > 0: 0", e.getMessage());
  }

  @Test
  void maxRequestProcesses_zero_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessTransferConfig.builder().maxRequestProcesses(0));

    assertEquals("maxRequestProcesses must be > 0: 0", e.getMessage());
  }

  @Test
  void maxRequestProcesses_negative_isRejectedNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessTransferConfig.builder().maxRequestProcesses(-3));

    assertEquals("maxRequestProcesses must be > 0: -3", e.getMessage());
  }
}
