package dev.s3pool.internal;

import dev.s3pool.S3TransferException;
import dev.s3pool.TransferId;
import dev.s3pool.wire.CancelTransfer;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.DownloadFileRequest;
import dev.s3pool.wire.MalformedMessageException;
import dev.s3pool.wire.QueryTransfer;
import dev.s3pool.wire.TransferUpdate;
import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The downloader's JMS side: sends requests and cancels, mirrors the monitor records of its own
 * transfers (selected by clientId) and completes their futures.
 */
public final class DownloaderClient implements AutoCloseable {

  private final String clientId = UUID.randomUUID().toString();
  private final Connection connection;
  private final Session sendSession;
  private final MessageProducer requests;
  private final Session monitorSession;
  private final MessageConsumer monitor;
  private final Executor callbacks;
  private final Map<TransferId, DefaultTransferFuture> transfers = new ConcurrentHashMap<>();

  public DownloaderClient(ConnectionFactory factory, Executor callbacks) throws JMSException {
    this.callbacks = callbacks;
    this.connection = factory.createConnection();
    try {
      sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      requests =
          sendSession.createProducer(sendSession.createQueue(Destinations.DOWNLOAD_REQUESTS));
      monitorSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      monitor =
          monitorSession.createConsumer(
              monitorSession.createTopic(Destinations.MONITOR),
              WireCodec.CLIENT_ID_PROPERTY + " = '" + clientId + "'");
      monitor.setMessageListener(this::onMonitorMessage);
      connection.start();
    } catch (JMSException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Registers the future, then sends its request; a send failure fails the future. */
  public void submit(DefaultTransferFuture future, DownloadFileRequest request) {
    transfers.put(future.meta().transferId(), future);
    try {
      send(
          new DownloadFileRequest(
              request.transferId(),
              request.bucket(),
              request.key(),
              request.filename(),
              request.extraArgs(),
              request.expectedSize(),
              clientId));
    } catch (JMSException | RuntimeException e) {
      transfers.remove(future.meta().transferId());
      future.fail(new S3TransferException("could not send the download request: " + e));
    }
  }

  /** Asks the submitter to cancel; the future completes when it reports back. */
  public void cancel(TransferId id) {
    if (!transfers.containsKey(id)) {
      return;
    }
    try {
      send(new CancelTransfer(id));
    } catch (JMSException | RuntimeException e) {
      fail(id, new S3TransferException("could not send the cancel request: " + e));
    }
  }

  /**
   * Asks the submitter again about transfers nothing was heard of for {@code quiet}. An update
   * published while this client was reconnecting (a broker restart) reached nobody; the answer
   * repeats it. A query queues behind its transfer's request, which this client sent earlier on the
   * same queue, so a submitter that reads it has seen the request: if it has no record of the
   * transfer, the submitter that held it died (or the broker lost the request), and the answer
   * fails the transfer. While no submitter runs, queries wait in the queue like requests.
   */
  public void queryQuiet(Duration quiet) {
    for (DefaultTransferFuture future : transfers.values()) {
      if (future.quietFor(quiet.toNanos())) {
        try {
          send(
              new QueryTransfer(
                  future.meta().transferId(),
                  clientId,
                  future.meta().callArgs().filename().toString()));
        } catch (JMSException | RuntimeException e) {
          return; // the broker is away; the next round asks again
        }
      }
    }
  }

  /** Transfers not yet done. */
  public List<DefaultTransferFuture> inFlight() {
    return new ArrayList<>(transfers.values());
  }

  /** Fails one transfer locally. */
  public void fail(TransferId id, RuntimeException error) {
    DefaultTransferFuture f = transfers.remove(id);
    if (f != null) {
      callbacks.execute(() -> f.fail(error));
    }
  }

  private void send(WireMessage message) throws JMSException {
    synchronized (sendSession) {
      requests.send(WireCodec.encode(sendSession, message));
    }
  }

  private void onMonitorMessage(Message message) {
    WireMessage decoded;
    try {
      decoded = WireCodec.decode(message);
    } catch (MalformedMessageException e) {
      return; // not ours to judge; the selector already limits this to our transfers
    }
    if (decoded instanceof TransferUpdate update) {
      DefaultTransferFuture f =
          update.status().isDone()
              ? transfers.remove(update.transferId())
              : transfers.get(update.transferId());
      if (f != null) {
        if (update.status().isDone()) {
          callbacks.execute(() -> f.apply(update));
        } else {
          f.apply(update);
        }
      }
    }
  }

  public String clientId() {
    return clientId;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (JMSException e) {
      // closing; nothing left to do with the broker
    }
  }
}
