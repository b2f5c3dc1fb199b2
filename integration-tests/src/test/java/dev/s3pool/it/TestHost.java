package dev.s3pool.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A test host of our own: a network namespace joined to this one by a veth pair, as a remote
 * machine would be by a network. The link uses a /30 from 10.213.0.0/16 that exists only between
 * this namespace and that one. Needs root and iproute2; {@link #create(List)} is empty elsewhere.
 */
final class TestHost implements AutoCloseable {

  private final String namespace;
  private final String hostAddress;
  private final String guestAddress;

  private TestHost(String namespace, String hostAddress, String guestAddress) {
    this.namespace = namespace;
    this.hostAddress = hostAddress;
    this.guestAddress = guestAddress;
  }

  /** A new test host, or empty with the reason when this machine cannot make one. */
  static Optional<TestHost> create(List<String> whyNot) {
    String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    int subnet = ThreadLocalRandom.current().nextInt(0, 64) * 4;
    int third = ThreadLocalRandom.current().nextInt(0, 256);
    String namespace = "s3pool-it-" + tag;
    String hostSide = "s3h" + tag;
    String guestSide = "s3g" + tag;
    String host = "10.213." + third + "." + (subnet + 1);
    String guest = "10.213." + third + "." + (subnet + 2);
    List<List<String>> steps =
        List.of(
            List.of("ip", "netns", "add", namespace),
            List.of("ip", "link", "add", hostSide, "type", "veth", "peer", "name", guestSide),
            List.of("ip", "link", "set", guestSide, "netns", namespace),
            List.of("ip", "addr", "add", host + "/30", "dev", hostSide),
            List.of("ip", "link", "set", hostSide, "up"),
            List.of(
                "ip",
                "netns",
                "exec",
                namespace,
                "ip",
                "addr",
                "add",
                guest + "/30",
                "dev",
                guestSide),
            List.of("ip", "netns", "exec", namespace, "ip", "link", "set", guestSide, "up"),
            List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"));
    TestHost made = new TestHost(namespace, host, guest);
    for (List<String> step : steps) {
      String failure = run(step);
      if (failure != null) {
        whyNot.add(String.join(" ", step) + ": " + failure);
        made.close();
        return Optional.empty();
      }
    }
    return Optional.of(made);
  }

  /** This namespace's end of the link: where servers for the test host listen. */
  String hostAddress() {
    return hostAddress;
  }

  String guestAddress() {
    return guestAddress;
  }

  /** {@code command} run inside the test host. */
  List<String> inside(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    wrapped.addAll(command);
    return wrapped;
  }

  /** True when {@code process} runs in another network namespace than this JVM. */
  static boolean inOtherNetworkNamespace(ProcessHandle process) throws IOException {
    Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
    Path theirs = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "ns/net"));
    return !ours.equals(theirs);
  }

  @Override
  public void close() {
    // Deleting the namespace deletes its end of the veth pair, and with it the other end.
    run(List.of("ip", "netns", "del", namespace));
  }

  /** Null when {@code command} succeeded, else what it said. */
  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      String output =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
