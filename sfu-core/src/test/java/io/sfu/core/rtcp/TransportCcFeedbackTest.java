package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1. */
class TransportCcFeedbackTest {
    private final TransportCcFeedback feedback = new TransportCcFeedback();

    private boolean wrap(byte[] bytes) {
        return feedback.wrap(RtcpFixtures.buffer(bytes, 2), 2, bytes.length);
    }

    /** Every report as "seq:status:deltaUs". */
    private List<String> reports() {
        List<String> out = new ArrayList<>();
        int count = feedback.forEachPacket((seq, status, deltaUs) -> out.add(seq + ":" + status + ":" + deltaUs));
        assertThat(count).isEqualTo(out.size());
        return out;
    }

    private static List<String> repeat(int fromSeq, int count, int status) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add((fromSeq + i) + ":" + status + ":0");
        }
        return out;
    }

    @Test
    void readsAFeedbackBuiltFromTheDraftChunkExamples() {
        assertThat(wrap(RtcpFixtures.bytes("twcc-draft-chunk-examples.hex"))).isTrue();

        assertThat(feedback.senderSsrc()).isEqualTo(1);
        assertThat(feedback.mediaSsrc()).isEqualTo(0x11223344);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(65534);
        assertThat(feedback.packetStatusCount()).isEqualTo(254);
        assertThat(feedback.receivedCount()).isEqualTo(2 + 4 + 24);
        assertThat(feedback.referenceTime()).isEqualTo(16);
        assertThat(feedback.referenceTimeUs()).isEqualTo(1_024_000L);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(9);

        List<String> expected = new ArrayList<>(List.of("65534:1:250", "65535:1:500"));
        expected.addAll(repeat(0, 221, TransportCcFeedback.STATUS_NOT_RECEIVED));
        expected.addAll(List.of("221:0:0", "222:3:0", "223:1:750", "224:1:1000", "225:1:63750", "226:0:0",
            "227:0:0"));
        expected.addAll(repeat(228, 24, TransportCcFeedback.STATUS_RECEIVED_NO_DELTA));
        assertThat(reports()).containsExactlyElementsOf(expected);
    }

    @Test
    void readsTheDraftOneBitStatusVectorExample() {
        assertThat(wrap(RtcpFixtures.bytes("twcc-draft-one-bit-example.hex"))).isTrue();

        assertThat(feedback.referenceTime()).isEqualTo(-1);
        assertThat(feedback.referenceTimeUs()).isEqualTo(-64_000L);
        assertThat(reports()).containsExactly("256:0:0", "257:1:0", "258:1:250", "259:1:500", "260:1:750",
            "261:1:1000", "262:0:0", "263:0:0", "264:0:0", "265:1:1250", "266:1:1500", "267:1:1750", "268:0:0",
            "269:0:0");
    }

    @Test
    void readsLargeAndNegativeDeltas() {
        // two-bit vector: small, large, large; deltas 16, 32767, -32768 ticks of 250 us
        assertThat(wrap(hex("8f cd 00 06  00 00 00 01  00 00 00 02  00 0a 00 03  00 00 01 00"
            + "da 00 10 7f  ff 80 00 00"))).isTrue();

        assertThat(reports()).containsExactly("10:1:4000", "11:2:8191750", "12:2:-8192000");
    }

    @Test
    void acceptsRtcpPaddingInsteadOfZeroPadding() {
        assertThat(wrap(hex("af cd 00 05  00 00 00 01  00 00 00 02  00 01 00 01  00 00 02 07  20 01 05 01"))).isTrue();

        assertThat(reports()).containsExactly("1:1:1250");
    }

    @Test
    void stopsARunLengthChunkAtTheStatusCount() {
        assertThat(wrap(hex("8f cd 00 05  00 00 00 01  00 00 00 02  00 05 00 02  00 00 00 00  20 09 01 02"))).isTrue();

        assertThat(reports()).containsExactly("5:1:250", "6:1:500");
    }

    @Test
    void acceptsAnEmptyFeedback() {
        assertThat(wrap(hex("8f cd 00 04  00 00 00 01  00 00 00 02  00 05 00 00  00 00 00 00"))).isTrue();

        assertThat(reports()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // chunks cover 5 of 20 statuses before the end
        "8f cd 00 05  00 00 00 01  00 00 00 02  00 05 00 14  00 00 00 00  00 05 00 00",
        // a run of 3 small deltas with room for 2
        "8f cd 00 05  00 00 00 01  00 00 00 02  00 05 00 03  00 00 00 00  20 03 01 02",
        // two-bit vector (small, large): the large delta is cut in half by the end
        "8f cd 00 05  00 00 00 01  00 00 00 02  00 05 00 02  00 00 00 00  d8 00 01 c0",
        // no room for the reference time
        "8f cd 00 03  00 00 00 01  00 00 00 02  00 05 00 00",
        // the deltas reach into the padding
        "af cd 00 05  00 00 00 01  00 00 00 02  00 05 00 01  00 00 00 00  40 01 7f 02",
        // FMT 1, not 15
        "81 cd 00 04  00 00 00 01  00 00 00 02  00 05 00 00  00 00 00 00",
    })
    void rejectsMalformedFeedback(String bytes) {
        assertThat(wrap(hex(bytes))).isFalse();
    }
}
