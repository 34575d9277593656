package io.sfu.core.rtp.codec;

import io.sfu.core.rtp.codec.PayloadVectors.Outcome;
import io.sfu.core.rtp.codec.PayloadVectors.Vector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Table-driven: each hand-built payload of {@code rtp/codec/keyframe-payloads.txt} through its codec's parser. */
class KeyframePayloadVectorsTest {

    static List<Vector> vectors() {
        return PayloadVectors.all();
    }

    @Test
    void everyCodecHasKeyDeltaAndInvalidVectors() {
        for (String codec : new String[] {"VP8", "VP9", "H264", "AV1"}) {
            assertThat(PayloadVectors.of(codec)).extracting(Vector::outcome)
                .as(codec).contains(Outcome.KEY, Outcome.DELTA, Outcome.INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void byteArrayPayloadIsClassifiedAsTheFigureSays(Vector vector) {
        PayloadParser parser = (PayloadParser) KeyframeDetector.forCodec(vector.codec());
        byte[] exact = vector.payload().clone();
        assertThat(parser.parse(exact, 0, exact.length)).as("parses").isEqualTo(vector.outcome() != Outcome.INVALID);
        assertThat(parser.keyframe()).as("keyframe").isEqualTo(vector.outcome() == Outcome.KEY);
        assertThat(parser.isKeyframe(exact, 0, exact.length)).isEqualTo(vector.outcome() == Outcome.KEY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void payloadInsideALargerBufferIsReadOnlyWithinItsRange(Vector vector) {
        KeyframeDetector detector = KeyframeDetector.forCodec(vector.codec());
        byte[] payload = vector.payload();
        // surround the payload with bytes that would make a key frame if read past either end
        byte[] packet = new byte[payload.length + 24];
        Arrays.fill(packet, (byte) 0x10);
        System.arraycopy(payload, 0, packet, 12, payload.length);
        UnsafeBuffer buffer = new UnsafeBuffer(packet);
        assertThat(detector.isKeyframe(buffer, 12, payload.length)).isEqualTo(vector.outcome() == Outcome.KEY);
        assertThat(detector.isKeyframe(packet, 12, payload.length)).isEqualTo(vector.outcome() == Outcome.KEY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyShorterPrefixParsesWithoutReadingPastItsEnd(Vector vector) {
        KeyframeDetector detector = KeyframeDetector.forCodec(vector.codec());
        for (int length = 0; length <= vector.payload().length; length++) {
            byte[] prefix = Arrays.copyOf(vector.payload(), length);
            int prefixLength = length;
            // exact-size buffer: an over-read would throw from the bounds-checked UnsafeBuffer
            assertThatCode(() -> detector.isKeyframe(new UnsafeBuffer(prefix), 0, prefixLength))
                .as("prefix of %d bytes", length).doesNotThrowAnyException();
        }
    }
}
