package io.sfu.client;

import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.ReceiveStatistics;

/**
 * One SSRC received on a {@link ClientPeerConnection}: the track it belongs to (when the SDP or the mid extension
 * named it), its RFC 3550 reception statistics for the receiver reports, and the NACK generator that asks for its
 * missing packets. Loop thread only.
 */
public final class ReceiveStream {
    private final int ssrc;
    private final RemoteTrack track;
    private final ReceiveStatistics statistics;
    private final NackGenerator nack;
    private int lastPayloadType = -1;
    private long packets;
    private long retransmissions;

    ReceiveStream(int ssrc, RemoteTrack track, int clockRateHz, NackGenerator nack) {
        this.ssrc = ssrc;
        this.track = track;
        this.statistics = new ReceiveStatistics(clockRateHz, 1);
        this.nack = nack;
    }

    void onPacket(int payloadType, boolean retransmission) {
        lastPayloadType = payloadType;
        packets++;
        if (retransmission) {
            retransmissions++;
        }
    }

    public int ssrc() {
        return ssrc;
    }

    /** The track, or null for a source that neither the SDP nor the mid extension named. */
    public RemoteTrack track() {
        return track;
    }

    /** RFC 3550 reception statistics (loss, jitter, extended highest sequence number). */
    public ReceiveStatistics statistics() {
        return statistics;
    }

    /** The NACK generator, or null when this stream is not NACKed (audio). */
    public NackGenerator nackGenerator() {
        return nack;
    }

    /** Payload type of the last media packet, or -1. */
    public int lastPayloadType() {
        return lastPayloadType;
    }

    /** Packets delivered, recovered ones included. */
    public long packetsReceived() {
        return packets;
    }

    /** Packets delivered as recovered (RTX, or a gap filled without RTX). */
    public long retransmissionsReceived() {
        return retransmissions;
    }

    @Override
    public String toString() {
        return "ReceiveStream{ssrc=" + (ssrc & 0xFFFF_FFFFL) + ", track=" + track + ", packets=" + packets + "}";
    }
}
