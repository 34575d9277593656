package io.sfu.bench.forward;

import io.sfu.core.rtp.DependencyDescriptor;
import io.sfu.core.rtp.FrameDependencyReader;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.codec.Vp8PayloadParser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The packets of the L1T3 track tell their frame's temporal layer as the SFU reads it, in either descriptor. */
class LayeredVideoPacketSourceTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final RtpPacket packet = new RtpPacket();
    private final Vp8PayloadParser vp8 = new Vp8PayloadParser();

    @Test
    void thePayloadDescriptorCarriesPictureIdTl0PicIdxAndTheTemporalLayer() {
        LayeredVideoPacketSource source = new LayeredVideoPacketSource(0x1234, Vp8LayerDescriptor.PAYLOAD);
        assertThat(packet.wrap(buffer, 0, source.write(buffer, 0))).isTrue();
        assertThat(vp8.parse(buffer, packet.payloadOffset(), packet.payloadLength()) && vp8.keyframe()).isTrue();

        assertThat(packet.wrap(buffer, 0, source.writeDelta(buffer, 0))).isTrue();
        for (long n = 1; n < 200; n++) {
            source.advance(packet, n);
            assertThat(vp8.parse(buffer, packet.payloadOffset(), packet.payloadLength())).isTrue();
            long frame = n / LayeredVideoPacketSource.PACKETS_PER_FRAME;
            assertThat(vp8.keyframe()).isFalse();
            assertThat(vp8.temporalId()).as("packet %d", n).isEqualTo(LayeredVideoPacketSource.temporalIdOf(n));
            assertThat(vp8.pictureId()).isEqualTo((int) frame);
            assertThat(vp8.tl0PicIdx()).isEqualTo((int) (frame / 4));
            assertThat(vp8.startOfFrame()).isEqualTo(n % LayeredVideoPacketSource.PACKETS_PER_FRAME == 0);
            assertThat(vp8.layerSync()).isEqualTo(frame % 8 == 1 || frame % 8 == 2);
        }
    }

    @Test
    void theDependencyDescriptorCarriesTheLayersAndThePayloadDescriptorNone() {
        LayeredVideoPacketSource source = new LayeredVideoPacketSource(0x1234, Vp8LayerDescriptor.DEPENDENCY);
        FrameDependencyReader dependencies = new FrameDependencyReader();
        int id = LayeredVideoPacketSource.DEPENDENCY_DESCRIPTOR_ID;
        assertThat(packet.wrap(buffer, 0, source.write(buffer, 0))).isTrue();
        long found = packet.findExtension(id);
        assertThat(DependencyDescriptor.startsKeyframe(buffer, RtpPacket.valueOffset(found),
            RtpPacket.valueLength(found))).isTrue();
        assertThat(dependencies.read(buffer, RtpPacket.valueOffset(found), RtpPacket.valueLength(found))).isTrue();

        assertThat(packet.wrap(buffer, 0, source.writeDelta(buffer, 0))).isTrue();
        for (long n = 1; n < 200; n++) {
            source.advance(packet, n);
            found = packet.findExtension(id);
            assertThat(dependencies.read(buffer, RtpPacket.valueOffset(found), RtpPacket.valueLength(found)))
                .isTrue();
            assertThat(dependencies.temporalId()).as("packet %d", n)
                .isEqualTo(LayeredVideoPacketSource.temporalIdOf(n));
            assertThat(vp8.parse(buffer, packet.payloadOffset(), packet.payloadLength())).isTrue();
            assertThat(vp8.temporalId()).isEqualTo(Vp8PayloadParser.ABSENT);
            assertThat(vp8.pictureId()).isEqualTo(Vp8PayloadParser.ABSENT);
        }
    }
}
