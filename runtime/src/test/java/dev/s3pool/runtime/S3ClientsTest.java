package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.S3ClientConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class S3ClientsTest {

  @Test
  void warmUp_isAnsweredWithoutTheNetwork() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    S3ClientConfig config =
        S3ClientConfig.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
            .region("us-east-1")
            .forcePathStyle(true)
            .credentials(S3ClientConfig.Credentials.of("access", "secret"))
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    try (S3Client s3 = S3Clients.create(config, 1)) {
      // Over the network this would fail: nothing listens on the endpoint's port.
      assertTrue(S3Clients.warmUp(s3), "the warm-up request did not get its local answer");
    }
  }
}
