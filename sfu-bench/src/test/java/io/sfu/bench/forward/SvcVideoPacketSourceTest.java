package io.sfu.bench.forward;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The packets of the L3T3 track tell their layer frame's spatial and temporal layer as the SFU reads them. */
class SvcVideoPacketSourceTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final RtpPacket packet = new RtpPacket();
    private final Vp9PayloadParser vp9 = new Vp9PayloadParser();

    @Test
    void eachPacketCarriesItsLayersPictureIdAndTheEndOfItsPicture() {
        SvcVideoPacketSource source = new SvcVideoPacketSource(0x1234);
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
}
