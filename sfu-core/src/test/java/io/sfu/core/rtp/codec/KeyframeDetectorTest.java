package io.sfu.core.rtp.codec;

import io.sfu.core.testing.Allocations;
import io.sfu.core.rtp.codec.PayloadVectors.Outcome;
import io.sfu.core.rtp.codec.PayloadVectors.Vector;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.sfu.core.rtp.codec.PayloadVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class KeyframeDetectorTest {
    private static final String[] CODECS = {"VP8", "VP9", "H264", "AV1"};
    private static final long SEED = 0x5EED_F00DL;
    private static final int RUNS = 20_000;

    @Test
    void factoryKnowsTheFourVideoCodecsByNameInAnyCase() {
        assertThat(KeyframeDetector.forCodec("vp8")).isInstanceOf(Vp8PayloadParser.class);
        assertThat(KeyframeDetector.forCodec("VP9")).isInstanceOf(Vp9PayloadParser.class);
        assertThat(KeyframeDetector.forCodec("h264")).isInstanceOf(H264PayloadParser.class);
        assertThat(KeyframeDetector.forCodec("Av1")).isInstanceOf(Av1PayloadParser.class);
        for (String codec : CODECS) {
            assertThat(KeyframeDetector.forCodec(codec).codec()).isEqualTo(codec);
            assertThat(KeyframeDetector.supports(codec.toLowerCase())).isTrue();
        }
    }

    @Test
    void factoryRejectsAnUnknownCodecByName() {
        assertThat(KeyframeDetector.supports("opus")).isFalse();
        assertThat(KeyframeDetector.supports(null)).isFalse();
        assertThatThrownBy(() -> KeyframeDetector.forCodec("opus"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("opus");
    }

    @Test
    void factoryGivesEachStreamItsOwnDetector() {
        assertThat(KeyframeDetector.forCodec("VP8")).isNotSameAs(KeyframeDetector.forCodec("VP8"));
    }

    @Test
    void rangesOutsideTheBufferAreNotKeyframes() {
        byte[] key = hex("65 88 84 00");
        UnsafeBuffer buffer = new UnsafeBuffer(key);
        KeyframeDetector detector = KeyframeDetector.forCodec("H264");
        assertThat(detector.isKeyframe(buffer, 0, 4)).isTrue();
        int[][] ranges = {{-1, 2}, {0, 5}, {3, 2}, {4, 1}, {0, -1}, {Integer.MAX_VALUE, 1}, {1, Integer.MAX_VALUE},
            {0, 0}};
        for (int[] range : ranges) {
            assertThat(detector.isKeyframe(buffer, range[0], range[1])).as("range %d+%d", range[0], range[1])
                .isFalse();
            assertThat(detector.isKeyframe(key, range[0], range[1])).isFalse();
        }
        assertThat(detector.isKeyframe((DirectBuffer) null, 0, 1)).isFalse();
        assertThat(detector.isKeyframe((byte[]) null, 0, 1)).isFalse();
    }

    @Test
    void randomPayloadsNeverThrowAndBothEntryPointsAgree() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (String codec : CODECS) {
            PayloadParser parser = (PayloadParser) KeyframeDetector.forCodec(codec);
            for (int run = 0; run < RUNS; run++) {
                byte[] payload = new byte[random.nextInt(0, 48)];
                random.nextBytes(payload);
                // bias the first byte toward the descriptor bits that open optional fields
                if (payload.length > 0 && random.nextBoolean()) {
                    payload[0] |= (byte) 0x80;
                }
                check(parser, codec, payload, run);
            }
        }
    }

    @Test
    void mutatedVectorsNeverThrowAndBothEntryPointsAgree() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<Vector> vectors = PayloadVectors.all();
        for (int run = 0; run < RUNS; run++) {
            Vector vector = vectors.get(random.nextInt(vectors.size()));
            byte[] payload = vector.payload().clone();
            int flips = random.nextInt(1, 4);
            for (int i = 0; i < flips && payload.length > 0; i++) {
                payload[random.nextInt(payload.length)] ^= (byte) (1 << random.nextInt(8));
            }
            int length = random.nextInt(payload.length + 1);
            check((PayloadParser) KeyframeDetector.forCodec(vector.codec()), vector.codec(),
                java.util.Arrays.copyOf(payload, length), run);
        }
    }

    private static void check(PayloadParser parser, String codec, byte[] payload, int run) {
        try {
            // exact-size buffer: an over-read would throw from the bounds-checked UnsafeBuffer
            boolean viaBuffer = parser.isKeyframe(new UnsafeBuffer(payload), 0, payload.length);
            boolean viaArray = parser.isKeyframe(payload, 0, payload.length);
            assertThat(viaArray).as("seed %d, run %d, %s %s", SEED, run, codec, hexOf(payload))
                .isEqualTo(viaBuffer);
        } catch (RuntimeException e) {
            fail("seed " + SEED + ", run " + run + ", " + codec + " " + hexOf(payload) + " threw", e);
        }
    }

    private static String hexOf(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x ", b));
        }
        return text.toString().trim();
    }

    @Test
    void detectingAllocatesNothing() {
        for (Vector vector : PayloadVectors.all()) {
            if (vector.outcome() != Outcome.KEY) {
                continue;
            }
            KeyframeDetector detector = KeyframeDetector.forCodec(vector.codec());
            byte[] payload = vector.payload();
            UnsafeBuffer buffer = new UnsafeBuffer(payload);
            boolean[] sink = new boolean[1];
            assertThat(Allocations.bytesPerRun(() -> sink[0] ^= detector.isKeyframe(buffer, 0, payload.length)
                ^ detector.isKeyframe(payload, 0, payload.length))).as(vector.toString()).isLessThan(0.01);
        }
    }
}
