package io.sfu.core.rtp.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sfu.core.rtp.codec.PayloadVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

class Vp8PayloadParserTest {
    private final Vp8PayloadParser parser = new Vp8PayloadParser();

    @Test
    void readsFifteenBitPictureIdTl0PicIdxAndTemporalLayer() {
        // RFC 7741 §4.2: X, I (M=1), L, T, K
        byte[] payload = hex("b0 f0 92 34 05 65 50 01 00 9d 01 2a");
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.nonReference()).isTrue();
        assertThat(parser.startOfPartition()).isTrue();
        assertThat(parser.partitionId()).isZero();
        assertThat(parser.pictureId()).isEqualTo(0x1234);
        assertThat(parser.pictureIdBits()).isEqualTo(15);
        assertThat(parser.tl0PicIdx()).isEqualTo(5);
        assertThat(parser.temporalId()).isEqualTo(1);
        assertThat(parser.layerSync()).isTrue();
        assertThat(parser.keyIndex()).isEqualTo(5);
        assertThat(parser.descriptorLength()).isEqualTo(6);
        assertThat(parser.keyframe()).isTrue();
    }

    @Test
    void readsSevenBitPictureIdAndMarksAbsentFields() {
        byte[] payload = hex("90 80 7f 51 02 00");
        assertThat(parser.parse(new UnsafeBuffer(payload), 0, payload.length)).isTrue();
        assertThat(parser.pictureId()).isEqualTo(0x7F);
        assertThat(parser.pictureIdBits()).isEqualTo(7);
        assertThat(parser.tl0PicIdx()).isEqualTo(Vp8PayloadParser.ABSENT);
        assertThat(parser.temporalId()).isEqualTo(Vp8PayloadParser.ABSENT);
        assertThat(parser.keyIndex()).isEqualTo(Vp8PayloadParser.ABSENT);
        assertThat(parser.descriptorLength()).isEqualTo(3);
        assertThat(parser.keyframe()).isFalse();
    }

    @Test
    void fieldsOfAPreviousPacketDoNotLeakIntoTheNext() {
        byte[] withPictureId = hex("90 e0 92 34 05 20 51 02 00");
        byte[] without = hex("10 51 02 00");
        parser.parse(withPictureId, 0, withPictureId.length);
        assertThat(parser.parse(without, 0, without.length)).isTrue();
        assertThat(parser.pictureId()).isEqualTo(Vp8PayloadParser.ABSENT);
        assertThat(parser.tl0PicIdx()).isEqualTo(Vp8PayloadParser.ABSENT);
        assertThat(parser.temporalId()).isEqualTo(Vp8PayloadParser.ABSENT);
        assertThat(parser.descriptorLength()).isEqualTo(1);
    }

    @Test
    void failedParseClearsTheKeyframeFlag() {
        byte[] key = hex("10 50 01 00 9d 01 2a 80 02 e0 01");
        assertThat(parser.parse(key, 0, key.length)).isTrue();
        assertThat(parser.keyframe()).isTrue();
        assertThat(parser.parse(key, 0, 0)).isFalse();
        assertThat(parser.keyframe()).isFalse();
    }
}
