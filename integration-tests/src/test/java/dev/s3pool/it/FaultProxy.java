package dev.s3pool.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP proxy on 127.0.0.1 (free port) in front of one HTTP/1.1 server, injecting faults into
 * responses: cut the connection after N body bytes, stall after N body bytes, throttle, or hold the
 * response head for a while (latency per request, alone or before any of the others).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.endpoint())) {
 *   // Each distinct range of GET /bucket/key: the first 4 requests are cut after 1000 body bytes.
 *   proxy.inject(RequestKey.get("/bucket/key"), 4, Fault.cutAfter(1000));
 *   ... point the client at proxy.endpoint() ...
 *   proxy.requestsMatching(RequestKey.get("/bucket/key")); // {GET /bucket/key bytes=0-99=5, ...}
 *   // Every request from now on: 20 ms before its head, then its body at 2 MiB/s.
 *   proxy.inject(key -> true, Integer.MAX_VALUE,
 *       Fault.throttle(2 * 1024 * 1024).afterDelay(Duration.ofMillis(20)));
 * }
 * }</pre>
 *
 * <p>It understands just enough HTTP/1.1 for S3 clients: it reads each request head, makes it
 * {@code Connection: close} (so one TCP connection carries one request; the AWS SDK does not sign
 * that header), forwards it with its {@code Content-Length} body if any, and relays the response,
 * counting the body bytes after the head. Chunked request bodies are refused with 501.
 *
 * <p>Nothing can hang a build: threads are bounded, every read has a timeout, every connection is
 * closed at its deadline, and {@link #close()} closes every socket and waits a bounded time.
 */
final class FaultProxy implements AutoCloseable {

  /** Most connections relayed at once; more are refused (closed at once). */
  private static final int MAX_CONNECTIONS = 32;

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int BUFFER_BYTES = 16 * 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** Every connection is closed at this age, whatever it is doing (stalled, throttled, writing). */
  private static final Duration CONNECTION_DEADLINE = Duration.ofMinutes(2);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final ThreadPoolExecutor relays;
  private final ScheduledExecutorService deadlines;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Map<RequestKey, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<RequestKey, AtomicInteger> faults = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();

  /** Guards {@link #activeBodies}; notified when it changes. */
  private final Object bodies = new Object();

  private int activeBodies;
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.relays =
        new ThreadPoolExecutor(
            0,
            MAX_CONNECTIONS,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("fault-proxy-relay-" + listener.getLocalPort()));
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1, daemonThreads("fault-proxy-deadline-" + listener.getLocalPort()));
    scheduler.setRemoveOnCancelPolicy(true);
    this.deadlines = scheduler;
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
  }

  /** Starts a proxy in front of {@code endpoint} ({@code http://host:port}). */
  static FaultProxy start(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getPort() < 0) {
      throw new IllegalArgumentException("need http://host:port, got " + endpoint);
    }
    return start(endpoint.getHost(), endpoint.getPort());
  }

  /** Starts a proxy in front of {@code host:port}. */
  static FaultProxy start(String host, int port) {
    try {
      FaultProxy proxy = new FaultProxy(new InetSocketAddress(host, port));
      proxy.acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on 127.0.0.1", e);
    }
  }

  /** Where clients connect: {@code http://127.0.0.1:PORT}. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /**
   * From now on, the first {@code firstPerKey} requests of every distinct key matching {@code
   * which} get {@code fault}; later ones pass untouched. Rules are tried in the order they were
   * added; the first one still applying to a key wins.
   */
  void inject(Predicate<RequestKey> which, int firstPerKey, Fault fault) {
    rules.add(new Rule(which, firstPerKey, fault));
  }

  /** Removes every rule; connections already relaying keep their fault. */
  void clearRules() {
    rules.clear();
  }

  /** Requests seen with this key so far. */
  int requests(RequestKey key) {
    AtomicInteger n = requests.get(key);
    return n == null ? 0 : n.get();
  }

  /** Requests seen so far per key, for the keys matching {@code which}, sorted. */
  Map<RequestKey, Integer> requestsMatching(Predicate<RequestKey> which) {
    return snapshot(requests, which);
  }

  /**
   * Requests with this key on which a fault took effect, each counted once (a cut past the body's
   * end does not take effect; a head delay always does).
   */
  int faultsInjected(RequestKey key) {
    AtomicInteger n = faults.get(key);
    return n == null ? 0 : n.get();
  }

  /** Faults that took effect per key, for the keys matching {@code which}, sorted. */
  Map<RequestKey, Integer> faultsMatching(Predicate<RequestKey> which) {
    return snapshot(faults, which);
  }

  /** Connections now between the end of the response head and their close. */
  int activeBodies() {
    synchronized (bodies) {
      return activeBodies;
    }
  }

  /**
   * Waits until no connection is relaying a body; returns false if some still is after {@code
   * timeout}.
   */
  boolean awaitNoActiveBodies(Duration timeout) throws InterruptedException {
    return awaitActiveBodies(n -> n == 0, timeout);
  }

  /**
   * Waits until at least {@code count} connections are relaying a body at once (transfers are in
   * flight); returns false if fewer are after {@code timeout}.
   */
  boolean awaitActiveBodies(int count, Duration timeout) throws InterruptedException {
    return awaitActiveBodies(n -> n >= count, timeout);
  }

  private boolean awaitActiveBodies(java.util.function.IntPredicate done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (bodies) {
      while (!done.test(activeBodies)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(bodies, left);
      }
      return true;
    }
  }

  /** Connections refused because {@value #MAX_CONNECTIONS} were already open. */
  int refusedConnections() {
    return refused.get();
  }

  /** Stops accepting, resets every open connection, and waits (bounded) for the threads. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    for (Connection c : open) {
      c.abort();
    }
    relays.shutdownNow();
    deadlines.shutdownNow();
    try {
      acceptor.join(CLOSE_TIMEOUT.toMillis());
      if (!relays.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("fault proxy threads still running after " + CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Connection connection = new Connection(client);
      open.add(connection);
      if (closed) {
        connection.abort();
        open.remove(connection);
        return;
      }
      try {
        relays.execute(connection::run);
      } catch (RejectedExecutionException e) {
        refused.incrementAndGet();
        connection.abort();
        open.remove(connection);
      }
    }
  }

  private Fault claimFault(RequestKey key) {
    for (Rule rule : rules) {
      if (rule.claims(key)) {
        return rule.fault;
      }
    }
    return null;
  }

  private void bodyStarted() {
    synchronized (bodies) {
      activeBodies++;
      bodies.notifyAll();
    }
  }

  private void bodyEnded() {
    synchronized (bodies) {
      activeBodies--;
      bodies.notifyAll();
    }
  }

  private static Map<RequestKey, Integer> snapshot(
      Map<RequestKey, AtomicInteger> counts, Predicate<RequestKey> which) {
    Map<RequestKey, Integer> result = new TreeMap<>();
    counts.forEach(
        (key, n) -> {
          if (which.test(key)) {
            result.put(key, n.get());
          }
        });
    return result;
  }

  /**
   * What identifies a request for rules and counters.
   *
   * @param method e.g. {@code GET}
   * @param path the request target without its query, as sent (percent-encoded)
   * @param range the Range header, or "" when there is none
   */
  record RequestKey(String method, String path, String range) implements Comparable<RequestKey> {

    RequestKey {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(range, "range");
    }

    /** GETs of exactly this path, any range. */
    static Predicate<RequestKey> get(String path) {
      return key -> key.method.equals("GET") && key.path.equals(path);
    }

    /** A GET of this path with this Range header ("" for none). */
    static RequestKey get(String path, String range) {
      return new RequestKey("GET", path, range);
    }

    @Override
    public int compareTo(RequestKey other) {
      int c = path.compareTo(other.path);
      if (c == 0) {
        c = method.compareTo(other.method);
      }
      return c != 0 ? c : range.compareTo(other.range);
    }

    @Override
    public String toString() {
      return method + " " + path + (range.isEmpty() ? "" : " " + range);
    }
  }

  /**
   * What happens to a response: its head is held for {@code headDelay} (zero: relayed at once),
   * then its body gets the {@code kind} of fault. Build with the factory methods, and add a delay
   * to any of them with {@link #afterDelay}.
   */
  record Fault(Kind kind, long afterBodyBytes, long bytesPerSecond, Duration headDelay) {

    enum Kind {
      /** Relays N body bytes, then closes both connections (FIN): the body ends early. */
      CUT,
      /** Relays N body bytes, then resets both connections (RST). */
      RESET,
      /** Relays N body bytes, then relays nothing more until the client gives up. */
      STALL,
      /** Relays the whole body at a fixed rate. */
      THROTTLE,
      /** Relays the whole body as it comes; only the head delay applies. */
      DELAY
    }

    Fault {
      Objects.requireNonNull(kind, "kind");
      if (afterBodyBytes < 0) {
        throw new IllegalArgumentException("afterBodyBytes must be >= 0: " + afterBodyBytes);
      }
      if (kind == Kind.THROTTLE && bytesPerSecond <= 0) {
        throw new IllegalArgumentException("bytesPerSecond must be > 0: " + bytesPerSecond);
      }
      Objects.requireNonNull(headDelay, "headDelay");
      if (headDelay.isNegative()) {
        throw new IllegalArgumentException("headDelay must be >= 0: " + headDelay);
      }
      if (kind == Kind.DELAY && headDelay.isZero()) {
        throw new IllegalArgumentException("a DELAY needs a headDelay > 0: " + headDelay);
      }
    }

    /** A fault with no head delay, as before delays existed. */
    Fault(Kind kind, long afterBodyBytes, long bytesPerSecond) {
      this(kind, afterBodyBytes, bytesPerSecond, Duration.ZERO);
    }

    static Fault cutAfter(long bodyBytes) {
      return new Fault(Kind.CUT, bodyBytes, 0);
    }

    static Fault resetAfter(long bodyBytes) {
      return new Fault(Kind.RESET, bodyBytes, 0);
    }

    static Fault stallAfter(long bodyBytes) {
      return new Fault(Kind.STALL, bodyBytes, 0);
    }

    static Fault throttle(long bytesPerSecond) {
      return new Fault(Kind.THROTTLE, 0, bytesPerSecond);
    }

    /**
     * Holds each response head for {@code headDelay}, then relays the body untouched: latency per
     * request, as from a distant server.
     */
    static Fault delay(Duration headDelay) {
      return new Fault(Kind.DELAY, 0, 0, headDelay);
    }

    /**
     * This fault with its response head held for {@code headDelay} first, e.g. {@code
     * Fault.throttle(rate).afterDelay(Duration.ofMillis(20))}: latency per request plus a bandwidth
     * cap per connection.
     */
    Fault afterDelay(Duration headDelay) {
      return new Fault(kind, afterBodyBytes, bytesPerSecond, headDelay);
    }

    /** Body bytes relayed before the fault takes effect; all of them for a throttle or a delay. */
    long relayLimit() {
      return kind == Kind.THROTTLE || kind == Kind.DELAY ? Long.MAX_VALUE : afterBodyBytes;
    }
  }

  /** A fault for the first requests of each matching key; see {@link #inject}. */
  private static final class Rule {
    private final Predicate<RequestKey> which;
    private final int firstPerKey;
    private final Fault fault;
    private final Map<RequestKey, AtomicInteger> claimed = new ConcurrentHashMap<>();

    private Rule(Predicate<RequestKey> which, int firstPerKey, Fault fault) {
      if (firstPerKey < 0) {
        throw new IllegalArgumentException("firstPerKey must be >= 0: " + firstPerKey);
      }
      this.which = Objects.requireNonNull(which, "which");
      this.firstPerKey = firstPerKey;
      this.fault = Objects.requireNonNull(fault, "fault");
    }

    private boolean claims(RequestKey key) {
      return which.test(key)
          && claimed.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet()
              <= firstPerKey;
    }
  }

  /** A request or response head: start line and headers, in order. */
  private record Head(String startLine, List<String[]> headers) {

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    Head without(Set<String> names) {
      List<String[]> kept = new ArrayList<>();
      for (String[] h : headers) {
        if (!names.contains(h[0].toLowerCase(Locale.ROOT))) {
          kept.add(h);
        }
      }
      return new Head(startLine, kept);
    }

    Head with(String name, String value) {
      List<String[]> all = new ArrayList<>(headers);
      all.add(new String[] {name, value});
      return new Head(startLine, all);
    }

    byte[] bytes() {
      StringBuilder s = new StringBuilder(startLine).append("\r\n");
      for (String[] h : headers) {
        s.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head up to CRLFCRLF, or null at end of stream before its first byte. */
    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int matched = 0; // of "\r\n\r\n"
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          if (raw.size() == 0) {
            return null;
          }
          throw new IOException("end of stream inside a head after " + raw.size() + " bytes");
        }
        raw.write(b);
        if (raw.size() > MAX_HEAD_BYTES) {
          throw new IOException("head longer than " + MAX_HEAD_BYTES + " bytes");
        }
        matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = raw.toString(StandardCharsets.ISO_8859_1);
      String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed header line: " + lines[i]);
        }
        headers.add(
            new String[] {
              lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()
            });
      }
      return new Head(lines[0], headers);
    }
  }

  /** One client connection and its upstream connection: one request, one response. */
  private final class Connection {
    private static final Set<String> HOP_BY_HOP =
        Set.of("connection", "keep-alive", "proxy-connection", "expect");

    private final Socket client;
    private final Socket upstream = new Socket();
    private ScheduledFuture<?> deadline;
    private boolean faultCounted;

    Connection(Socket client) {
      this.client = client;
    }

    void run() {
      try {
        if (closed) {
          return;
        }
        deadline =
            deadlines.schedule(this::abort, CONNECTION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        relay();
      } catch (IOException | RuntimeException e) {
        abort(); // the other side sees the failure as a reset
      } finally {
        if (deadline != null) {
          deadline.cancel(false);
        }
        closeQuietly(client);
        closeQuietly(upstream);
        open.remove(this);
      }
    }

    private void relay() throws IOException {
      client.setSoTimeout((int) READ_TIMEOUT.toMillis());
      InputStream fromClient = new BufferedInputStream(client.getInputStream(), BUFFER_BYTES);
      OutputStream toClient = client.getOutputStream();
      Head request = Head.read(fromClient);
      if (request == null) {
        return;
      }
      String[] parts = request.startLine().split(" ", -1);
      if (parts.length != 3) {
        throw new IOException("malformed request line: " + request.startLine());
      }
      String method = parts[0];
      String path =
          parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
      String range = request.header("Range");
      RequestKey key = new RequestKey(method, path, range == null ? "" : range);
      requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (request.header("Transfer-Encoding") != null) {
        toClient.write(
            "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        toClient.flush();
        return;
      }
      long requestBody = contentLength(request);
      Fault fault = claimFault(key);

      upstream.connect(target, (int) CONNECT_TIMEOUT.toMillis());
      upstream.setSoTimeout((int) READ_TIMEOUT.toMillis());
      InputStream fromUpstream = new BufferedInputStream(upstream.getInputStream(), BUFFER_BYTES);
      OutputStream toUpstream = upstream.getOutputStream();
      toUpstream.write(request.without(HOP_BY_HOP).with("Connection", "close").bytes());
      if (requestBody > 0) {
        if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
          // The proxy answers the expectation itself and does not forward it.
          toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          toClient.flush();
        }
        long copied = copy(fromClient, toUpstream, requestBody, null);
        if (copied < requestBody) {
          throw new IOException("request body ended after " + copied + " of " + requestBody);
        }
      }
      toUpstream.flush();

      Head response = Head.read(fromUpstream);
      while (response != null && isInterim(response)) {
        toClient.write(response.bytes());
        response = Head.read(fromUpstream);
      }
      if (response == null) {
        throw new IOException("no response from " + target);
      }
      delayHead(key, fault);
      toClient.write(response.without(HOP_BY_HOP).with("Connection", "close").bytes());
      long responseBody =
          hasNoBody(method, response)
              ? 0
              : response.header("Transfer-Encoding") != null ? -1 : contentLength(response);
      if (responseBody == 0) {
        toClient.flush();
        return;
      }
      bodyStarted();
      try {
        relayBody(key, fault, fromUpstream, toClient, responseBody);
      } finally {
        bodyEnded();
      }
    }

    /** Relays {@code length} body bytes ({@code -1}: until the server closes) under the fault. */
    private void relayBody(
        RequestKey key, Fault fault, InputStream from, OutputStream to, long length)
        throws IOException {
      long limit = fault == null ? Long.MAX_VALUE : fault.relayLimit();
      long wanted = length < 0 ? limit : Math.min(length, limit);
      if (fault != null && fault.kind() == Fault.Kind.THROTTLE) {
        countFault(key);
      }
      long relayed = copy(from, to, wanted, fault);
      to.flush();
      boolean bodyLeft = length < 0 ? relayed == limit : relayed < length;
      if (fault == null || relayed < limit || !bodyLeft) {
        return; // the whole body went through, or the server ended it
      }
      countFault(key);
      switch (fault.kind()) {
        case CUT -> {
          closeQuietly(upstream);
          closeQuietly(client);
        }
        case RESET -> abort();
        case STALL -> {
          closeQuietly(upstream);
          holdUntilClientCloses();
        }
        case THROTTLE, DELAY -> throw new AssertionError(fault.kind() + " relays the whole body");
      }
    }

    /**
     * Holds the response head for the fault's head delay, which counts as the fault taking effect.
     * The server has answered already: the client sees the delay as latency before the first byte.
     */
    private void delayHead(RequestKey key, Fault fault) throws IOException {
      if (fault == null || fault.headDelay().isZero()) {
        return;
      }
      countFault(key);
      try {
        TimeUnit.NANOSECONDS.sleep(fault.headDelay().toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while delaying a response head", e);
      }
    }

    /** Keeps the client connection open, relaying nothing, until the client closes it. */
    private void holdUntilClientCloses() throws IOException {
      InputStream in = client.getInputStream();
      byte[] sink = new byte[512];
      while (!closed) {
        try {
          if (in.read(sink) < 0) {
            return; // the client closed
          }
        } catch (SocketTimeoutException e) {
          // still waiting; the connection deadline or close() ends the wait
        }
      }
    }

    /** Counts the fault on this request, once however many of its parts take effect. */
    private void countFault(RequestKey key) {
      if (!faultCounted) {
        faultCounted = true;
        faults.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }
    }

    /** Closes both sockets with a reset. */
    void abort() {
      reset(client);
      reset(upstream);
    }
  }

  private static boolean isInterim(Head response) {
    String status = statusCode(response);
    return status.startsWith("1") && !status.equals("101");
  }

  private static boolean hasNoBody(String method, Head response) {
    String status = statusCode(response);
    return method.equals("HEAD")
        || status.startsWith("1")
        || status.equals("204")
        || status.equals("304");
  }

  private static String statusCode(Head response) {
    String[] parts = response.startLine().split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IllegalStateException("malformed status line: " + response.startLine());
    }
    return parts[1];
  }

  /**
   * The Content-Length, or -1 when absent. A response body without one (or chunked) is relayed as
   * it comes until the server closes, which it does after one response: the proxy asked for {@code
   * Connection: close}.
   */
  private static long contentLength(Head head) throws IOException {
    String value = head.header("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw new IOException("negative Content-Length: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + value, e);
    }
  }

  /**
   * Copies up to {@code max} bytes, fewer if the input ends; paced when {@code fault} throttles.
   * Returns the bytes copied.
   */
  private static long copy(InputStream from, OutputStream to, long max, Fault fault)
      throws IOException {
    long rate = fault != null && fault.kind() == Fault.Kind.THROTTLE ? fault.bytesPerSecond() : 0;
    // A throttled body goes in slices of about 1/20 s, so that the rate holds over short spans.
    int slice = rate > 0 ? (int) Math.max(1, Math.min(BUFFER_BYTES, rate / 20)) : BUFFER_BYTES;
    byte[] buffer = new byte[slice];
    long start = System.nanoTime();
    long copied = 0;
    while (copied < max) {
      int n = from.read(buffer, 0, (int) Math.min(buffer.length, max - copied));
      if (n < 0) {
        break;
      }
      to.write(buffer, 0, n);
      copied += n;
      if (rate > 0) {
        to.flush();
        pace(start, copied, rate);
      }
    }
    return copied;
  }

  /** Sleeps until {@code copied} bytes are due at {@code rate} bytes per second from start. */
  private static void pace(long start, long copied, long rate) throws IOException {
    long due = start + (long) (copied * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while throttling", e);
      }
    }
  }

  private static void reset(Socket socket) {
    try {
      if (!socket.isClosed()) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      // not connected yet, or already gone: closing is all that is left
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing on a failure path: nothing to add
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
