package io.sfu.core.rtp;

import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The forwarding path's per-packet work on RTP allocates nothing. */
class RtpPacketAllocationTest {

    @Test
    void wrapFindAndRewriteAllocateNothing() {
        byte[] bytes = RtpFixtures.bytes("browser-opus-one-byte-extensions.hex");
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
        buffer.putBytes(0, bytes);
        RtpPacket packet = new RtpPacket();
        RtpExtensionCursor cursor = new RtpExtensionCursor();
        int[] idMap = new int[16];
        for (int i = 0; i < idMap.length; i++) {
            idMap[i] = i;
        }
        long[] sink = new long[1];

        Runnable forward = () -> {
            if (!packet.wrap(buffer, 0, bytes.length)) {
                throw new AssertionError("fixture must wrap");
            }
            long transportSeq = packet.findExtension(3);
            int seq = packet.sequenceNumber();
            packet.payloadType(packet.payloadType() ^ 1)
                .ssrc(packet.ssrc() + 1)
                .sequenceNumber(seq + 1)
                .timestamp(packet.timestamp() + 960);
            int from = packet.findExtension(4) != RtpPacket.NOT_FOUND ? 4 : 9;
            packet.rewriteExtensionId(from, from == 4 ? 9 : 4);
            packet.putExtensionValue(3, seq);
            packet.remapExtensionIds(idMap);
            cursor.reset(packet);
            while (cursor.next()) {
                sink[0] += cursor.id();
            }
            sink[0] += RtpPacket.valueOffset(transportSeq) + packet.payloadLength();
        };

        assertThat(Allocations.bytesPerRun(forward)).isLessThan(0.01);
        assertThat(sink[0]).isPositive();
    }
}
