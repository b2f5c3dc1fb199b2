package dev.s3pool.submitter;

import dev.s3pool.TransferId;
import dev.s3pool.wire.Destinations;
import dev.s3pool.wire.ErrorKind;
import dev.s3pool.wire.GetObjectJob;
import dev.s3pool.wire.TransferError;
import dev.s3pool.wire.TransferStatus;
import dev.s3pool.wire.TransferUpdate;
import dev.s3pool.wire.WireCodec;
import dev.s3pool.wire.WireMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends from one thread's transacted session: what is sent goes out when that thread commits, in
 * the same transaction as the messages it is handling.
 */
final class Outbox {

  /** The most small jobs one job message holds. */
  static final int MAX_JOBS_PER_MESSAGE = 8;

  private final Session session;
  private final MessageProducer producer;
  private final Destination jobs;
  private final Destination monitor;
  private final Destination deadLetter;
  private final List<GetObjectJob> held = new ArrayList<>();

  Outbox(Session session) throws JMSException {
    this.session = session;
    this.producer = session.createProducer(null);
    this.jobs = session.createQueue(Destinations.WORKER_JOBS);
    this.monitor = session.createTopic(Destinations.MONITOR);
    this.deadLetter = session.createQueue(Destinations.DEAD_LETTER);
  }

  void sendJob(WireMessage job) throws JMSException {
    producer.send(jobs, WireCodec.encode(session, job));
  }

  /** Holds a small job until {@link #sendHeldJobs}, which may send it together with others. */
  void holdJob(GetObjectJob job) {
    held.add(job);
  }

  /**
   * Sends the held jobs, at most {@value #MAX_JOBS_PER_MESSAGE} to a message and spread evenly over
   * as few messages as that allows: the jobs of small objects then cost fewer messages and commits
   * than objects, at the broker, the workers and the coordinator.
   */
  void sendHeldJobs() throws JMSException {
    int messages = (held.size() + MAX_JOBS_PER_MESSAGE - 1) / MAX_JOBS_PER_MESSAGE;
    int from = 0;
    for (int i = 0; i < messages; i++) {
      int to = from + (held.size() - from) / (messages - i);
      producer.send(jobs, WireCodec.encodeAll(session, held.subList(from, to)));
      from = to;
    }
    held.clear();
  }

  /** Forgets the held jobs: the transaction they belonged to was rolled back. */
  void dropHeldJobs() {
    held.clear();
  }

  /**
   * Publishes a transfer's state on the monitor topic (tagged with the asking client's id for its
   * selector) and, once it is done, replies to the request's JMSReplyTo.
   */
  void publish(TransferUpdate update, String clientId, Destination replyTo, String correlationId)
      throws JMSException {
    Message m = WireCodec.encode(session, update);
    if (clientId != null) {
      m.setStringProperty(WireCodec.CLIENT_ID_PROPERTY, clientId);
    }
    producer.send(monitor, m);
    if (replyTo != null && update.status().isDone()) {
      Message reply = WireCodec.encode(session, update);
      reply.setJMSCorrelationID(correlationId);
      producer.send(replyTo, reply);
    }
  }

  /**
   * Refuses a message that breaks the wire contract: an INVALID_REQUEST reply on its JMSReplyTo
   * when it has one, else the message itself onto the dead-letter queue.
   */
  void reject(Message original, String reason) throws JMSException {
    Destination replyTo = original.getJMSReplyTo();
    if (replyTo == null) {
      producer.send(deadLetter, original);
      return;
    }
    String id = original.getStringProperty(WireCodec.TRANSFER_ID_PROPERTY);
    TransferUpdate refusal =
        new TransferUpdate(
            new TransferId(id == null || id.isBlank() ? "invalid-request" : id),
            TransferStatus.FAILED,
            -1,
            0,
            0,
            0,
            TransferError.of(ErrorKind.INVALID_REQUEST, reason));
    Message reply = WireCodec.encode(session, refusal);
    reply.setJMSCorrelationID(correlationId(original));
    producer.send(replyTo, reply);
  }

  /** The correlation id a reply to {@code request} carries: its own, else its message id. */
  static String correlationId(Message request) throws JMSException {
    return request.getJMSCorrelationID() != null
        ? request.getJMSCorrelationID()
        : request.getJMSMessageID();
  }

  void publish(TransferRecord record) throws JMSException {
    publish(record.update(), record.clientId, record.replyTo, record.correlationId);
  }
}
