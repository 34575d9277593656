package io.sfu.bench.forward;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.codec.KeyframeDetector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class VideoPacketSourceTest {
    private final VideoPacketSource source = new VideoPacketSource(0x1234_5678);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final RtpPacket packet = new RtpPacket();
    private final KeyframeDetector vp8 = KeyframeDetector.forCodec("VP8");

    private RtpPacket written() {
        int length = source.write(buffer, 0);
        assertThat(packet.wrap(buffer, 0, length)).isTrue();
        return packet;
    }

    @Test
    void packetZeroIsABrowserLikeVp8KeyframeWithThreeOneByteExtensions() {
        RtpPacket rtp = written();

        assertThat(rtp.length()).isEqualTo(VideoPacketSource.PACKET_BYTES);
        assertThat(rtp.payloadLength()).isEqualTo(VideoPacketSource.PAYLOAD_BYTES);
        assertThat(rtp.hasOneByteExtensions()).isTrue();
        assertThat(rtp.ssrc()).isEqualTo(0x1234_5678);
        assertThat(rtp.payloadType()).isEqualTo(VideoPacketSource.VP8_PAYLOAD_TYPE);
        assertThat(rtp.sequenceNumber()).isEqualTo(VideoPacketSource.FIRST_SEQUENCE);
        assertThat(rtp.extensionValue(VideoPacketSource.TRANSPORT_CC_ID)).isEqualTo(VideoPacketSource.FIRST_SEQUENCE);
        assertThat(rtp.extensionValue(VideoPacketSource.ABS_SEND_TIME_ID)).isZero();
        long mid = rtp.findExtension(VideoPacketSource.MID_ID);
        byte[] midValue = new byte[RtpPacket.valueLength(mid)];
        buffer.getBytes(RtpPacket.valueOffset(mid), midValue);
        assertThat(new String(midValue, StandardCharsets.US_ASCII)).isEqualTo(VideoPacketSource.MID);
        assertThat(vp8.isKeyframe(buffer, rtp.payloadOffset(), rtp.payloadLength())).isTrue();
    }

    @Test
    void laterPacketsAreDeltaFramesOfFourPacketsWithAdvancingNumbers() {
        RtpPacket rtp = written();
        for (long n = 1; n <= 20_000; n++) {
            source.advance(rtp, n);
            int sequence = (int) ((VideoPacketSource.FIRST_SEQUENCE + n) & 0xFFFF);
            assertThat(rtp.sequenceNumber()).as("packet %d", n).isEqualTo(sequence);
            assertThat(rtp.extensionValue(VideoPacketSource.TRANSPORT_CC_ID)).as("packet %d", n).isEqualTo(sequence);
            assertThat(rtp.timestamp()).as("packet %d", n).isEqualTo(n / 4 * 3000);
            assertThat(rtp.marker()).as("packet %d", n).isEqualTo(n % 4 == 3);
            int descriptor = buffer.getByte(rtp.payloadOffset()) & 0xFF;
            assertThat((descriptor & 0x10) != 0).as("start bit of packet %d", n).isEqualTo(n % 4 == 0);
            int pictureId = ((buffer.getByte(rtp.payloadOffset() + 2) & 0x7F) << 8)
                | (buffer.getByte(rtp.payloadOffset() + 3) & 0xFF);
            assertThat(pictureId).as("picture id of packet %d", n).isEqualTo((int) (n / 4) & 0x7FFF);
            assertThat(vp8.isKeyframe(buffer, rtp.payloadOffset(), rtp.payloadLength())).as("packet %d", n)
                .isFalse();
            assertThat(VideoPacketSource.sequenceOf(n)).isEqualTo(sequence);
        }
        assertThat(rtp.length()).isEqualTo(VideoPacketSource.PACKET_BYTES);
    }
}
