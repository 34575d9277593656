package io.sfu.core.rtp.codec;

import org.junit.jupiter.api.Test;

import static io.sfu.core.rtp.codec.PayloadVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

class Av1PayloadParserTest {
    private final Av1PayloadParser parser = new Av1PayloadParser();

    @Test
    void readsAggregationHeaderAndFirstObuType() {
        byte[] payload = hex("78 02 08 00 01 30 10");
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.continuesPreviousObu()).isFalse();
        assertThat(parser.continuesInNextPacket()).isTrue();
        assertThat(parser.elementCount()).isEqualTo(3);
        assertThat(parser.startsNewCodedVideoSequence()).isTrue();
        assertThat(parser.firstObuType()).isEqualTo(Av1PayloadParser.OBU_SEQUENCE_HEADER);
        assertThat(parser.keyframe()).isTrue();
    }

    @Test
    void continuationHasNoFirstObuType() {
        byte[] payload = hex("90 12 34");
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.continuesPreviousObu()).isTrue();
        assertThat(parser.firstObuType()).isEqualTo(Av1PayloadParser.ABSENT);
        assertThat(parser.keyframe()).isFalse();
    }

    @Test
    void readsAMultiByteLeb128ElementLength() {
        // W=0, N=1; first element length 130 = LEB128 82 01, holding a temporal delimiter then padding
        byte[] payload = new byte[3 + 130];
        payload[0] = 0x08;
        payload[1] = (byte) 0x82;
        payload[2] = 0x01;
        payload[3] = 0x10;
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.firstObuType()).isEqualTo(Av1PayloadParser.OBU_TEMPORAL_DELIMITER);
        assertThat(parser.keyframe()).isTrue();
        assertThat(parser.parse(payload, 0, payload.length - 1)).isFalse();
    }
}
