package io.sfu.core.stun;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.sfu.core.stun.StunTestVectors.TRANSACTION_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer: framing, error responses, integrity computed as the JCE computes HMAC, misuse refused. */
class StunMessageWriterTest {
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunMessage message = new StunMessage();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final StunMessageWriter writer = new StunMessageWriter().wrap(buffer, 0, 512);

    @Test
    void errorResponsesCarryCodeReasonAndChecksums() {
        StunKey key = StunKey.shortTerm("0123456789abcdefghijkl");
        int[] codes = {StunErrorCode.BAD_REQUEST, StunErrorCode.UNAUTHORIZED, StunErrorCode.ROLE_CONFLICT,
            StunErrorCode.UNKNOWN_ATTRIBUTE};
        String[] reasons = {"Bad Request", "Unauthorized", "Role Conflict", "Unknown Attribute"};
        for (int i = 0; i < codes.length; i++) {
            int length = writer.header(StunMessageType.BINDING_ERROR_RESPONSE, TRANSACTION_ID)
                .errorCode(codes[i])
                .messageIntegrity(integrity, key)
                .fingerprint(integrity)
                .length();

            assertThat(message.wrap(buffer, 0, length)).isTrue();
            assertThat(message.errorCode()).isEqualTo(codes[i]);
            assertThat(message.errorReason()).isEqualTo(reasons[i]);
            assertThat(length % 4).isZero();
            assertThat(integrity.checkMessageIntegrity(message, key)).isTrue();
            assertThat(integrity.checkFingerprint(message)).isTrue();
        }
    }

    @Test
    void lengthFieldCountsEveryAttributeWithPadding() {
        int length = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .username(new byte[5])
            .emptyAttribute(StunAttributeType.USE_CANDIDATE)
            .length();

        assertThat(length).isEqualTo(20 + 4 + 8 + 4);
        assertThat(buffer.getShort(2, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo((short) 16);
        assertThat(buffer.getByte(20 + 4 + 5)).isZero();
    }

    @Test
    void messageIntegrityMatchesTheJceHmacForKeysOfEveryLength() throws Exception {
        SplittableRandom random = new SplittableRandom(20240601L);
        for (int keyLength : new int[] {0, 1, 16, 22, 63, 64, 65, 128, 256}) {
            byte[] keyBytes = new byte[keyLength];
            for (int i = 0; i < keyLength; i++) {
                keyBytes[i] = (byte) random.nextInt(256);
            }
            byte[] value = new byte[random.nextInt(1, 40)];
            int covered = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
                .attribute(0x8055, value)
                .length();
            int length = writer.messageIntegrity(integrity, StunKey.of(keyBytes))
                .messageIntegritySha256(integrity, StunKey.of(keyBytes))
                .length();

            byte[] sha1Input = Arrays.copyOf(buffer.byteArray(), covered);
            sha1Input[3] = (byte) (covered + 24 - 20);
            byte[] sha256Input = Arrays.copyOf(buffer.byteArray(), covered + 24);
            sha256Input[3] = (byte) (covered + 24 + 36 - 20);

            assertThat(Arrays.copyOfRange(buffer.byteArray(), covered + 4, covered + 24))
                .as("HMAC-SHA1 with a %d-byte key", keyLength)
                .isEqualTo(jceMac("HmacSHA1", keyBytes, sha1Input));
            assertThat(Arrays.copyOfRange(buffer.byteArray(), covered + 28, length))
                .as("HMAC-SHA256 with a %d-byte key", keyLength)
                .isEqualTo(jceMac("HmacSHA256", keyBytes, sha256Input));
        }
    }

    @Test
    void rawKeyCacheFollowsTheKeyInUse() {
        byte[] first = "first-password-0123456".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "other-password-0123456".getBytes(StandardCharsets.US_ASCII);
        int length = writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID)
            .messageIntegrity(integrity, StunKey.of(first))
            .length();
        assertThat(message.wrap(buffer, 0, length)).isTrue();

        assertThat(integrity.checkMessageIntegrity(message, first)).isTrue();
        assertThat(integrity.checkMessageIntegrity(message, second)).isFalse();
        assertThat(integrity.checkMessageIntegrity(message, first)).isTrue();
        first[0] ^= 1;
        assertThat(integrity.checkMessageIntegrity(message, first)).as("same array, new content").isFalse();
    }

    @Test
    void attributesAfterIntegrityOrFingerprintAreRefused() {
        StunKey key = StunKey.shortTerm("0123456789abcdefghijkl");
        writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID).messageIntegrity(integrity, key);
        assertThatThrownBy(() -> writer.priority(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.messageIntegrity(integrity, key)).isInstanceOf(IllegalStateException.class);
        writer.fingerprint(integrity);
        assertThatThrownBy(() -> writer.fingerprint(integrity)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.messageIntegritySha256(integrity, key))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writingBeyondTheCapacityIsRefused() {
        StunMessageWriter small = new StunMessageWriter().wrap(buffer, 100, 32);
        small.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID).priority(5);

        assertThatThrownBy(() -> small.username(new byte[5])).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("capacity");
        assertThatThrownBy(() -> new StunMessageWriter().wrap(buffer, 500, 20))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StunMessageWriter().priority(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badArgumentsAreRefused() {
        writer.header(StunMessageType.BINDING_REQUEST, TRANSACTION_ID);

        assertThatThrownBy(() -> writer.header(0x4001, TRANSACTION_ID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.header(1, new byte[11])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.errorCode(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.priority(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.xorMappedAddress(new StunAddress()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageTypesInterleaveMethodAndClass() {
        assertThat(StunMessageType.BINDING_REQUEST).isEqualTo(0x0001);
        assertThat(StunMessageType.BINDING_INDICATION).isEqualTo(0x0011);
        assertThat(StunMessageType.BINDING_SUCCESS_RESPONSE).isEqualTo(0x0101);
        assertThat(StunMessageType.BINDING_ERROR_RESPONSE).isEqualTo(0x0111);
        for (int method = 0; method < 0x1000; method += 0x3F) {
            for (int messageClass = 0; messageClass < 4; messageClass++) {
                int type = StunMessageType.of(method, messageClass);
                assertThat(StunMessageType.method(type)).isEqualTo(method);
                assertThat(StunMessageType.messageClass(type)).isEqualTo(messageClass);
                assertThat(type & 0xC000).isZero();
            }
        }
    }

    private static byte[] jceMac(String algorithm, byte[] key, byte[] input) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        // the JCE refuses empty keys; HMAC pads them to zeros, as it pads a single zero byte
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
        return mac.doFinal(input);
    }
}
