package dev.s3pool.wire;

import static dev.s3pool.wire.ArtemisMessages.withItem;
import static dev.s3pool.wire.ArtemisMessages.withProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.s3pool.TransferId;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class WireCodecTest {

  private static final TransferId ID = new TransferId("0f8fad5b-d9cb-469f-a165-70867728950e");

  private static final TransferError FULL_ERROR =
      new TransferError(
          ErrorKind.RETRIES_EXCEEDED,
          503,
          "SlowDown",
          "GetObject",
          "part 3 failed after 5 attempts",
          "java.net.SocketTimeoutException",
          "Read timed out");

  static Stream<WireMessage> everyMessageType() {
    return Stream.of(
        new DownloadFileRequest(ID, "bucket", "dir/key.bin", "/data/key.bin", Map.of(), null, null),
        new DownloadFileRequest(
            ID,
            "bucket",
            "dir/key.bin",
            "/data/key.bin",
            Map.of("VersionId", "v7", "RequestPayer", "requester"),
            42L,
            "client-1"),
        new CancelTransfer(ID),
        new QueryTransfer(ID, "client-7", null),
        new QueryTransfer(ID, "client-7", "/data/a b.bin"),
        new GetObjectJob(
            ID,
            "bucket",
            "key",
            "/data/key.bin.x1",
            "/data/key.bin",
            0,
            1,
            0,
            100,
            100,
            null,
            null,
            Map.of()),
        new GetObjectJob(
            ID,
            "bucket",
            "key",
            "/data/key.bin.x1",
            "/data/key.bin",
            2,
            3,
            16_777_216L,
            5_000_000L,
            21_777_216L,
            "bytes=16777216-",
            "\"9b2cf535f27731c974343645a3985328\"",
            Map.of("SSECustomerAlgorithm", "AES256")),
        new JobCompleted(ID, 4, 8_388_608L, "\"9b2cf535f27731c974343645a3985328\"", "worker-2"),
        new JobCompleted(ID, 0, 0, null, null),
        new JobCompleted(ID, 0, 10, 123_456_789_012L, "\"e\"", "worker-1"),
        new SizeLearned(ID, 1_073_741_824L, 8_388_608L, "\"e\"", "worker-1"),
        new SizeLearned(ID, 10, 0, null, null),
        new JobFailed(ID, 3, FULL_ERROR, "worker-1"),
        new JobFailed(ID, 0, TransferError.of(ErrorKind.LOCAL_IO, "disk full"), null),
        new TransferUpdate(ID, TransferStatus.IN_PROGRESS, -1, 0, 0, 0, null),
        new TransferUpdate(ID, TransferStatus.IN_PROGRESS, 20_000_000L, 8_388_608L, 3, 1, null),
        new TransferUpdate(ID, TransferStatus.SUCCEEDED, 20_000_000L, 20_000_000L, 3, 3, null),
        new TransferUpdate(
            ID,
            TransferStatus.FAILED,
            -1,
            0,
            0,
            0,
            TransferError.service(404, null, "HeadObject", "Not Found")),
        new TransferUpdate(
            ID,
            TransferStatus.CANCELLED,
            100,
            50,
            2,
            1,
            TransferError.of(ErrorKind.CANCELLED, "transfer was cancelled")));
  }

  @ParameterizedTest
  @MethodSource("everyMessageType")
  void encodeDecode_everyMessageType_roundTripsToEqualRecord(WireMessage message)
      throws JMSException {
    assertEquals(message, WireCodec.decode(encode(message)));
  }

  @ParameterizedTest
  @MethodSource("everyMessageType")
  void encode_everyMessageType_setsVersionTypeAndTransferIdProperties(WireMessage message)
      throws JMSException {
    MapMessage encoded = encode(message);

    assertEquals(1, encoded.getIntProperty("s3poolVersion"));
    assertEquals(message.getClass().getSimpleName(), encoded.getStringProperty("s3poolType"));
    assertEquals(ID.value(), encoded.getStringProperty("transferId"));
  }

  @ParameterizedTest
  @EnumSource(TransferStatus.class)
  void encodeDecode_transferUpdateOfEachStatus_roundTrips(TransferStatus status)
      throws JMSException {
    TransferError error =
        status == TransferStatus.FAILED || status == TransferStatus.CANCELLED ? FULL_ERROR : null;
    TransferUpdate update = new TransferUpdate(ID, status, 1000, 500, 4, 2, error);

    assertEquals(update, WireCodec.decode(encode(update)));
  }

  @Test
  void encode_extraArgsAndError_useDocumentedItemNames() throws JMSException {
    MapMessage request =
        encode(
            new DownloadFileRequest(
                ID, "b", "k", "/f", Map.of("ChecksumMode", "ENABLED"), 7L, null));
    MapMessage failed = encode(new JobFailed(ID, 0, FULL_ERROR, "w"));

    assertEquals("ENABLED", request.getString("extraArgs.ChecksumMode"));
    assertEquals("RETRIES_EXCEEDED", failed.getString("error.kind"));
    assertEquals(503, failed.getInt("error.statusCode"));
    assertEquals("java.net.SocketTimeoutException", failed.getString("error.causeType"));
  }

  @Test
  void decode_expectedSizeAsNumericString_isAccepted() throws JMSException {
    Message message = withItem(encode(request()), "expectedSize", "42");

    DownloadFileRequest decoded = (DownloadFileRequest) WireCodec.decode(message);

    assertEquals(42L, decoded.expectedSize());
  }

  @Test
  void decode_versionAsString_isAccepted() throws JMSException {
    Message message = withProperty(encode(request()), "s3poolVersion", "1");

    assertEquals(request(), WireCodec.decode(message));
  }

  @Test
  void decode_transferIdOnlyInBody_isAccepted() throws JMSException {
    Message message = withProperty(encode(new CancelTransfer(ID)), "transferId", null);

    assertEquals(new CancelTransfer(ID), WireCodec.decode(message));
  }

  @Test
  void decode_notAMapMessage_saysMapMessagesExpected() {
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class, () -> WireCodec.decode(ArtemisMessages.textMessage()));

    assertTrue(e.getMessage().contains("MapMessage"), e.getMessage());
  }

  @Test
  void decode_null_saysGotNull() {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> WireCodec.decode(null));

    assertTrue(e.getMessage().contains("got null"), e.getMessage());
  }

  @Test
  void decode_missingVersion_namesTheProperty() throws JMSException {
    Message message = withProperty(encode(request()), "s3poolVersion", null);

    assertMalformed(message, "missing property s3poolVersion");
  }

  @Test
  void decode_version2_isRefusedNamingTheVersion() throws JMSException {
    Message message = withProperty(encode(request()), "s3poolVersion", 2);

    assertMalformed(message, "unsupported s3poolVersion 2");
  }

  @Test
  void decode_missingType_namesTheProperty() throws JMSException {
    Message message = withProperty(encode(request()), "s3poolType", null);

    assertMalformed(message, "missing property s3poolType");
  }

  @Test
  void decode_unknownType_namesTheType() throws JMSException {
    Message message = withProperty(encode(request()), "s3poolType", "UploadFileRequest");

    assertMalformed(message, "unknown s3poolType 'UploadFileRequest'");
  }

  @Test
  void decode_missingTransferId_saysSo() throws JMSException {
    MapMessage noProperty = withProperty(encode(new CancelTransfer(ID)), "transferId", null);
    Message message = withItem(noProperty, "transferId", null);

    assertMalformed(message, "missing transferId");
  }

  @Test
  void decode_missingBucket_namesTheField() throws JMSException {
    Message message = withItem(encode(request()), "bucket", null);

    assertMalformed(message, "missing field bucket");
  }

  @Test
  void decode_missingPartCount_namesTheField() throws JMSException {
    Message message = withItem(encode(job()), "partCount", null);

    assertMalformed(message, "missing field partCount");
  }

  @Test
  void decode_missingErrorMessage_namesTheField() throws JMSException {
    Message message =
        withItem(encode(new JobFailed(ID, 1, FULL_ERROR, "w")), "error.message", null);

    assertMalformed(message, "missing field error.message");
  }

  @Test
  void decode_failedUpdateWithoutError_namesTheError() throws JMSException {
    MapMessage message =
        encode(
            new TransferUpdate(
                ID, TransferStatus.FAILED, 0, 0, 0, 0, TransferError.of(ErrorKind.INTERNAL, "x")));
    for (String item : new String[] {"kind", "statusCode", "message"}) {
      message = withItem(message, "error." + item, null);
    }

    assertMalformed(message, "error of a FAILED transfer");
  }

  @Test
  void decode_expectedSizeNotANumber_namesFieldAndValue() throws JMSException {
    Message message = withItem(encode(request()), "expectedSize", "abc");

    assertMalformed(message, "field expectedSize is not a number: 'abc'");
  }

  @Test
  void decode_bucketNotAString_namesFieldAndValue() throws JMSException {
    Message message = withItem(encode(request()), "bucket", 17L);

    assertMalformed(message, "field bucket must be a string, got Long 17");
  }

  @Test
  void decode_partIndexAsDouble_namesFieldAndValue() throws JMSException {
    Message message = withItem(encode(job()), "partIndex", 1.5d);

    assertMalformed(message, "field partIndex must be a whole number, got Double 1.5");
  }

  @Test
  void decode_partIndexBeyondInt_namesFieldAndValue() throws JMSException {
    Message message = withItem(encode(job()), "partIndex", 3_000_000_000L);

    assertMalformed(message, "field partIndex out of int range: 3000000000");
  }

  @Test
  void decode_unknownErrorKind_namesTheKind() throws JMSException {
    Message message = withItem(encode(new JobFailed(ID, 1, FULL_ERROR, "w")), "error.kind", "OOPS");

    assertMalformed(message, "unknown error.kind 'OOPS'");
  }

  @Test
  void decode_unknownStatus_namesTheStatus() throws JMSException {
    Message message =
        withItem(
            encode(new TransferUpdate(ID, TransferStatus.IN_PROGRESS, 1, 0, 1, 0, null)),
            "status",
            "PAUSED");

    assertMalformed(message, "unknown status 'PAUSED'");
  }

  @Test
  void encodeAll_severalMessages_decodeAllGivesThemBackInOrder() throws JMSException {
    List<WireMessage> messages = everyMessageType().toList();

    MapMessage batch = WireCodec.encodeAll(ArtemisMessages.session(), messages);

    assertEquals("Batch", batch.getStringProperty("s3poolType"));
    assertEquals(messages.size(), batch.getInt("count"));
    assertEquals("GetObjectJob", batch.getString("5.s3poolType"));
    assertEquals("AES256", batch.getString("6.extraArgs.SSECustomerAlgorithm"));
    assertEquals("SlowDown", batch.getString("12.error.errorCode"));
    assertEquals(messages, WireCodec.decodeAll(batch));
  }

  @Test
  void encodeAll_oneMessage_isThatMessageAlone() throws JMSException {
    MapMessage one = WireCodec.encodeAll(ArtemisMessages.session(), List.of(job()));

    assertEquals("GetObjectJob", one.getStringProperty("s3poolType"));
    assertEquals(job(), WireCodec.decode(one));
    assertEquals(List.of(job()), WireCodec.decodeAll(one));
  }

  @Test
  void encodeAll_nothing_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> WireCodec.encodeAll(ArtemisMessages.session(), List.of()));
  }

  @Test
  void decode_ofABatch_isRefusedNamingDecodeAll() throws JMSException {
    MapMessage batch = WireCodec.encodeAll(ArtemisMessages.session(), List.of(job(), job()));

    assertMalformed(batch, "a Batch holds several messages; read it with decodeAll");
  }

  @Test
  void decodeAll_countOutOfRange_namesIt() throws JMSException {
    MapMessage batch = WireCodec.encodeAll(ArtemisMessages.session(), List.of(job(), job()));
    batch.setInt("count", 1001);

    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> WireCodec.decodeAll(batch));
    assertEquals("field count must be 1..1000, got 1001", e.getMessage());
  }

  @Test
  void decodeAll_aBatchMissingAnItemsField_namesTheField() throws JMSException {
    MapMessage batch = WireCodec.encodeAll(ArtemisMessages.session(), List.of(job(), job()));
    batch.setInt("count", 3);

    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> WireCodec.decodeAll(batch));
    assertEquals("missing field 2.s3poolType", e.getMessage());
  }

  private static DownloadFileRequest request() {
    return new DownloadFileRequest(
        ID, "bucket", "key", "/data/key", Map.of("VersionId", "v1"), 42L, null);
  }

  private static GetObjectJob job() {
    return new GetObjectJob(
        ID,
        "bucket",
        "key",
        "/data/key.tmp",
        "/data/key",
        1,
        2,
        10,
        10,
        20,
        "bytes=10-",
        null,
        Map.of());
  }

  private static MapMessage encode(WireMessage message) throws JMSException {
    return WireCodec.encode(ArtemisMessages.session(), message);
  }

  private static void assertMalformed(Message message, String expectedText) {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> WireCodec.decode(message));
    assertTrue(
        e.getMessage().contains(expectedText),
        () -> "expected '" + expectedText + "' in: " + e.getMessage());
  }
}
