package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.rtp.codec.Vp8PayloadParser;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * What one forwarding agent sends with: the scratch buffer a packet is rewritten into for one subscriber and then
 * protected in place, the buffer a retransmission is copied into from a history, their flyweights, and the socket.
 * Single-threaded, like its agent; a datagram the socket refuses is counted on its leg.
 */
final class Egress {
    final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    /** Over {@link #scratch}: the packet being rewritten for a subscriber. */
    final RtpPacket out = new RtpPacket();
    /** Where a NACKed packet is copied out of the history before it is rewritten into the scratch buffer. */
    final UnsafeBuffer retransmitBuffer = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    /** Over {@link #retransmitBuffer}. */
    final RtpPacket retransmitted = new RtpPacket();
    /** Reads the VP8 payload descriptor of a packet being resent, which is renumbered as it was first sent. */
    final Vp8PayloadParser retransmittedVp8 = new Vp8PayloadParser();
    /** Over {@link #scratch}: a packet made here (padding). */
    final RtpPacketWriter writer = new RtpPacketWriter();
    /** FCI words of the NACKs being written. */
    final int[] nackWords = new int[64];
    private final ByteBuffer scratchView = ByteBuffer.wrap(scratch.byteArray());
    private final DatagramOutput output;
    private long packetsForwarded;

    Egress(DatagramOutput output) {
        this.output = output;
    }

    /** Protects the RTP packet {@code scratch[0, length)} for {@code leg} and sends it; its size, or -1. */
    int sendRtp(Leg leg, int length) {
        return send(leg, length, false);
    }

    /** Protects the RTCP compound {@code scratch[0, length)} for {@code leg} and sends it, if it can. */
    void sendRtcp(Leg leg, int length) {
        send(leg, length, true);
    }

    private int send(Leg leg, int length, boolean rtcp) {
        if (leg.transport.remote() == null) {
            return -1;
        }
        int protectedLength = leg.transport.protect(scratch, length, rtcp);
        if (protectedLength < 0) {
            return -1;
        }
        scratchView.limit(protectedLength).position(0);
        if (!output.send(scratchView, leg.transport.remote())) {
            leg.onSendFailure();
            return -1;
        }
        return protectedLength;
    }

    /** Counts a packet forwarded to a subscriber (retransmissions are not counted). */
    void onForwarded() {
        packetsForwarded++;
    }

    long packetsForwarded() {
        return packetsForwarded;
    }
}
