package io.sfu.core.stun;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static io.sfu.core.stun.StunTestVectors.SAMPLE_REQUEST;
import static io.sfu.core.stun.StunTestVectors.TRANSACTION_ID;
import static io.sfu.core.stun.StunTestVectors.load;
import static org.assertj.core.api.Assertions.assertThat;

/** The reader: header and framing validation, attribute rules of RFC 8489 §14, typed accessors. */
class StunMessageTest {
    private static final StunKey KEY = StunKey.shortTerm("a-password-of-22-chars");

    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();

    static Stream<Arguments> malformedMessages() {
        return Stream.of(
            malformed("shorter than a header", b -> b.limit(19)),
            malformed("first bit set", b -> b.put(0, (byte) 0x80)),
            malformed("second bit set", b -> b.put(0, (byte) 0x40)),
            malformed("wrong magic cookie", b -> b.put(4, (byte) 0x22)),
            malformed("length not a multiple of 4", b -> b.putShort(2, (short) (b.getShort(2) - 2))),
            malformed("length beyond the bytes given", b -> b.putShort(2, (short) (b.getShort(2) + 4))),
            malformed("length short of the bytes given", b -> b.putShort(2, (short) (b.getShort(2) - 4))),
            malformed("attribute longer than the message", b -> b.putShort(22, (short) 0x0100)),
            malformed("PRIORITY of 5 bytes", b -> b.putShort(42, (short) 5)),
            malformed("ICE-CONTROLLED of 4 bytes", b -> b.putShort(50, (short) 4)),
            malformed("FINGERPRINT of 8 bytes", b -> b.putShort(102, (short) 8)),
            malformed("FINGERPRINT not last", b -> b.putShort(40, (short) StunAttributeType.FINGERPRINT)));
    }

    private static Arguments malformed(String name, Consumer<ByteBuffer> mutation) {
        return Arguments.of(name, mutation);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedMessages")
    void malformedMessageIsRejected(String name, Consumer<ByteBuffer> mutation) {
        ByteBuffer bytes = ByteBuffer.wrap(load(SAMPLE_REQUEST)).order(ByteOrder.BIG_ENDIAN);
        mutation.accept(bytes);

        boolean accepted = message.wrap(new UnsafeBuffer(bytes.array()), 0, bytes.limit());

        assertThat(accepted).as(name).isFalse();
        assertThat(message.isValid()).isFalse();
        assertThat(message.firstAttribute()).isEqualTo(-1);
        assertThat(message.hasMessageIntegrity()).isFalse();
    }

    @Test
    void integrityAttributesOfTheWrongSizeAreRejected() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        StunMessageWriter writer = new StunMessageWriter().wrap(buffer, 0, 256);

        int shortIntegrity = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttributeType.MESSAGE_INTEGRITY, new byte[16]).length();
        assertThat(message.wrap(buffer, 0, shortIntegrity)).as("MESSAGE-INTEGRITY of 16 bytes").isFalse();

        int oddSha256 = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttributeType.MESSAGE_INTEGRITY_SHA256, new byte[18]).length();
        assertThat(message.wrap(buffer, 0, oddSha256)).as("MESSAGE-INTEGRITY-SHA256 of 18 bytes").isFalse();

        int shortSha256 = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttributeType.MESSAGE_INTEGRITY_SHA256, new byte[12]).length();
        assertThat(message.wrap(buffer, 0, shortSha256)).as("MESSAGE-INTEGRITY-SHA256 of 12 bytes").isFalse();

        int useCandidateWithValue = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttributeType.USE_CANDIDATE, new byte[4]).length();
        assertThat(message.wrap(buffer, 0, useCandidateWithValue)).as("USE-CANDIDATE with a value").isFalse();

        int fine = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .attribute(StunAttributeType.MESSAGE_INTEGRITY_SHA256, new byte[16]).length();
        assertThat(message.wrap(buffer, 0, fine)).as("MESSAGE-INTEGRITY-SHA256 of 16 bytes").isTrue();
    }

    @Test
    void wrapRejectsRangesOutsideTheBuffer() {
        byte[] bytes = load(SAMPLE_REQUEST);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertThat(message.wrap(buffer, -1, bytes.length)).isFalse();
        assertThat(message.wrap(buffer, 4, bytes.length)).isFalse();
        assertThat(message.wrap(buffer, 0, bytes.length + 4)).isFalse();
        assertThat(message.wrap(buffer, Integer.MAX_VALUE, 20)).isFalse();
        assertThat(message.wrap(null, 0, 20)).isFalse();
        assertThat(message.wrap(buffer, 0, bytes.length)).isTrue();
    }

    @Test
    void messageWithOnlyAHeaderIsValid() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        int length = new StunMessageWriter().wrap(buffer, 0, 20)
            .header(StunMessageType.BINDING_INDICATION, TRANSACTION_ID).length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(message.messageClass()).isEqualTo(StunMessageType.CLASS_INDICATION);
        assertThat(message.firstAttribute()).isEqualTo(-1);
        assertThat(message.priority()).isEqualTo(-1);
        assertThat(integrity.checkMessageIntegrity(message, KEY)).isFalse();
        assertThat(integrity.checkFingerprint(message)).isFalse();
    }

    @Test
    void looksLikeStunAcceptsStunAndRejectsRtpAndDtls() {
        byte[] stun = load(SAMPLE_REQUEST);
        byte[] dtls = stun.clone();
        dtls[0] = 22;
        byte[] rtp = stun.clone();
        rtp[0] = (byte) 0x80;

        assertThat(StunMessage.looksLikeStun(new UnsafeBuffer(stun), 0, stun.length)).isTrue();
        assertThat(StunMessage.looksLikeStun(new UnsafeBuffer(dtls), 0, dtls.length)).isFalse();
        assertThat(StunMessage.looksLikeStun(new UnsafeBuffer(rtp), 0, rtp.length)).isFalse();
        assertThat(StunMessage.looksLikeStun(new UnsafeBuffer(stun), 0, 12)).isFalse();
    }

    @Test
    void cursorVisitsEveryAttributeInOrderAcrossPadding() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .username(ascii("abcde:fg"))
            .attribute(0xC057, new byte[] {1, 2, 3})
            .useCandidate()
            .software(ascii("x"))
            .fingerprint(integrity)
            .length();
        assertThat(message.wrap(buffer, 0, length)).isTrue();

        List<String> seen = new ArrayList<>();
        for (int at = message.firstAttribute(); at >= 0; at = message.nextAttribute(at)) {
            seen.add(Integer.toHexString(message.attributeType(at)) + "/" + message.attributeValueLength(at));
        }

        assertThat(seen).containsExactly("6/8", "c057/3", "25/0", "8022/1", "8028/4");
        int unknown = message.findAttribute(0xC057);
        assertThat(message.buffer().getByte(message.attributeValueOffset(unknown) + 2)).isEqualTo((byte) 3);
        assertThat(message.findAttribute(StunAttributeType.PRIORITY)).isEqualTo(-1);
    }

    @Test
    void unknownAttributesAreSkippedAndComprehensionRequiredOnesCounted() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .attribute(0x7F01, new byte[] {9})
            .attribute(0xC057, new byte[] {0, 1, 0, 0})
            .priority(77)
            .attribute(0x0003, new byte[4])
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(message.priority()).isEqualTo(77);
        assertThat(message.unknownComprehensionRequiredCount()).isEqualTo(2);
        int[] unknown = new int[4];
        assertThat(message.copyUnknownComprehensionRequired(unknown)).isEqualTo(2);
        assertThat(unknown).startsWith(0x7F01, 0x0003);
        assertThat(message.copyUnknownComprehensionRequired(new int[1])).isEqualTo(1);
    }

    @Test
    void firstOfRepeatedAttributesCounts() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .priority(1)
            .priority(2)
            .username(ascii("first"))
            .username(ascii("second"))
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(message.priority()).isEqualTo(1);
        assertThat(message.username()).isEqualTo("first");
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredExceptFingerprint() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .username(ascii("user:peer"))
            .messageIntegrity(integrity, KEY)
            .length();
        // smuggled after MESSAGE-INTEGRITY, which does not cover them: PRIORITY, USE-CANDIDATE, then FINGERPRINT
        buffer.putInt(length, 0x0024_0004, ByteOrder.BIG_ENDIAN);
        buffer.putInt(length + 4, 99, ByteOrder.BIG_ENDIAN);
        buffer.putInt(length + 8, 0x0025_0000, ByteOrder.BIG_ENDIAN);
        length += 12;
        length = appendFingerprint(buffer, length);

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(message.priority()).isEqualTo(-1);
        assertThat(message.useCandidate()).isFalse();
        assertThat(integrity.checkMessageIntegrity(message, KEY)).isTrue();
        assertThat(integrity.checkFingerprint(message)).isTrue();
        List<Integer> seen = new ArrayList<>();
        for (int at = message.firstAttribute(); at >= 0; at = message.nextAttribute(at)) {
            seen.add(message.attributeType(at));
        }
        assertThat(seen).containsExactly(StunAttributeType.USERNAME, StunAttributeType.MESSAGE_INTEGRITY,
            StunAttributeType.FINGERPRINT);
    }

    @Test
    void messageIntegritySha256CoversMessageIntegrityAndPrecedesFingerprint() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .username(ascii("user:peer"))
            .messageIntegrity(integrity, KEY)
            .messageIntegritySha256(integrity, KEY)
            .fingerprint(integrity)
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(integrity.checkMessageIntegrity(message, KEY)).isTrue();
        assertThat(integrity.checkMessageIntegritySha256(message, KEY)).isTrue();
        assertThat(integrity.checkMessageIntegritySha256(message, StunKey.shortTerm("another-password-22-ch")))
            .isFalse();
        assertThat(integrity.checkFingerprint(message)).isTrue();
    }

    @Test
    void truncatedMessageIntegritySha256IsCheckedOverItsLength() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        StunMessageWriter writer = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .username(ascii("user:peer"));
        int at = writer.length();
        // a 16-byte MESSAGE-INTEGRITY-SHA256: the leftmost 16 bytes of the HMAC with the length counting 16
        int total = at + 4 + 16;
        byte[] mac = integrity.hmacSha256(KEY, buffer, 0, at, total - StunMessage.HEADER_LENGTH);
        buffer.putShort(2, (short) (total - StunMessage.HEADER_LENGTH), ByteOrder.BIG_ENDIAN);
        buffer.putInt(at, 0x001C_0010, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(at + 4, mac, 0, 16);

        assertThat(message.wrap(buffer, 0, total)).isTrue();
        assertThat(message.attributeValueLength(message.messageIntegritySha256Cursor())).isEqualTo(16);
        assertThat(integrity.checkMessageIntegritySha256(message, KEY)).isTrue();
        buffer.putByte(at + 4 + 15, (byte) (buffer.getByte(at + 4 + 15) ^ 1));
        assertThat(integrity.checkMessageIntegritySha256(message, KEY)).isFalse();
    }

    @Test
    void addressesRoundTripForBothFamilies() {
        StunAddress v4 = new StunAddress().set(new InetSocketAddress("203.0.113.9", 4711));
        StunAddress v6 = new StunAddress().set(new InetSocketAddress("2001:db8::1", 65535));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_SUCCESS_RESPONSE, TRANSACTION_ID)
            .xorMappedAddress(v6)
            .mappedAddress(v4)
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        StunAddress decoded = new StunAddress();
        assertThat(message.xorMappedAddress(decoded)).isTrue();
        assertThat(decoded).isEqualTo(v6);
        assertThat(message.mappedAddress(decoded)).isTrue();
        assertThat(decoded).isEqualTo(v4);
        assertThat(decoded.toString()).isEqualTo("203.0.113.9:4711");
        // the XOR form hides the address on the wire
        assertThat(buffer.getByte(StunMessage.HEADER_LENGTH + 8)).isNotEqualTo((byte) 0x20);
    }

    @Test
    void malformedAddressesDecodeToFalse() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_SUCCESS_RESPONSE, TRANSACTION_ID)
            .attribute(StunAttributeType.XOR_MAPPED_ADDRESS, new byte[] {0, 3, 0, 1, 1, 2, 3, 4})
            .attribute(StunAttributeType.MAPPED_ADDRESS, new byte[] {0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8})
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        StunAddress decoded = new StunAddress();
        assertThat(message.xorMappedAddress(decoded)).as("family 3").isFalse();
        assertThat(message.mappedAddress(decoded)).as("IPv4 with 8 address bytes").isFalse();
        assertThat(decoded.isSet()).isFalse();
    }

    @Test
    void errorCodeAndReasonAreRead() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_ERROR_RESPONSE, TRANSACTION_ID)
            .errorCode(StunErrorCode.ROLE_CONFLICT)
            .unknownAttributes(new int[] {0x0003, 0x7F01, 0x0004}, 3)
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(message.messageClass()).isEqualTo(StunMessageType.CLASS_ERROR_RESPONSE);
        assertThat(message.errorCode()).isEqualTo(487);
        assertThat(message.errorReason()).isEqualTo("Role Conflict");
        assertThat(message.errorReasonLength()).isEqualTo(13);
        assertThat(message.unknownAttributesCount()).isEqualTo(3);
        assertThat(message.unknownAttribute(1)).isEqualTo(0x7F01);
        assertThat(message.unknownAttribute(2)).isEqualTo(0x0004);
    }

    @Test
    void errorCodeWithAnImpossibleClassReadsAsAbsent() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(buffer, 0, 256)
            .header(StunMessageType.BINDING_ERROR_RESPONSE, TRANSACTION_ID)
            .attribute(StunAttributeType.ERROR_CODE, new byte[] {0, 0, 7, 1, 'x'})
            .length();

        assertThat(message.wrap(buffer, 0, length)).isTrue();
        assertThat(message.errorCode()).isEqualTo(-1);
        assertThat(message.errorReason()).isNull();
        assertThat(message.errorReasonOffset()).isEqualTo(-1);
    }

    @Test
    void transactionIdIsComparedAndCopiedInPlace() {
        byte[] bytes = load(SAMPLE_REQUEST);
        UnsafeBuffer buffer = StunTestVectors.bufferAt(bytes, 9);
        assertThat(message.wrap(buffer, 9, bytes.length)).isTrue();

        byte[] copy = new byte[14];
        message.copyTransactionId(copy, 2);
        UnsafeBuffer other = new UnsafeBuffer(new byte[16]);
        message.copyTransactionId(other, 4);

        assertThat(message.transactionIdEquals(copy, 2)).isTrue();
        assertThat(message.transactionIdEquals(other, 4)).isTrue();
        assertThat(message.transactionIdHigh()).isEqualTo(0xb7e7a701bc34d686L);
        assertThat(message.transactionIdLow()).isEqualTo(0xfa87dfae);
        copy[13] ^= 1;
        assertThat(message.transactionIdEquals(copy, 2)).isFalse();
        assertThat(message.transactionIdEquals(new byte[11])).isFalse();
    }

    @Test
    void integrityWorksOverOffHeapBuffers() {
        byte[] bytes = load(SAMPLE_REQUEST);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 8);
        direct.position(8);
        direct.put(bytes);
        UnsafeBuffer buffer = new UnsafeBuffer(direct);

        assertThat(message.wrap(buffer, 8, bytes.length)).isTrue();
        assertThat(integrity.checkMessageIntegrity(message, StunKey.shortTerm(StunTestVectors.SHORT_TERM_PASSWORD)))
            .isTrue();
        assertThat(integrity.checkFingerprint(message)).isTrue();
    }

    @Test
    void usernameOffsetsPointAtTheValue() {
        byte[] bytes = load(SAMPLE_REQUEST);
        assertThat(message.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();

        assertThat(message.usernameLength()).isEqualTo(9);
        assertThat(new String(bytes, message.usernameOffset(), 9, StandardCharsets.US_ASCII)).isEqualTo("evtj:h6vY");
    }

    private static int appendFingerprint(UnsafeBuffer buffer, int length) {
        buffer.putShort(2, (short) (length + 8 - StunMessage.HEADER_LENGTH), ByteOrder.BIG_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(buffer.byteArray(), 0, length);
        buffer.putInt(length, 0x8028_0004, ByteOrder.BIG_ENDIAN);
        buffer.putInt(length + 4, (int) crc.getValue() ^ 0x5354554E, ByteOrder.BIG_ENDIAN);
        return length + 8;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
