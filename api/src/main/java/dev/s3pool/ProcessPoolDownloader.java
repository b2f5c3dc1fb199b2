package dev.s3pool;

import dev.s3pool.internal.DefaultTransferFuture;
import dev.s3pool.internal.DownloaderClient;
import dev.s3pool.spi.Fleet;
import dev.s3pool.spi.FleetFactory;
import dev.s3pool.spi.FleetSettings;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.ExtraArgs;
import dev.s3pool.wire.TempPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads S3 objects by splitting them into ranged GETs that worker JVMs execute, coordinated
 * through an ActiveMQ Artemis broker. The Java counterpart of s3transfer's {@code
 * ProcessPoolDownloader}.
 *
 * <pre>{@code
 * try (ProcessPoolDownloader downloader = new ProcessPoolDownloader()) {
 *   TransferFuture future = downloader.downloadFile("my-bucket", "data.csv", Path.of("/tmp/data.csv"));
 *   future.result(); // blocks until complete; throws on failure
 * }
 * }</pre>
 *
 * <p>With the embedded default the broker runs inside this JVM, and the submitter and worker JVMs
 * are started on the first download and stopped by {@link #shutdown()}. {@code downloadFile}
 * validates its arguments at once and returns without waiting; the transfer runs in the background.
 */
public final class ProcessPoolDownloader implements AutoCloseable {

  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(10);

  /** A transfer nothing was heard of for this long is asked about again. */
  private static final Duration QUIET = Duration.ofSeconds(5);

  /** How long a second caller of stop() waits for the first: children get 10 s, then are killed. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final S3ClientConfig clientConfig;
  private final ProcessTransferConfig config;
  private final int workerProcesses;
  private final List<String> childJvmOptions;
  private final FleetFactory fleetFactory;
  private final FleetSettings.RemoteBroker remoteBroker;
  private final Object lock = new Object();
  private final ExecutorService callbacks;
  private final ScheduledExecutorService watchdog;

  private Fleet fleet;
  private DownloaderClient client;
  private Thread interruptHook;
  private boolean shutdown;
  private boolean stopped;
  private final CountDownLatch stopDone = new CountDownLatch(1);

  /** The embedded default: AWS defaults for the client, the reference's transfer defaults. */
  public ProcessPoolDownloader() {
    this(builder());
  }

  private ProcessPoolDownloader(Builder b) {
    this.clientConfig = b.clientConfig;
    this.config = b.config;
    this.workerProcesses =
        b.workerProcesses != null
            ? b.workerProcesses
            : Math.min(Builder.DEFAULT_WORKER_PROCESSES, config.maxRequestProcesses());
    this.childJvmOptions = List.copyOf(b.childJvmOptions);
    this.fleetFactory = b.fleetFactory;
    this.remoteBroker = b.remoteBroker;
    this.callbacks = Executors.newCachedThreadPool(daemonThreads("s3pool-callbacks"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemonThreads("s3pool-watchdog"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Downloads {@code bucket/key} to {@code filename}; see the five-argument form. */
  public TransferFuture downloadFile(String bucket, String key, Path filename) {
    return downloadFile(bucket, key, filename, Map.of(), null);
  }

  /**
   * Downloads {@code bucket/key} to {@code filename}. The file appears only once complete; on
   * failure or cancel it is left untouched.
   *
   * @param extraArgs extra arguments for GetObject/HeadObject, names from {@link
   *     ExtraArgs#ALLOWED}; may be null
   * @param expectedSize the object's size in bytes when known (all parts are then requested at
   *     once, without waiting for the first to tell the size), or null
   * @throws NullPointerException when bucket, key or filename is null
   * @throws IllegalArgumentException when bucket or key is blank, an extra argument is unknown, or
   *     expectedSize is negative
   * @throws IllegalStateException after {@link #shutdown()}
   */
  public TransferFuture downloadFile(
      String bucket, String key, Path filename, Map<String, String> extraArgs, Long expectedSize) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(filename, "filename");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("bucket must not be blank: '" + bucket + "'");
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank: '" + key + "'");
    }
    Map<String, String> args = extraArgs == null ? Map.of() : extraArgs;
    ExtraArgs.validate(args);
    if (expectedSize != null && expectedSize < 0) {
      throw new IllegalArgumentException("expectedSize must be >= 0: " + expectedSize);
    }
    Path target = filename.toAbsolutePath().normalize();
    CallArgs callArgs = new CallArgs(bucket, key, target, args, expectedSize);
    TransferId id = TransferId.random();
    DownloaderClient started;
    DefaultTransferFuture future;
    synchronized (lock) {
      if (shutdown) {
        throw new IllegalStateException("ProcessPoolDownloader is shut down");
      }
      try {
        started = startIfNeeded();
      } catch (RuntimeException e) {
        DefaultTransferFuture failed = new DefaultTransferFuture(callArgs, id, ignored -> {});
        failed.fail(
            new S3TransferException("could not start s3pool: " + e.getMessage(), 0, null, null, e));
        return failed;
      }
      future = new DefaultTransferFuture(callArgs, id, started::cancel);
    }
    started.submit(
        future,
        new DownloadFileRequest(id, bucket, key, target.toString(), args, expectedSize, null));
    return future;
  }

  /**
   * Waits for every transfer to finish, then stops the worker JVMs, the submitter and the broker.
   * If the calling thread is interrupted while waiting, transfers still running are cancelled.
   * Futures keep their results afterwards.
   */
  public void shutdown() {
    DownloaderClient running;
    synchronized (lock) {
      shutdown = true;
      running = stopped ? null : client;
    }
    if (running != null) {
      try {
        awaitAll(running, null);
      } catch (InterruptedException e) {
        cancelAll(running);
        Thread.currentThread().interrupt();
      }
    }
    stop();
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  /** The child JVMs (submitter and workers) this downloader started; empty before the first use. */
  public List<ProcessHandle> childProcesses() {
    synchronized (lock) {
      return fleet == null ? List.of() : fleet.processes();
    }
  }

  private DownloaderClient startIfNeeded() {
    if (client != null) {
      return client;
    }
    FleetFactory factory = fleetFactory != null ? fleetFactory : loadFleetFactory();
    Fleet started =
        factory.start(
            new FleetSettings(
                clientConfig, config, workerProcesses, childJvmOptions, remoteBroker));
    try {
      client = new DownloaderClient(started.connectionFactory(), callbacks);
    } catch (Exception e) {
      started.close();
      throw new IllegalStateException("could not connect to the s3pool broker: " + e, e);
    }
    fleet = started;
    started.onTransfersLost(this::loseInFlight);
    var unused = watchdog.scheduleWithFixedDelay(this::checkFleet, 500, 500, TimeUnit.MILLISECONDS);
    interruptHook = new Thread(this::onJvmExit, "s3pool-interrupt");
    Runtime.getRuntime().addShutdownHook(interruptHook);
    return client;
  }

  private static FleetFactory loadFleetFactory() {
    return ServiceLoader.load(FleetFactory.class)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no s3pool FleetFactory on the classpath: add dev.s3pool:s3pool-broker"));
  }

  /**
   * Every half second: fails every outstanding future once the fleet can no longer finish them, and
   * asks again about transfers that went quiet.
   */
  private void checkFleet() {
    Fleet f;
    DownloaderClient c;
    synchronized (lock) {
      f = fleet;
      c = client;
    }
    String failure = f == null ? null : f.failure();
    if (failure != null) {
      loseInFlight("s3pool fleet failed: " + failure);
    } else if (c != null) {
      c.queryQuiet(QUIET);
    }
  }

  /**
   * Ends every transfer in flight with {@code reason}: asks for its cancel (so that a restarted
   * submitter drops a redelivered request), removes its temporary file, fails its future.
   */
  private void loseInFlight(String reason) {
    DownloaderClient c;
    synchronized (lock) {
      c = client;
    }
    if (c == null) {
      return;
    }
    for (DefaultTransferFuture future : c.inFlight()) {
      TransferId id = future.meta().transferId();
      c.cancel(id);
      Path temp = TempPaths.tempPath(future.meta().callArgs().filename(), id);
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // the failure below names the transfer; the file is beside its target
      }
      c.fail(
          id,
          new S3TransferException(reason + "; transfer " + id + " was lost", 0, null, null, null));
    }
  }

  /** Ctrl-C or System.exit while transfers run: cancel them, clean up, stop the children. */
  private void onJvmExit() {
    DownloaderClient running;
    synchronized (lock) {
      running = stopped ? null : client;
    }
    if (running != null && !running.inFlight().isEmpty()) {
      cancelAll(running);
    }
    stop(); // or, if another thread is stopping, waits for it: the JVM must not exit before
  }

  private void cancelAll(DownloaderClient running) {
    List<DefaultTransferFuture> inFlight = running.inFlight();
    for (DefaultTransferFuture f : inFlight) {
      f.cancel();
    }
    try {
      awaitAll(running, INTERRUPT_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (DefaultTransferFuture f : running.inFlight()) {
      running.fail(
          f.meta().transferId(),
          new TransferCancelledException("transfer " + f.meta().transferId() + " was cancelled"));
    }
  }

  private static void awaitAll(DownloaderClient running, Duration limit)
      throws InterruptedException {
    long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (DefaultTransferFuture f : running.inFlight()) {
      pending.add(f.outcome());
    }
    for (CompletableFuture<Void> f : pending) {
      try {
        if (limit == null) {
          f.handle((ok, e) -> null).get();
        } else {
          long left = deadline - System.nanoTime();
          f.handle((ok, e) -> null).get(Math.max(0, left), TimeUnit.NANOSECONDS);
        }
      } catch (ExecutionException | TimeoutException e) {
        return;
      }
    }
  }

  /**
   * Stops the client, the child JVMs and the broker, once. A second caller waits until the first
   * has finished: the JVM's exit must not cut a stop short and leave child JVMs behind.
   */
  private void stop() {
    Fleet f;
    DownloaderClient c;
    Thread hook;
    boolean stopping;
    synchronized (lock) {
      stopping = stopped;
      stopped = true;
      shutdown = true;
      f = fleet;
      c = client;
      hook = interruptHook;
    }
    if (stopping) {
      awaitStopped();
      return;
    }
    try {
      watchdog.shutdownNow();
      if (c != null) {
        c.close();
      }
      if (f != null) {
        f.close();
      }
      if (hook != null && Thread.currentThread() != hook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is already exiting; the hook runs or has run
        }
      }
      callbacks.shutdown();
    } finally {
      stopDone.countDown();
    }
  }

  private void awaitStopped() {
    try {
      if (!stopDone.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("s3pool did not stop within " + STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link ProcessPoolDownloader}. */
  public static final class Builder {
    static final int DEFAULT_WORKER_PROCESSES = 1;

    private S3ClientConfig clientConfig = S3ClientConfig.defaults();
    private ProcessTransferConfig config = ProcessTransferConfig.defaults();
    private Integer workerProcesses;
    private List<String> childJvmOptions = List.of();
    private FleetFactory fleetFactory;
    private FleetSettings.RemoteBroker remoteBroker;

    private Builder() {}

    /**
     * Uses a running fleet ({@code s3pool broker}, {@code submitter}, {@code worker}) at {@code
     * url} instead of the embedded default; nothing is started. Workers must see the target
     * filesystem, and a submitter with a download root writes only below it.
     *
     * <pre>{@code
     * ProcessPoolDownloader.builder().brokerUrl("tcp://broker-host:61616", "s3pool", password)
     * }</pre>
     *
     * @param user the broker user, or null for a broker without credentials
     * @param password the password, or null
     */
    public Builder brokerUrl(String url, String user, String password) {
      this.remoteBroker = new FleetSettings.RemoteBroker(url, user, password);
      return this;
    }

    /** {@link #brokerUrl(String, String, String)} for a broker without credentials. */
    public Builder brokerUrl(String url) {
      return brokerUrl(url, null, null);
    }

    /** How child JVMs build their S3 clients (the reference's client_kwargs). */
    public Builder clientConfig(S3ClientConfig clientConfig) {
      this.clientConfig = Objects.requireNonNull(clientConfig, "clientConfig");
      return this;
    }

    /** Split sizes and concurrency. */
    public Builder config(ProcessTransferConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * How many worker JVMs the embedded default starts (default 1, at most maxRequestProcesses);
     * maxRequestProcesses range requests are spread over them as threads. One JVM with threads is
     * the fastest on a small machine (each extra JVM compiles the same code again); more JVMs pay
     * off when one process cannot keep up, e.g. many cores or a slow store.
     */
    public Builder workerProcesses(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("workerProcesses must be > 0: " + count);
      }
      this.workerProcesses = count;
      return this;
    }

    /** Extra JVM options for every child JVM (heap size, GC); never put secrets here. */
    public Builder childJvmOptions(List<String> options) {
      this.childJvmOptions = List.copyOf(options);
      return this;
    }

    /**
     * Where the broker and child JVMs come from; default: the embedded broker via ServiceLoader.
     */
    public Builder fleetFactory(FleetFactory factory) {
      this.fleetFactory = Objects.requireNonNull(factory, "fleetFactory");
      return this;
    }

    public ProcessPoolDownloader build() {
      if (workerProcesses != null && workerProcesses > config.maxRequestProcesses()) {
        throw new IllegalArgumentException(
            "workerProcesses must be <= maxRequestProcesses ("
                + config.maxRequestProcesses()
                + "): "
                + workerProcesses);
      }
      return new ProcessPoolDownloader(this);
    }
  }
}
