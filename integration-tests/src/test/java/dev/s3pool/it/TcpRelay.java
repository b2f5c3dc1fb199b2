package dev.s3pool.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain TCP relay from 127.0.0.1 (a free port) to one local port, that can cut its clients off as
 * a network outage between them and the target would: {@link #cutOff()} closes every relayed
 * connection and stops listening, so that reconnecting clients are refused, until {@link
 * #restore()} listens on the same port again.
 *
 * <pre>{@code
 * TcpRelay relay = TcpRelay.start(brokerPort); // clients connect to relay.port()
 * relay.cutOff();  // the clients behind it lose the broker, others do not
 * relay.restore(); // they can connect again
 * relay.close();
 * }</pre>
 */
final class TcpRelay implements AutoCloseable {

  private final int port;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket listener;

  private TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = listen(0);
    this.port = listener.getLocalPort();
  }

  static TcpRelay start(int targetPort) {
    try {
      TcpRelay relay = new TcpRelay(targetPort);
      relay.acceptOn(relay.listener);
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  /** Closes every relayed connection and stops listening: connecting is refused. */
  synchronized void cutOff() {
    closeQuietly(listener);
    open.forEach(TcpRelay::closeQuietly);
  }

  /** Listens on the same port again. */
  synchronized void restore() {
    try {
      listener = listen(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " again", e);
    }
    acceptOn(listener);
  }

  @Override
  public synchronized void close() {
    cutOff();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return socket;
  }

  private void acceptOn(ServerSocket socket) {
    daemon(
        () -> {
          while (true) {
            Socket client;
            try {
              client = socket.accept();
            } catch (IOException e) {
              return; // closed: cut off
            }
            try {
              Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
              open.add(client);
              open.add(target);
              daemon(() -> pump(client, target), "tcp-relay-up");
              daemon(() -> pump(target, client), "tcp-relay-down");
            } catch (IOException e) {
              closeQuietly(client);
            }
          }
        },
        "tcp-relay-accept-" + port);
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or was cut off: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
