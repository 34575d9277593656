package io.sfu.core.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static io.sfu.core.stun.StunMessage.ATTRIBUTE_HEADER_LENGTH;
import static io.sfu.core.stun.StunMessage.HEADER_LENGTH;

/**
 * Coverage-guided fuzzing (Jazzer) of the STUN reader and the integrity checks every datagram from the network
 * meets first: whatever the bytes, {@link StunMessage#wrap} answers without throwing, reads the same at any offset,
 * and once it accepted a message every accessor answers too; MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and
 * FINGERPRINT verify exactly when an independent HMAC or CRC over the same bytes says they should, and always once
 * the correct values are written into the message. Seeds: the RFC 5769 sample messages.
 */
class StunFuzzTarget {
    private static final byte[] KEY = StunTestVectors.SHORT_TERM_PASSWORD.getBytes(StandardCharsets.UTF_8);
    private static final int OFFSET = 7;

    private final StunMessage message = new StunMessage();
    private final StunMessage atOffset = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunAddress address = new StunAddress();
    private final int[] unknown = new int[8];

    static Stream<byte[]> rfc5769Messages() {
        return Stream.of(StunTestVectors.SAMPLE_REQUEST, StunTestVectors.SAMPLE_IPV4_RESPONSE,
            StunTestVectors.SAMPLE_IPV6_RESPONSE, StunTestVectors.SAMPLE_LONG_TERM_REQUEST).map(StunTestVectors::load);
    }

    @MethodSource("rfc5769Messages")
    @FuzzTest
    void anyDatagramIsReadOrRefusedAndItsIntegrityVerifiesExactlyWhenItHolds(byte[] datagram) throws Exception {
        byte[] data = datagram.clone();
        boolean valid = message.wrap(new UnsafeBuffer(data), 0, data.length);
        boolean validAtOffset = atOffset.wrap(StunTestVectors.bufferAt(data, OFFSET), OFFSET, data.length);
        check(valid == validAtOffset, "the verdict depends on the offset");
        check(valid == message.isValid(), "isValid() disagrees with wrap()");
        if (!valid) {
            check(message.firstAttribute() == -1 && message.messageType() == -1, "a refused message reads as one");
            return;
        }
        readEverything(message);
        check(atOffset.length() == message.length() && atOffset.messageType() == message.messageType(),
            "the message reads differently at another offset");

        check(integrity.checkMessageIntegrity(message, KEY) == sha1Holds(data, message),
            "MESSAGE-INTEGRITY disagrees with HMAC-SHA1");
        check(integrity.checkMessageIntegritySha256(message, KEY) == sha256Holds(data, message),
            "MESSAGE-INTEGRITY-SHA256 disagrees with HMAC-SHA256");
        check(integrity.checkFingerprint(message) == fingerprintHolds(data, message),
            "FINGERPRINT disagrees with CRC-32");

        // with the right values written in, every check must pass
        writeCorrectIntegrity(data, message);
        check(message.wrap(new UnsafeBuffer(data), 0, data.length), "writing integrity values broke the framing");
        check(!message.hasMessageIntegrity() || integrity.checkMessageIntegrity(message, KEY),
            "a correct MESSAGE-INTEGRITY is refused");
        check(!message.hasMessageIntegritySha256() || integrity.checkMessageIntegritySha256(message, KEY),
            "a correct MESSAGE-INTEGRITY-SHA256 is refused");
        check(!message.hasFingerprint() || integrity.checkFingerprint(message), "a correct FINGERPRINT is refused");
    }

    /** Every reader a caller may use on an accepted message; none may throw. */
    private void readEverything(StunMessage m) {
        m.messageClass();
        m.method();
        m.isBindingRequest();
        m.transactionIdHigh();
        m.transactionIdLow();
        int attributes = 0;
        for (int at = m.firstAttribute(); at >= 0; at = m.nextAttribute(at)) {
            check(at + ATTRIBUTE_HEADER_LENGTH + m.attributeValueLength(at) <= m.offset() + m.length(),
                "an attribute runs past the message");
            m.address(at, true, address);
            m.address(at, false, address);
            check(++attributes <= m.length() / ATTRIBUTE_HEADER_LENGTH, "the attribute walk does not end");
        }
        m.findAttribute(StunAttributeType.SOFTWARE);
        m.copyUnknownComprehensionRequired(unknown);
        m.xorMappedAddress(address);
        m.mappedAddress(address);
        m.username();
        m.usernameEquals(KEY);
        m.software();
        m.realm();
        m.nonce();
        m.priority();
        m.useCandidate();
        m.iceControllingTieBreaker();
        m.iceControlledTieBreaker();
        m.errorCode();
        m.errorReason();
        for (int i = 0; i < m.unknownAttributesCount(); i++) {
            m.unknownAttribute(i);
        }
        m.toString();
    }

    /** RFC 8489 §14.5: HMAC-SHA1 of the message up to MESSAGE-INTEGRITY, its length counting up to the MAC's end. */
    private static byte[] sha1(byte[] data, int cursor) throws GeneralSecurityException {
        return hmac("HmacSHA1", data, cursor, cursor - HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH + 20);
    }

    /** RFC 8489 §14.6, as {@link #sha1} with HMAC-SHA256 (truncated by the caller to the attribute's length). */
    private static byte[] sha256(byte[] data, int cursor, int valueLength) throws GeneralSecurityException {
        return hmac("HmacSHA256", data, cursor, cursor - HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH + valueLength);
    }

    private static byte[] hmac(String algorithm, byte[] data, int end, int lengthField)
        throws GeneralSecurityException {
        byte[] covered = Arrays.copyOf(data, end);
        covered[StunMessage.MESSAGE_LENGTH_OFFSET] = (byte) (lengthField >>> 8);
        covered[StunMessage.MESSAGE_LENGTH_OFFSET + 1] = (byte) lengthField;
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(KEY, algorithm));
        return mac.doFinal(covered);
    }

    private static int crc(byte[] data, int end) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, end);
        return (int) crc.getValue() ^ StunIntegrity.FINGERPRINT_XOR;
    }

    private static boolean sha1Holds(byte[] data, StunMessage m) throws GeneralSecurityException {
        int at = m.messageIntegrityCursor();
        return at >= 0 && Arrays.equals(sha1(data, at), 0, 20, data, at + 4, at + 24);
    }

    private static boolean sha256Holds(byte[] data, StunMessage m) throws GeneralSecurityException {
        int at = m.messageIntegritySha256Cursor();
        if (at < 0) {
            return false;
        }
        int length = m.attributeValueLength(at);
        return Arrays.equals(sha256(data, at, length), 0, length, data, at + 4, at + 4 + length);
    }

    private static boolean fingerprintHolds(byte[] data, StunMessage m) {
        int at = m.fingerprintCursor();
        return at >= 0 && new UnsafeBuffer(data).getInt(at + 4, StunMessage.ORDER) == crc(data, at);
    }

    /** Overwrites the MAC and CRC values in place, in message order (FINGERPRINT covers the MACs). */
    private static void writeCorrectIntegrity(byte[] data, StunMessage m) throws GeneralSecurityException {
        int sha1At = m.messageIntegrityCursor();
        int sha256At = m.messageIntegritySha256Cursor();
        int fingerprintAt = m.fingerprintCursor();
        if (sha1At >= 0) {
            System.arraycopy(sha1(data, sha1At), 0, data, sha1At + 4, 20);
        }
        if (sha256At >= 0) {
            int length = m.attributeValueLength(sha256At);
            System.arraycopy(sha256(data, sha256At, length), 0, data, sha256At + 4, length);
        }
        if (fingerprintAt >= 0) {
            new UnsafeBuffer(data).putInt(fingerprintAt + 4, crc(data, fingerprintAt), StunMessage.ORDER);
        }
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
