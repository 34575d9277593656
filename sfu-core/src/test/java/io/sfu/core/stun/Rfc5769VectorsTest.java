package io.sfu.core.stun;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static io.sfu.core.stun.StunTestVectors.SAMPLE_IPV4_RESPONSE;
import static io.sfu.core.stun.StunTestVectors.SAMPLE_IPV6_RESPONSE;
import static io.sfu.core.stun.StunTestVectors.SAMPLE_LONG_TERM_REQUEST;
import static io.sfu.core.stun.StunTestVectors.SAMPLE_REQUEST;
import static io.sfu.core.stun.StunTestVectors.SHORT_TERM_PASSWORD;
import static io.sfu.core.stun.StunTestVectors.TRANSACTION_ID;
import static io.sfu.core.stun.StunTestVectors.bufferAt;
import static io.sfu.core.stun.StunTestVectors.hex;
import static io.sfu.core.stun.StunTestVectors.load;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample messages of RFC 5769 §2.1 to §2.4: each is parsed, its MESSAGE-INTEGRITY and FINGERPRINT are checked
 * with the RFC's credentials, and the writer reproduces it byte for byte.
 */
class Rfc5769VectorsTest {
    private static final byte[] LONG_TERM_USERNAME =
        "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9".getBytes(StandardCharsets.UTF_8);
    private static final String LONG_TERM_PASSWORD = "The\u00ADM\u00AAtr\u2168";
    private static final String NONCE = "f//499k954d6OL34oL9FSTvy64sA";
    private static final String REALM = "example.org";

    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunKey shortTermKey = StunKey.shortTerm(SHORT_TERM_PASSWORD);

    @Test
    void sampleRequestOfSection21ParsesWithItsIceAttributes() {
        byte[] bytes = load(SAMPLE_REQUEST);
        assertThat(bytes).hasSize(108);
        UnsafeBuffer buffer = bufferAt(bytes, 7);

        assertThat(message.wrap(buffer, 7, bytes.length)).isTrue();
        assertThat(message.messageType()).isEqualTo(StunMessageType.BINDING_REQUEST);
        assertThat(message.isBindingRequest()).isTrue();
        assertThat(message.messageClass()).isEqualTo(StunMessageType.CLASS_REQUEST);
        assertThat(message.method()).isEqualTo(StunMessageType.METHOD_BINDING);
        assertThat(message.transactionIdEquals(TRANSACTION_ID)).isTrue();
        assertThat(message.software()).isEqualTo("STUN test client");
        assertThat(message.priority()).isEqualTo(0x6e0001ffL);
        assertThat(message.hasIceControlled()).isTrue();
        assertThat(message.iceControlledTieBreaker()).isEqualTo(0x932ff9b151263b36L);
        assertThat(message.hasIceControlling()).isFalse();
        assertThat(message.useCandidate()).isFalse();
        assertThat(message.username()).isEqualTo("evtj:h6vY");
        assertThat(message.usernameEquals("evtj:h6vY".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(message.usernameEquals("evtj:h6vZ".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(message.usernameEquals("evtj:h6v".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(message.unknownComprehensionRequiredCount()).isZero();
    }

    @Test
    void sampleRequestOfSection21PassesIntegrityAndFingerprint() {
        byte[] bytes = load(SAMPLE_REQUEST);
        assertThat(message.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();

        assertThat(integrity.checkMessageIntegrity(message, shortTermKey)).isTrue();
        assertThat(integrity.checkMessageIntegrity(message, SHORT_TERM_PASSWORD.getBytes(StandardCharsets.UTF_8)))
            .isTrue();
        assertThat(integrity.checkFingerprint(message)).isTrue();
        assertThat(integrity.checkMessageIntegrity(message, StunKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBu"))).isFalse();
    }

    @Test
    void sampleIpv4ResponseOfSection22DecodesTheMappedAddress() {
        byte[] bytes = load(SAMPLE_IPV4_RESPONSE);
        assertThat(message.wrap(bufferAt(bytes, 3), 3, bytes.length)).isTrue();

        assertThat(message.messageType()).isEqualTo(StunMessageType.BINDING_SUCCESS_RESPONSE);
        assertThat(message.software()).isEqualTo("test vector");
        StunAddress mapped = new StunAddress();
        assertThat(message.xorMappedAddress(mapped)).isTrue();
        assertThat(mapped.isIpv4()).isTrue();
        assertThat(mapped.toInetSocketAddress()).isEqualTo(new InetSocketAddress("192.0.2.1", 32853));
        assertThat(integrity.checkMessageIntegrity(message, shortTermKey)).isTrue();
        assertThat(integrity.checkFingerprint(message)).isTrue();
    }

    @Test
    void sampleIpv6ResponseOfSection23DecodesTheMappedAddress() {
        byte[] bytes = load(SAMPLE_IPV6_RESPONSE);
        assertThat(message.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();

        StunAddress mapped = new StunAddress();
        assertThat(message.xorMappedAddress(mapped)).isTrue();
        assertThat(mapped.family()).isEqualTo(StunAddress.FAMILY_IPV6);
        assertThat(mapped.toInetSocketAddress())
            .isEqualTo(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853));
        assertThat(integrity.checkMessageIntegrity(message, shortTermKey)).isTrue();
        assertThat(integrity.checkFingerprint(message)).isTrue();
    }

    @Test
    void longTermKeyOfSection24IsMd5OfTheSaslPreparedCredentials() throws Exception {
        byte[] expected = MessageDigest.getInstance("MD5")
            .digest(("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX").getBytes(StandardCharsets.UTF_8));

        byte[] key = StunKey.longTermMd5Bytes(
            new String(LONG_TERM_USERNAME, StandardCharsets.UTF_8), REALM, LONG_TERM_PASSWORD);

        assertThat(key).isEqualTo(expected);
    }

    @Test
    void sampleRequestOfSection24PassesLongTermIntegrity() {
        byte[] bytes = load(SAMPLE_LONG_TERM_REQUEST);
        assertThat(message.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();

        assertThat(message.usernameEquals(LONG_TERM_USERNAME)).isTrue();
        assertThat(message.nonce()).isEqualTo(NONCE);
        assertThat(message.realm()).isEqualTo(REALM);
        assertThat(message.hasFingerprint()).isFalse();
        assertThat(integrity.checkFingerprint(message)).isFalse();
        StunKey key = StunKey.longTermMd5(new String(LONG_TERM_USERNAME, StandardCharsets.UTF_8), REALM,
            LONG_TERM_PASSWORD);
        assertThat(integrity.checkMessageIntegrity(message, key)).isTrue();
        StunKey unprepared = StunKey.longTermMd5(new String(LONG_TERM_USERNAME, StandardCharsets.UTF_8), REALM,
            "TheMatrix");
        assertThat(integrity.checkMessageIntegrity(message, unprepared)).isFalse();
    }

    @Test
    void writerReproducesTheSection21RequestByteForByte() {
        byte[] expected = load(SAMPLE_REQUEST);
        UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        StunMessageWriter writer = new StunMessageWriter().wrap(out, 5, 200);

        int length = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .software(ascii("STUN test client"))
            .priority(0x6e0001ffL)
            .iceControlled(0x932ff9b151263b36L)
            .paddingByte(' ')
            .username(ascii("evtj:h6vY"))
            .messageIntegrity(integrity, shortTermKey)
            .fingerprint(integrity)
            .length();

        assertThat(copy(out, 5, length)).isEqualTo(expected);
    }

    @Test
    void writerReproducesTheSection22ResponseByteForByte() {
        byte[] expected = load(SAMPLE_IPV4_RESPONSE);
        StunAddress mapped = new StunAddress().set(new InetSocketAddress("192.0.2.1", 32853));

        byte[] written = writeResponse(mapped);

        assertThat(written).isEqualTo(expected);
    }

    @Test
    void writerReproducesTheSection23ResponseByteForByte() {
        byte[] expected = load(SAMPLE_IPV6_RESPONSE);
        StunAddress mapped = new StunAddress()
            .set(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853));

        byte[] written = writeResponse(mapped);

        assertThat(written).isEqualTo(expected);
    }

    @Test
    void writerReproducesTheSection24RequestByteForByte() {
        byte[] expected = load(SAMPLE_LONG_TERM_REQUEST);
        StunKey key = StunKey.longTermMd5(new String(LONG_TERM_USERNAME, StandardCharsets.UTF_8), REALM,
            LONG_TERM_PASSWORD);
        UnsafeBuffer out = new UnsafeBuffer(new byte[256]);

        int length = new StunMessageWriter().wrap(out, 0, 256)
            .header(StunMessageType.BINDING_REQUEST, hex("78ad3433c6ad72c029da412e"))
            .username(LONG_TERM_USERNAME)
            .attribute(StunAttributeType.NONCE, ascii(NONCE))
            .attribute(StunAttributeType.REALM, ascii(REALM))
            .messageIntegrity(integrity, key)
            .length();

        assertThat(copy(out, 0, length)).isEqualTo(expected);
    }

    @Test
    void everyTamperedByteOfEachVectorFailsIntegrityOrFraming() {
        String[] vectors = {SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE, SAMPLE_LONG_TERM_REQUEST};
        StunKey longTermKey = StunKey.longTermMd5(new String(LONG_TERM_USERNAME, StandardCharsets.UTF_8), REALM,
            LONG_TERM_PASSWORD);
        for (String vector : vectors) {
            byte[] original = load(vector);
            StunKey key = vector.equals(SAMPLE_LONG_TERM_REQUEST) ? longTermKey : shortTermKey;
            // a receiver that expects a FINGERPRINT (as ICE does) must not be fooled by one renamed away
            boolean fingerprinted = !vector.equals(SAMPLE_LONG_TERM_REQUEST);
            for (int i = 0; i < original.length; i++) {
                byte[] tampered = original.clone();
                tampered[i] ^= 0x01;
                boolean accepted = message.wrap(new UnsafeBuffer(tampered), 0, tampered.length)
                    && integrity.checkMessageIntegrity(message, key)
                    && (!fingerprinted || integrity.checkFingerprint(message));
                assertThat(accepted).as("%s with byte %d flipped", vector, i).isFalse();
            }
        }
    }

    private byte[] writeResponse(StunAddress mapped) {
        UnsafeBuffer out = new UnsafeBuffer(new byte[128]);
        int length = new StunMessageWriter().wrap(out, 0, 128)
            .header(StunMessageType.BINDING_SUCCESS_RESPONSE, TRANSACTION_ID)
            .paddingByte(' ')
            .software(ascii("test vector"))
            .paddingByte(0)
            .xorMappedAddress(mapped)
            .messageIntegrity(integrity, shortTermKey)
            .fingerprint(integrity)
            .length();
        return copy(out, 0, length);
    }

    private static byte[] copy(UnsafeBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
