package io.sfu.core.rtp.codec;

import org.junit.jupiter.api.Test;

import static io.sfu.core.rtp.codec.PayloadVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

class H264PayloadParserTest {
    private final H264PayloadParser parser = new H264PayloadParser();

    @Test
    void reportsThePacketTypeOfEachPacketization() {
        assertThat(parser.parse(hex("65 88"), 0, 2)).isTrue();
        assertThat(parser.nalType()).isEqualTo(H264PayloadParser.NAL_IDR);
        assertThat(parser.parse(hex("78 00 01 65"), 0, 4)).isTrue();
        assertThat(parser.nalType()).isEqualTo(H264PayloadParser.STAP_A);
        assertThat(parser.parse(hex("7c 85 88"), 0, 3)).isTrue();
        assertThat(parser.nalType()).isEqualTo(H264PayloadParser.FU_A);
    }

    @Test
    void interleavedModePacketsParseButAreNeverKeyframes() {
        // RFC 6184 §5.7.1 STAP-B (25) and §5.8 FU-B (29) are not used by WebRTC (packetization-mode 0 and 1)
        assertThat(parser.parse(hex("79 00 00 00 01 65"), 0, 6)).isTrue();
        assertThat(parser.keyframe()).isFalse();
        assertThat(parser.parse(hex("7d 85 00 00 88"), 0, 5)).isTrue();
        assertThat(parser.keyframe()).isFalse();
    }

    @Test
    void stapAWithAnIdrAfterUnitsOfOtherTypesIsAKeyframe() {
        byte[] payload = hex("78 00 02 09 10 00 02 06 05 00 02 65 88");
        assertThat(parser.isKeyframe(payload, 0, payload.length)).isTrue();
    }
}
