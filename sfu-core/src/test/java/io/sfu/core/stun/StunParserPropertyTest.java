package io.sfu.core.stun;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Seeded random and mutation properties of the reader: on any input {@code wrap} answers true or false and nothing
 * else, every accessor of an accepted message returns without throwing, and attribute iteration ends.
 */
class StunParserPropertyTest {
    private static final long SEED = 0x5EED_57A1L;
    private static final int RANDOM_CASES = 30_000;
    private static final int MUTATION_CASES = 60_000;

    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunKey key = StunKey.shortTerm(StunTestVectors.SHORT_TERM_PASSWORD);
    private final StunAddress address = new StunAddress();
    private final int[] unknown = new int[8];

    @Test
    void randomBytesAreAcceptedOrRejectedWithoutThrowing() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SplittableRandom random = new SplittableRandom(SEED);
            for (int i = 0; i < RANDOM_CASES; i++) {
                byte[] bytes = new byte[random.nextInt(0, 200)];
                random.nextBytes(bytes);
                if (random.nextBoolean() && bytes.length >= StunMessage.HEADER_LENGTH) {
                    // a plausible header, so that the attribute walk is reached
                    bytes[0] &= 0x3F;
                    int attributes = (bytes.length - StunMessage.HEADER_LENGTH) & ~3;
                    bytes[2] = (byte) (attributes >>> 8);
                    bytes[3] = (byte) attributes;
                    bytes[4] = 0x21;
                    bytes[5] = 0x12;
                    bytes[6] = (byte) 0xA4;
                    bytes[7] = 0x42;
                    bytes = java.util.Arrays.copyOf(bytes, StunMessage.HEADER_LENGTH + attributes);
                }
                exercise(bytes, random.nextInt(0, 8), i);
            }
        });
    }

    @Test
    void mutatedMessagesAreAcceptedOrRejectedWithoutThrowing() {
        List<byte[]> seeds = seedMessages();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SplittableRandom random = new SplittableRandom(SEED + 1);
            int accepted = 0;
            for (int i = 0; i < MUTATION_CASES; i++) {
                byte[] bytes = mutate(seeds.get(random.nextInt(seeds.size())), random);
                if (exercise(bytes, random.nextInt(0, 4), i)) {
                    accepted++;
                }
            }
            // the mutations must reach deep into the parser, not stop at the header
            assertThat(accepted).as("accepted mutants (seed %d)", SEED + 1).isGreaterThan(MUTATION_CASES / 20);
        });
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int kind = random.nextInt(6);
        switch (kind) {
            case 0: // flip a few bytes
                for (int n = random.nextInt(1, 4); n > 0; n--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) random.nextInt(1, 256);
                }
                break;
            case 1: // an edge value in a 16-bit field, usually an attribute length
                int at = StunMessage.HEADER_LENGTH + 4 * random.nextInt((bytes.length - 20) / 4) + 2;
                int[] edges = {0, 1, 3, 4, 8, 20, 0x7FFF, 0xFFFF, bytes.length, bytes.length - at};
                int value = edges[random.nextInt(edges.length)];
                bytes[at] = (byte) (value >>> 8);
                bytes[at + 1] = (byte) value;
                break;
            case 2: // truncate
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                break;
            case 3: // append junk
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 4 * random.nextInt(1, 6));
                for (int i = bytes.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                bytes = longer;
                break;
            case 4: // change an attribute type to an interesting one
                int typeAt = StunMessage.HEADER_LENGTH + 4 * random.nextInt((bytes.length - 20) / 4);
                int[] types = {0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x001C, 0x0020, 0x0024, 0x0025, 0x8028,
                    0x8029, 0x802A, 0x7FFF};
                int type = types[random.nextInt(types.length)];
                bytes[typeAt] = (byte) (type >>> 8);
                bytes[typeAt + 1] = (byte) type;
                break;
            default: // shuffle two 4-byte words
                int words = bytes.length / 4;
                int a = 4 * random.nextInt(words);
                int b = 4 * random.nextInt(words);
                for (int i = 0; i < 4; i++) {
                    byte t = bytes[a + i];
                    bytes[a + i] = bytes[b + i];
                    bytes[b + i] = t;
                }
                break;
        }
        if (kind != 2 && random.nextInt(3) > 0 && bytes.length >= StunMessage.HEADER_LENGTH) {
            // keep the header length consistent most of the time, to get past the first check
            int attributes = bytes.length - StunMessage.HEADER_LENGTH;
            bytes[2] = (byte) (attributes >>> 8);
            bytes[3] = (byte) attributes;
        }
        return bytes;
    }

    /** Wraps at {@code shift} inside a larger buffer and calls everything; fails the test on any throwable. */
    private boolean exercise(byte[] bytes, int shift, int caseNumber) {
        UnsafeBuffer buffer = StunTestVectors.bufferAt(bytes, shift);
        try {
            if (!message.wrap(buffer, shift, bytes.length)) {
                assertThat(message.isValid()).isFalse();
                return false;
            }
            int steps = 0;
            for (int at = message.firstAttribute(); at >= 0; at = message.nextAttribute(at)) {
                message.attributeType(at);
                message.attributeValueLength(at);
                message.attributeValueOffset(at);
                if (++steps > bytes.length / 4) {
                    fail("attribute iteration does not end");
                }
            }
            message.messageClass();
            message.method();
            message.transactionIdHigh();
            message.xorMappedAddress(address);
            message.mappedAddress(address);
            message.username();
            message.usernameEquals("evtj:h6vY".getBytes(StandardCharsets.US_ASCII));
            message.software();
            message.realm();
            message.nonce();
            message.priority();
            message.useCandidate();
            message.iceControllingTieBreaker();
            message.iceControlledTieBreaker();
            message.errorCode();
            message.errorReason();
            for (int i = 0; i < message.unknownAttributesCount(); i++) {
                message.unknownAttribute(i);
            }
            message.copyUnknownComprehensionRequired(unknown);
            integrity.checkMessageIntegrity(message, key);
            integrity.checkMessageIntegritySha256(message, key);
            integrity.checkFingerprint(message);
            message.toString();
            return true;
        } catch (Throwable t) {
            throw new AssertionError("case " + caseNumber + " (seed " + SEED + ") threw on "
                + HexFormat.of().formatHex(bytes), t);
        }
    }

    private List<byte[]> seedMessages() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(StunTestVectors.load(StunTestVectors.SAMPLE_REQUEST));
        seeds.add(StunTestVectors.load(StunTestVectors.SAMPLE_IPV4_RESPONSE));
        seeds.add(StunTestVectors.load(StunTestVectors.SAMPLE_IPV6_RESPONSE));
        seeds.add(StunTestVectors.load(StunTestVectors.SAMPLE_LONG_TERM_REQUEST));
        UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        int length = new StunMessageWriter().wrap(out, 0, 256)
            .header(StunMessageType.BINDING_ERROR_RESPONSE, StunTestVectors.TRANSACTION_ID)
            .errorCode(StunErrorCode.UNKNOWN_ATTRIBUTE)
            .unknownAttributes(new int[] {0x7F00, 0x0003, 0x0004}, 3)
            .mappedAddress(new StunAddress().set(new byte[] {10, 0, 0, 1}, 9))
            .iceControlling(42)
            .useCandidate()
            .messageIntegrity(integrity, key)
            .messageIntegritySha256(integrity, key)
            .fingerprint(integrity)
            .length();
        byte[] built = new byte[length];
        out.getBytes(0, built);
        seeds.add(built);
        return seeds;
    }
}
