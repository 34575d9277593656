package io.sfu.core.rtp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spatial and temporal layer and the switch points of frames, from dependency descriptors (AV1 RTP specification,
 * A.8) as Chromium sends them with VP8 in three temporal layers (L1T3), recorded, from a synthetic L3T3 structure with
 * chains and resolutions ({@link L3T3Descriptors}), and made up where Chromium does not go.
 */
class FrameDependencyReaderTest {
    /**
     * Chromium's key frame descriptor for VP8 L1T3: template 0, frame 1, and the structure of seven templates whose
     * temporal layers are 0, 0, 0, 1, 1, 2, 2 and whose indications for the three decode targets are SSS, SSS, SRR,
     * -SS, -DS, --D, --D.
     */
    private static final String KEYFRAME = "8000018002044eaaaf2860414d34538a0940409fc077c0";

    private final FrameDependencyReader reader = new FrameDependencyReader();

    private boolean read(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        byte[] padded = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        return reader.read(new UnsafeBuffer(padded), 2, bytes.length);
    }

    @Test
    void aKeyframeStartsEveryLayer() {
        assertThat(read(KEYFRAME)).isTrue();
        assertThat(reader.temporalId()).isZero();
        assertThat(reader.switchLayers()).isEqualTo(0b111);
    }

    @Test
    void theLaterFramesNameTheirTemplateOfTheStructure() {
        read(KEYFRAME);

        assertThat(read("c50002")).isTrue();
        assertThat(reader.temporalId()).as("--D").isEqualTo(2);
        assertThat(reader.switchLayers()).isZero();
        assertThat(read("c30003")).isTrue();
        assertThat(reader.temporalId()).as("-SS").isEqualTo(1);
        assertThat(reader.switchLayers()).isEqualTo(0b111);
        assertThat(read("820005")).isTrue();
        assertThat(reader.temporalId()).as("SRR").isZero();
        assertThat(reader.switchLayers()).isEqualTo(0b1);
        assertThat(read("c40007")).isTrue();
        assertThat(reader.temporalId()).as("-DS").isEqualTo(1);
        assertThat(reader.switchLayers()).isEqualTo(0b111);
        assertThat(read("810009")).isTrue();
        assertThat(reader.temporalId()).as("SSS: a base layer frame every layer can start at").isZero();
        assertThat(reader.switchLayers()).isEqualTo(0b111);
    }

    @Test
    void customIndicationsReplaceTheTemplates() {
        read(KEYFRAME);

        // template 5 (a TL2 frame, --D) with its own indications --S
        assertThat(read("8500102040")).isTrue();
        assertThat(reader.temporalId()).isEqualTo(2);
        assertThat(reader.switchLayers()).isEqualTo(0b111);
        // the same after an active decode targets bitmask (all three active)
        assertThat(read("8500106708")).isTrue();
        assertThat(reader.switchLayers()).isEqualTo(0b111);
    }

    @Test
    void nothingIsReadBeforeAStructureOrFromAMalformedDescriptor() {
        assertThat(read("c50002")).as("no structure yet").isFalse();
        assertThat(reader.temporalId()).isEqualTo(-1);
        assertThat(read("8000")).as("shorter than the mandatory fields").isFalse();
        assertThat(read(KEYFRAME.substring(0, 12))).as("a structure cut short").isFalse();
        assertThat(read("c50002")).as("no structure known after a broken one").isFalse();

        read(KEYFRAME);
        assertThat(read("c70002")).as("a template the structure does not have").isFalse();
        assertThat(read("85001020")).as("custom indications cut short").isFalse();
    }

    private boolean read(byte[] bytes) {
        return reader.read(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Test
    void chromiumsL1T3StructureHasOneSpatialLayerAndItsResolution() {
        read(KEYFRAME);

        assertThat(reader.maxSpatialId()).isZero();
        assertThat(reader.spatialId()).isZero();
        assertThat(reader.structureRead()).isTrue();
        assertThat(reader.height(0)).as("640x480, past the fdiffs and chains").isEqualTo(480);
        assertThat(read("c50002")).isTrue();
        assertThat(reader.structureRead()).isFalse();
    }

    @Test
    void eachTemplateOfAnL3T3StructureGivesItsSpatialAndTemporalLayer() {
        assertThat(read(L3T3Descriptors.descriptor(true, false, 0, 1, true))).isTrue();
        assertThat(reader.maxSpatialId()).isEqualTo(2);
        assertThat(reader.spatialId()).isZero();
        assertThat(reader.startOfFrame()).isTrue();
        assertThat(reader.endOfFrame()).isFalse();
        assertThat(reader.height(0)).isEqualTo(180);
        assertThat(reader.height(1)).isEqualTo(360);
        assertThat(reader.height(2)).isEqualTo(720);
        assertThat(reader.height(3)).as("no such layer").isZero();

        for (int spatial = 0; spatial < 3; spatial++) {
            for (int temporal = 0; temporal < 3; temporal++) {
                byte[] descriptor = L3T3Descriptors.descriptor(false, true,
                    L3T3Descriptors.template(spatial, temporal, false), 2, false);
                assertThat(read(descriptor)).isTrue();
                assertThat(reader.spatialId()).as("S%dT%d", spatial, temporal).isEqualTo(spatial);
                assertThat(reader.temporalId()).as("S%dT%d", spatial, temporal).isEqualTo(temporal);
                assertThat(reader.endOfFrame()).isTrue();
                assertThat(reader.spatialIdOfTemplate(new UnsafeBuffer(descriptor), 0, descriptor.length))
                    .isEqualTo(spatial);
            }
        }
        assertThat(read(L3T3Descriptors.descriptor(true, true, L3T3Descriptors.template(2, 0, true), 3, false)))
            .isTrue();
        assertThat(reader.spatialId()).as("the top layer's frame of a key picture").isEqualTo(2);
        assertThat(reader.switchLayers()).isEqualTo(0b111);
    }

    @Test
    void aStructureSentAgainIsNotKeptWhenOnlyItsTemplateIsLookedUp() {
        read(KEYFRAME);
        byte[] l3t3 = L3T3Descriptors.descriptor(true, false, 0, 1, true);

        assertThat(reader.spatialIdOfTemplate(new UnsafeBuffer(l3t3), 0, l3t3.length))
            .as("Chromium's L1T3 structure has no spatial layers").isEqualTo(-1);
        assertThat(read("c50002")).isTrue();
        assertThat(reader.temporalId()).as("still by the L1T3 structure").isEqualTo(2);
    }
}
