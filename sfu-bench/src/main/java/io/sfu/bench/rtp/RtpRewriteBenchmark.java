package io.sfu.bench.rtp;

import io.sfu.bench.NanosecondBenchmark;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

import java.nio.charset.StandardCharsets;

/**
 * The per-subscriber header rewrite of the forwarding path on a 1,200-octet video packet with a one-byte
 * extension block: wrap, find the transport-wide sequence number, rewrite SSRC, sequence number, timestamp and
 * payload type, and remap the mid extension's id.
 */
public class RtpRewriteBenchmark extends NanosecondBenchmark {
    private static final int PACKET_LENGTH = 1200;
    private static final int ABS_SEND_TIME_ID = 2;
    private static final int TRANSPORT_CC_ID = 3;
    private static final int MID_ID = 4;
    private static final int REMAPPED_MID_ID = 9;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
    private final RtpPacket packet = new RtpPacket();
    private int length;
    private int sequenceNumber;
    private int midId;

    @Setup
    public void setUp() {
        RtpPacketWriter writer = new RtpPacketWriter().wrap(buffer, 0, buffer.capacity())
            .payloadType(96).sequenceNumber(1).timestamp(90_000).ssrc(0x1F2E3D4C)
            .extension(ABS_SEND_TIME_ID, 0x4B1C2D, 3)
            .extension(TRANSPORT_CC_ID, 500, 2)
            .extension(MID_ID, "1".getBytes(StandardCharsets.US_ASCII));
        int headerLength = writer.length();
        length = writer.payload(new byte[PACKET_LENGTH - headerLength]).length();
        midId = MID_ID;
        if (length != PACKET_LENGTH || !packet.wrap(buffer, 0, length)) {
            throw new IllegalStateException("benchmark packet is " + length + " octets");
        }
    }

    @Benchmark
    public long wrapFindAndRewrite() {
        RtpPacket rtp = packet;
        if (!rtp.wrap(buffer, 0, length)) {
            return -1;
        }
        long transportSequence = rtp.findExtension(TRANSPORT_CC_ID);
        int sequence = sequenceNumber++;
        rtp.ssrc(0x0BADF00D ^ sequence)
            .sequenceNumber(sequence)
            .timestamp(3000L * sequence)
            .payloadType(96 + (sequence & 1));
        int to = midId == MID_ID ? REMAPPED_MID_ID : MID_ID;
        if (rtp.rewriteExtensionId(midId, to)) {
            midId = to;
        }
        return transportSequence + rtp.payloadLength();
    }
}
