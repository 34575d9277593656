package io.sfu.core.rtp.codec;

import org.junit.jupiter.api.Test;

import static io.sfu.core.rtp.codec.PayloadVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

class Vp9PayloadParserTest {
    private final Vp9PayloadParser parser = new Vp9PayloadParser();

    @Test
    void readsLayerIndicesAndScalabilityStructureInNonFlexibleMode() {
        // RFC 9628 §4.2 non-flexible, L, V; §4.2.1 SS: N_S=1, Y, G with N_G=2 groups (R=0, R=1)
        byte[] payload = hex("aa 81 23 00 07 38 01 40 00 b4 02 80 01 68 02 00 24 01 82 49");
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.pictureId()).isEqualTo(0x123);
        assertThat(parser.pictureIdBits()).isEqualTo(15);
        assertThat(parser.temporalId()).isZero();
        assertThat(parser.spatialId()).isZero();
        assertThat(parser.tl0PicIdx()).isEqualTo(7);
        assertThat(parser.hasScalabilityStructure()).isTrue();
        assertThat(parser.spatialLayerCount()).isEqualTo(2);
        assertThat(parser.resolutionsPresent()).isTrue();
        assertThat(parser.width(0)).isEqualTo(320);
        assertThat(parser.height(0)).isEqualTo(180);
        assertThat(parser.width(1)).isEqualTo(640);
        assertThat(parser.height(1)).isEqualTo(360);
        assertThat(parser.descriptorLength()).isEqualTo(18);
        assertThat(parser.startOfFrame()).isTrue();
        assertThat(parser.endOfFrame()).isFalse();
        assertThat(parser.keyframe()).isTrue();
    }

    @Test
    void readsReferencesInFlexibleMode() {
        byte[] payload = hex("fd 81 24 b3 03 05 06 86");
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.flexibleMode()).isTrue();
        assertThat(parser.interPicturePredicted()).isTrue();
        assertThat(parser.temporalId()).isEqualTo(5);
        assertThat(parser.switchingUpPoint()).isTrue();
        assertThat(parser.spatialId()).isEqualTo(1);
        assertThat(parser.interLayerDependency()).isTrue();
        assertThat(parser.tl0PicIdx()).isEqualTo(Vp9PayloadParser.ABSENT);
        assertThat(parser.referenceCount()).isEqualTo(3);
        assertThat(parser.endOfFrame()).isTrue();
        assertThat(parser.notReferencedByUpperSpatialLayers()).isTrue();
        assertThat(parser.descriptorLength()).isEqualTo(7);
        assertThat(parser.keyframe()).isFalse();
    }

    @Test
    void keyframeWithoutLayerIndicesCountsAsSpatialLayerZero() {
        byte[] payload = hex("08 82");
        assertThat(parser.parse(payload, 0, payload.length)).isTrue();
        assertThat(parser.hasPictureId()).isFalse();
        assertThat(parser.pictureId()).isEqualTo(Vp9PayloadParser.ABSENT);
        assertThat(parser.spatialId()).isEqualTo(Vp9PayloadParser.ABSENT);
        assertThat(parser.keyframe()).isTrue();
    }
}
