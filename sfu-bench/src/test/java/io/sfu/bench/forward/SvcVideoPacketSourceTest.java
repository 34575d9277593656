package io.sfu.bench.forward;

import io.sfu.core.rtp.FrameDependencyReader;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packets of the L3T3 track tell their layer frame's spatial and temporal layer as the SFU reads them, by VP9's
 * payload descriptor or by the dependency descriptor.
 */
class SvcVideoPacketSourceTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final RtpPacket packet = new RtpPacket();
    private final Vp9PayloadParser vp9 = new Vp9PayloadParser();
    private final FrameDependencyReader dependencies = new FrameDependencyReader();

    @Test
    void eachPacketCarriesItsLayersPictureIdAndTheEndOfItsPicture() {
        SvcVideoPacketSource source = new SvcVideoPacketSource(0x1234, SvcLayerDescriptor.PAYLOAD);
        assertThat(packet.wrap(buffer, 0, source.write(buffer, 0))).isTrue();
        assertThat(vp9.parse(buffer, packet.payloadOffset(), packet.payloadLength()) && vp9.keyframe()).isTrue();

        assertThat(packet.wrap(buffer, 0, source.writeDelta(buffer, 0))).isTrue();
        for (long n = 1; n < 200; n++) {
            source.advance(packet, n);
            assertThat(vp9.parse(buffer, packet.payloadOffset(), packet.payloadLength())).isTrue();
            long picture = n / SvcVideoPacketSource.PACKETS_PER_PICTURE;
            int inLayerFrame = (int) (n % SvcVideoPacketSource.PACKETS_PER_LAYER_FRAME);
            assertThat(vp9.keyframe()).isFalse();
            assertThat(vp9.spatialId()).as("packet %d", n).isEqualTo(SvcVideoPacketSource.spatialIdOf(n));
            assertThat(vp9.temporalId()).isEqualTo(SvcVideoPacketSource.temporalIdOf(n));
            assertThat(vp9.pictureId()).isEqualTo((int) picture);
            assertThat(vp9.tl0PicIdx()).isEqualTo((int) (picture / 4));
            assertThat(vp9.startOfFrame()).isEqualTo(inLayerFrame == 0);
            assertThat(vp9.endOfFrame()).isEqualTo(inLayerFrame == SvcVideoPacketSource.PACKETS_PER_LAYER_FRAME - 1);
            assertThat(packet.marker()).isEqualTo(vp9.endOfFrame() && vp9.spatialId() == 2);
        }
    }

    private boolean readDependencies() {
        long found = packet.findExtension(SvcVideoPacketSource.DEPENDENCY_DESCRIPTOR_ID);
        return found != RtpPacket.NOT_FOUND && dependencies.read(buffer, RtpPacket.valueOffset(found),
            RtpPacket.valueLength(found));
    }

    @Test
    void eachPacketsDependencyDescriptorNamesTheTemplateOfItsLayersAndEndsItsFrames() {
        SvcVideoPacketSource source = new SvcVideoPacketSource(0x1234, SvcLayerDescriptor.DEPENDENCY);
        assertThat(packet.wrap(buffer, 0, source.write(buffer, 0))).isTrue();
        assertThat(packet.payloadType()).isEqualTo(SvcVideoPacketSource.AV1_PAYLOAD_TYPE);
        assertThat(readDependencies()).isTrue();
        assertThat(dependencies.structureRead()).isTrue();
        assertThat(dependencies.maxSpatialId()).isEqualTo(2);
        assertThat(dependencies.height(2)).isEqualTo(720);

        assertThat(packet.wrap(buffer, 0, source.writeDelta(buffer, 0))).isTrue();
        for (long n = 1; n < 200; n++) {
            source.advance(packet, n);
            assertThat(readDependencies()).as("packet %d", n).isTrue();
            int inLayerFrame = (int) (n % SvcVideoPacketSource.PACKETS_PER_LAYER_FRAME);
            assertThat(dependencies.spatialId()).as("packet %d", n).isEqualTo(SvcVideoPacketSource.spatialIdOf(n));
            assertThat(dependencies.temporalId()).isEqualTo(SvcVideoPacketSource.temporalIdOf(n));
            assertThat(dependencies.startOfFrame()).isEqualTo(inLayerFrame == 0);
            assertThat(dependencies.endOfFrame())
                .isEqualTo(inLayerFrame == SvcVideoPacketSource.PACKETS_PER_LAYER_FRAME - 1);
            assertThat(packet.marker()).isEqualTo(dependencies.endOfFrame() && dependencies.spatialId() == 2);
        }
    }
}
