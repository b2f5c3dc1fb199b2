package dev.s3pool.wire;

import dev.s3pool.TransferId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a transfer's temporary file lives: beside the target, named {@code filename.<8 hex chars>},
 * the chars taken from the SHA-256 of the transfer id. Transfer ids are random, so the suffix is
 * too; and because the client can compute it, the client can remove the file of a transfer whose
 * submitter died. A transfer id must therefore be unique per target.
 */
public final class TempPaths {

  private TempPaths() {}

  public static Path tempPath(Path target, TransferId id) {
    return target.resolveSibling(target.getFileName() + "." + suffix(id));
  }

  static String suffix(TransferId id) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(id.value().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
