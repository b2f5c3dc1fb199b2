package dev.s3pool.submitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.submitter.PartPlan.Part;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartPlanTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void firstOfUnknownSize_isTheFirstChunk() {
    assertEquals(new Part(0, 0, 8 * MIB, "bytes=0-8388607"), PartPlan.firstOfUnknownSize(8 * MIB));
  }

  @Test
  void rest_afterAWholeFirstChunk_theSameChunksAsSplit() {
    long size = 20 * MIB + 3;
    List<Part> all = PartPlan.split(size, 8 * MIB, 8 * MIB);

    assertEquals(all.subList(1, all.size()), PartPlan.rest(size, 8 * MIB, 8 * MIB, 8 * MIB));
  }

  @Test
  void rest_firstChunkHadItAll_nothing() {
    assertEquals(List.of(), PartPlan.rest(5, 5, 8 * MIB, 8 * MIB));
    assertEquals(List.of(), PartPlan.rest(0, 0, 8 * MIB, 8 * MIB));
    assertEquals(List.of(), PartPlan.rest(8 * MIB, 8 * MIB, 8 * MIB, 8 * MIB));
  }

  @Test
  void rest_belowAThresholdAboveOneChunk_oneOpenEndedGet() {
    assertEquals(
        List.of(new Part(1, 8 * MIB, 2 * MIB, "bytes=8388608-")),
        PartPlan.rest(10 * MIB, 8 * MIB, 64 * MIB, 8 * MIB));
  }

  @Test
  void split_belowThreshold_oneJobWithoutRange() {
    assertEquals(
        List.of(new Part(0, 0, 8 * MIB - 1, null)), PartPlan.split(8 * MIB - 1, 8 * MIB, 8 * MIB));
  }

  @Test
  void split_zeroBytes_oneEmptyJobWithoutRange() {
    assertEquals(List.of(new Part(0, 0, 0, null)), PartPlan.split(0, 8 * MIB, 8 * MIB));
  }

  @Test
  void split_atThreshold_oneOpenEndedRange() {
    assertEquals(
        List.of(new Part(0, 0, 8 * MIB, "bytes=0-")), PartPlan.split(8 * MIB, 8 * MIB, 8 * MIB));
  }

  @Test
  void split_thresholdPlusOne_twoRangesLastOpenEnded() {
    assertEquals(
        List.of(
            new Part(0, 0, 8 * MIB, "bytes=0-8388607"), new Part(1, 8 * MIB, 1, "bytes=8388608-")),
        PartPlan.split(8 * MIB + 1, 8 * MIB, 8 * MIB));
  }

  @Test
  void split_threeChunksAndOddTail_rangesAsTheReference() {
    List<Part> parts = PartPlan.split(3 * 100 + 7, 1, 100);

    assertEquals(
        List.of(
            new Part(0, 0, 100, "bytes=0-99"),
            new Part(1, 100, 100, "bytes=100-199"),
            new Part(2, 200, 100, "bytes=200-299"),
            new Part(3, 300, 7, "bytes=300-")),
        parts);
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "1000,0,7", "1048577,1048576,1048576", "99999,100,33"})
  void split_partsCoverTheObjectExactlyOnce(long size, long threshold, long chunk) {
    List<Part> parts = PartPlan.split(size, threshold, chunk);

    long next = 0;
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      assertEquals(i, part.index());
      assertEquals(next, part.offset());
      assertTrue(part.length() > 0);
      next += part.length();
    }
    assertEquals(size, next);
    assertEquals((size + chunk - 1) / chunk, parts.size());
  }

  @Test
  void split_negativeSize_namesTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartPlan.split(-1, 8, 8));
    assertEquals("size must be >= 0: -1", e.getMessage());
  }

  @Test
  void split_tooManyParts_saysToRaiseTheChunkSize() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartPlan.split(Long.MAX_VALUE, 0, 1));
    assertTrue(e.getMessage().contains("raise multipartChunksize"), e.getMessage());
  }
}
