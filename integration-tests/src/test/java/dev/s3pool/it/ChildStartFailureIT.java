package dev.s3pool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.ProcessTransferConfig;
import dev.s3pool.S3ClientConfig;
import dev.s3pool.spi.ChildSettings;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM that cannot start ends itself with status 1, so that its parent sees it die. (The
 * thread that watches its standard input is not a daemon and would keep it alive otherwise.)
 */
class ChildStartFailureIT {

  @ParameterizedTest
  @ValueSource(strings = {"dev.s3pool.worker.WorkerMain", "dev.s3pool.submitter.SubmitterMain"})
  void unusableBrokerUrl_childExits1_withTheReason(String mainClass) throws Exception {
    ChildSettings settings =
        new ChildSettings(
            "nosuchscheme://127.0.0.1:1",
            "user",
            "password",
            2,
            S3ClientConfig.builder()
                .region("us-east-1")
                .credentials(S3ClientConfig.Credentials.of("access", "secret"))
                .build(),
            ProcessTransferConfig.defaults(),
            null);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass,
                "--settings-from-stdin")
            .redirectErrorStream(true)
            .start();
    try {
      // Standard input stays open: its end would mean "the parent died", a different exit.
      OutputStream stdin = child.getOutputStream();
      stdin.write(settings.encode().getBytes(StandardCharsets.UTF_8));
      stdin.flush();

      assertTrue(child.waitFor(60, TimeUnit.SECONDS), mainClass + " still runs after 60 s");
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, child.exitValue(), output);
      assertTrue(output.contains("could not start"), output);
      assertTrue(output.contains("nosuchscheme"), output);
    } finally {
      child.destroyForcibly();
    }
  }
}
