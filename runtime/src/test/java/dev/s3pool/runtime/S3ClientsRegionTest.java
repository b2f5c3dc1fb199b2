package dev.s3pool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.s3pool.S3ClientConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * Where the region comes from when none is configured. The EC2 metadata service is a local server
 * here that records what it is asked and answers as an instance in ap-south-2 would.
 */
class S3ClientsRegionTest {

  private static final String[] PROPERTIES = {
    "aws.region", "aws.configFile", "aws.ec2MetadataServiceEndpoint"
  };
  private static final S3ClientConfig WITH_ENDPOINT =
      S3ClientConfig.builder().endpointOverride(URI.create("http://127.0.0.1:9")).build();
  private static final S3ClientConfig PLAIN = S3ClientConfig.builder().build();

  @TempDir Path dir;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final String[] saved = new String[PROPERTIES.length];
  private HttpServer metadata;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(
        System.getenv("AWS_REGION") == null && System.getenv("AWS_PROFILE") == null,
        "AWS_REGION or AWS_PROFILE set in the environment");
    for (int i = 0; i < PROPERTIES.length; i++) {
      saved[i] = System.getProperty(PROPERTIES[i]);
    }
    metadata = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    metadata.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          asked.add(exchange.getRequestMethod() + " " + path);
          byte[] body =
              (path.endsWith("/api/token")
                      ? "token"
                      : "{\"region\":\"ap-south-2\",\"instanceId\":\"i-1\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    metadata.start();
    System.clearProperty("aws.region");
    System.setProperty("aws.configFile", dir.resolve("no-such-config").toString());
    System.setProperty(
        "aws.ec2MetadataServiceEndpoint", "http://127.0.0.1:" + metadata.getAddress().getPort());
  }

  @AfterEach
  void tearDown() {
    if (metadata != null) {
      metadata.stop(0);
    }
    for (int i = 0; i < PROPERTIES.length; i++) {
      if (saved[i] == null) {
        System.clearProperty(PROPERTIES[i]);
      } else {
        System.setProperty(PROPERTIES[i], saved[i]);
      }
    }
  }

  @Test
  void withAnEndpoint_noRegionAnywhere_isUsEast1_withoutAskingTheMetadataService() {
    assertEquals(Region.US_EAST_1, S3Clients.region(WITH_ENDPOINT));
    assertEquals(List.of(), asked, "requests to the EC2 metadata service");
  }

  @Test
  void withAnEndpoint_aRegionSetInTheJvm_isUsed() {
    System.setProperty("aws.region", "eu-west-3");
    assertEquals(Region.EU_WEST_3, S3Clients.region(WITH_ENDPOINT));
  }

  @Test
  void withAConfiguredRegion_thatOne() {
    System.setProperty("aws.region", "eu-west-3");
    assertEquals(
        Region.of("sa-east-1"),
        S3Clients.region(S3ClientConfig.builder().region("sa-east-1").build()));
  }

  @Test
  void withoutAnEndpoint_noRegionConfigured_isTheInstancesRegion() {
    assertEquals(Region.of("ap-south-2"), S3Clients.region(PLAIN));
    assertEquals(
        true,
        asked.stream().anyMatch(a -> a.startsWith("GET ")),
        () -> "the metadata service was asked: " + asked);
  }
}
