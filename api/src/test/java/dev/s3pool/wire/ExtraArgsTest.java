package dev.s3pool.wire;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtraArgsTest {

  /** The reference's ALLOWED_DOWNLOAD_ARGS, written out so that a change to the list shows. */
  private static final List<String> REFERENCE_NAMES =
      List.of(
          "ChecksumMode",
          "VersionId",
          "SSECustomerAlgorithm",
          "SSECustomerKey",
          "SSECustomerKeyMD5",
          "RequestPayer",
          "ExpectedBucketOwner");

  @Test
  void allowed_isTheReferenceList() {
    assertEquals(REFERENCE_NAMES, ExtraArgs.ALLOWED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ChecksumMode",
        "VersionId",
        "SSECustomerAlgorithm",
        "SSECustomerKey",
        "SSECustomerKeyMD5",
        "RequestPayer",
        "ExpectedBucketOwner"
      })
  void validate_eachAllowedName_passes(String name) {
    assertDoesNotThrow(() -> ExtraArgs.validate(Map.of(name, "value")));
  }

  @Test
  void validate_allAllowedNamesTogether_pass() {
    Map<String, String> all = new HashMap<>();
    REFERENCE_NAMES.forEach(name -> all.put(name, "value"));

    assertDoesNotThrow(() -> ExtraArgs.validate(all));
  }

  @Test
  void validate_empty_passes() {
    assertDoesNotThrow(() -> ExtraArgs.validate(Map.of()));
  }

  @Test
  void validate_unknownName_failsNamingItAndListingAllAllowedNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ExtraArgs.validate(Map.of("Range", "bytes=0-")));

    assertTrue(e.getMessage().contains("'Range'"), e.getMessage());
    for (String name : REFERENCE_NAMES) {
      assertTrue(e.getMessage().contains(name), () -> name + " missing from: " + e.getMessage());
    }
  }

  @Test
  void validate_nameInWrongCase_fails() {
    assertThrows(
        IllegalArgumentException.class, () -> ExtraArgs.validate(Map.of("versionId", "v1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void validate_blankValue_failsNamingTheArgument(String blank) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ExtraArgs.validate(Map.of("VersionId", blank)));

    assertTrue(e.getMessage().contains("VersionId"), e.getMessage());
  }

  @Test
  void validate_nullValue_failsNamingTheArgument() {
    Map<String, String> args = new HashMap<>();
    args.put("RequestPayer", null);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExtraArgs.validate(args));

    assertTrue(e.getMessage().contains("RequestPayer"), e.getMessage());
  }
}
