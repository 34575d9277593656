package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.net.DatagramOutput;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.rtp.codec.Vp8PayloadParser;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * What one forwarding agent sends with: the scratch buffer a packet is rewritten into for one subscriber and then
 * protected in place, the buffer a retransmission is copied into from a history, their flyweights, and the socket;
 * video goes through its leg's {@link Pacer}.
 * Single-threaded, like its agent; a datagram the socket refuses is counted on its leg.
 */
final class Egress {
    final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    /** Over {@link #scratch}: the packet being rewritten for a subscriber. */
    final RtpPacket out = new RtpPacket();
    /** Where a NACKed packet is copied out of the history before it is rewritten into the scratch buffer. */
    final UnsafeBuffer retransmitBuffer = new UnsafeBuffer(new byte[PacketSlot.CAPACITY]);
    /** Over {@link #scratch}: a packet numbered in its subscriber's transport-wide sequence as it leaves. */
    private final RtpPacket stamped = new RtpPacket();
    /** Over {@link #retransmitBuffer}. */
    final RtpPacket retransmitted = new RtpPacket();
    /** Reads the VP8 payload descriptor of a packet being resent, which is renumbered as it was first sent. */
    final Vp8PayloadParser retransmittedVp8 = new Vp8PayloadParser();
    /** The same for VP9, whose layer frame ends are marked for the subscriber as they were first sent. */
    final Vp9PayloadParser retransmittedVp9 = new Vp9PayloadParser();
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

    /** Protects the RTP packet {@code scratch[0, length)} for {@code leg} and sends it now; its size, or -1. */
    int sendRtp(Leg leg, int length, long nowNs) {
        int sent = send(leg, length, false);
        if (sent > 0) {
            leg.pacer.onSent(sent, nowNs);
        }
        return sent;
    }

    /**
     * Sends the RTP packet {@code scratch[0, length)} to {@code leg}'s subscriber, numbered in its transport-wide
     * sequence when {@code transportCcId} (the extension's id in the packet) is not 0: now, or when {@code paced}
     * (video) once its leg's {@link Pacer} lets it go. Returns its size once protected (queued counts as sent), or
     * -1.
     */
    int sendMedia(Leg leg, int length, int transportCcId, boolean paced, long nowNs) {
        if (paced && leg.pacer.mustWait(nowNs)) {
            if (leg.pacer.offer(scratch, length, transportCcId, nowNs)) {
                leg.onPacerQueued();
                return leg.transport.protectedRtpLength(length);
            }
        }
        stampTransportSequence(leg, transportCcId, length, nowNs);
        return sendRtp(leg, length, nowNs);
    }

    /** Sends what {@code leg}'s pacer lets go now; the packets sent. */
    int drainPacer(Leg leg, long nowNs) {
        Pacer pacer = leg.pacer;
        int packets = 0;
        while (pacer.ready(nowNs)) {
            int length = pacer.poll(scratch, nowNs);
            stampTransportSequence(leg, pacer.polledTransportCcId(), length, nowNs);
            if (sendRtp(leg, length, nowNs) < 0) {
                leg.onPacedDrop();
            }
            packets++;
        }
        return packets;
    }

    /**
     * Numbers the packet in {@code scratch} in the leg's own transport-wide sequence as it leaves, and tells the
     * estimator of the leg's downlink when it left and how large it was.
     */
    private void stampTransportSequence(Leg leg, int transportCcId, int length, long nowNs) {
        if (transportCcId <= 0 || !stamped.wrap(scratch, 0, length)) {
            return;
        }
        int sequence = leg.stampTransportSequence(stamped, transportCcId);
        if (sequence >= 0) {
            leg.bandwidth.onPacketSent(sequence, length, nowNs);
        }
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
        DatagramOutput target = leg.transport.output();
        if (!(target != null ? target : output).send(scratchView, leg.transport.remote())) {
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
