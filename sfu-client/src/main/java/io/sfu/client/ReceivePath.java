package io.sfu.client;

import java.nio.ByteBuffer;

import io.sfu.core.feedback.NackGenerator;
import io.sfu.core.feedback.ReceiveStatistics;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtxPacket;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where one connection's datagrams go once read. They are told apart by their first byte (RFC 7983): STUN and DTLS
 * go to the transport, RTCP to {@link ClientRtcp}, and RTP, after the seeded receive {@link Impairment}, is
 * unprotected, unwrapped when it came as RTX (RFC 4588), counted in its stream's statistics and NACK generator, and
 * delivered to the listener. With {@link ClientPeerConnectionConfig#lightReceive()} RTP is counted and delivered
 * still protected instead, and decrypted only when the listener asks ({@link #unprotectDelivered}). Loop thread;
 * nothing is allocated per packet.
 */
final class ReceivePath {
    private static final int PADDING_BIT = 0x20;
    private final ClientPeerConnection pc;
    private final ClientStats stats;
    private final ClientTransport transport;
    private final ReceiveStreams streams;
    private final ClientRtcp rtcp;
    private final ImpairmentQueue receiveQueue;
    private final ImpairmentQueue.Sink receiveSink = this::onMedia;
    private final RtpPacket rtp = new RtpPacket();
    private final boolean light;
    /** While a protected packet is being delivered: its SRTP length (the flyweight leaves out the tag). */
    private int protectedLength = -1;

    ReceivePath(ClientPeerConnection pc, ClientTransport transport, ReceiveStreams streams, ClientRtcp rtcp) {
        this.pc = pc;
        this.stats = pc.stats();
        this.transport = transport;
        this.streams = streams;
        this.rtcp = rtcp;
        this.receiveQueue = pc.config().receiveImpairment().isActive()
            ? new ImpairmentQueue(pc.config().receiveImpairment(), pc.loop().config().maxDatagramBytes()) : null;
        this.light = pc.config().lightReceive();
    }

    /** Handles one datagram in {@code buffer[offset, offset + length)}, in place. */
    void onDatagram(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        DatagramKind kind = DatagramKind.of(buffer.byteArray(), buffer.wrapAdjustment() + offset, length);
        switch (kind) {
            case STUN -> transport.onStun(buffer, offset, length, nowNs);
            case DTLS -> transport.onDtlsRecord(buffer, offset, length);
            case RTP, RTCP -> {
                if (receiveQueue != null) {
                    int fate = receiveQueue.offer(buffer, offset, length, nowNs);
                    if (fate == ImpairmentQueue.DROP) {
                        stats.increment(ClientStats.IMPAIRED_RECEIVE_DROPS);
                        return;
                    }
                    if (fate == ImpairmentQueue.QUEUED) {
                        return;
                    }
                }
                onMedia(buffer, null, offset, length, nowNs);
            }
            default -> {
            }
        }
    }

    /** Handles the delayed datagrams whose time has come. */
    void releaseDue(long nowNs) {
        if (receiveQueue != null) {
            receiveQueue.releaseDue(nowNs, receiveSink);
        }
    }

    /** When the next delayed datagram is due, or {@link ConnectionTimer#NO_DEADLINE}. */
    long nextReleaseNs() {
        return receiveQueue != null && receiveQueue.hasQueued()
            ? receiveQueue.nextReleaseNs() : ConnectionTimer.NO_DEADLINE;
    }

    /** Forgets the delayed datagrams: a failed or closed connection handles nothing more. */
    void clearQueue() {
        if (receiveQueue != null) {
            receiveQueue.clear();
        }
    }

    private void onMedia(UnsafeBuffer buffer, ByteBuffer unused, int offset, int length, long nowNs) {
        if (pc.state() != ClientState.CONNECTED || length < 2) {
            return;
        }
        int packetType = buffer.getByte(offset + 1) & 0xFF;
        if (packetType >= 192 && packetType <= 223) {
            rtcp.onRtcp(buffer, offset, length, nowNs);
        } else if (light) {
            onProtectedRtp(buffer, offset, length, nowNs);
        } else {
            onRtp(buffer, offset, length, nowNs);
        }
    }

    /**
     * The light path: the header is read in the clear (SRTP encrypts only the payload, RFC 3711 §3.1), the packet
     * counted as {@link #onRtp} counts it, and handed on still protected. Padding sits in the encrypted payload and
     * RTX carries its original sequence number there, so packets with padding (the SFU's bandwidth probes) and
     * retransmissions take the full path.
     */
    private void onProtectedRtp(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        int rtpLength = length - transport.receiving().profile().rtpAuthTagLength();
        if ((buffer.getByte(offset) & PADDING_BIT) != 0) {
            onRtp(buffer, offset, length, nowNs);
            return;
        }
        if (!rtp.wrap(buffer, offset, rtpLength)) {
            stats.increment(ClientStats.SRTP_FAILURES);
            return;
        }
        ReceiveStream stream = streams.get(rtp.ssrc());
        if (stream == null && streams.repairedBy(rtp.ssrc()) != null) {
            onRtp(buffer, offset, length, nowNs);
            return;
        }
        stats.increment(ClientStats.RTP_PACKETS_RECEIVED);
        stats.add(ClientStats.RTP_BYTES_RECEIVED, length);
        recordTransportSequence(nowNs);
        if (stream == null) {
            stream = streams.discover(rtp);
            if (stream == null) {
                return;
            }
        }
        stream.statistics().onPacket(rtp.sequenceNumber(), (int) rtp.timestamp(), nowNs, rtpLength);
        stream.onPacket(rtp.payloadType(), false);
        protectedLength = length;
        try {
            pc.deliverProtectedRtp(rtp, nowNs);
        } finally {
            protectedLength = -1;
        }
    }

    /**
     * Decrypts the packet being delivered by {@link #onProtectedRtp} in place and wraps {@code packet} (that
     * delivery's flyweight) around the plain RTP packet.
     *
     * @return false when there is no such packet, or it fails authentication or the replay check
     */
    boolean unprotectDelivered(RtpPacket packet) {
        if (packet != rtp || protectedLength < 0) {
            return false;
        }
        int length = protectedLength;
        protectedLength = -1;
        int plain = transport.receiving().unprotectRtp(rtp.buffer(), rtp.offset(), length);
        if (plain < 0) {
            stats.increment(ClientStats.SRTP_FAILURES);
            return false;
        }
        return rtp.wrap(rtp.buffer(), rtp.offset(), plain);
    }

    private void onRtp(UnsafeBuffer buffer, int offset, int length, long nowNs) {
        int plain = transport.receiving().unprotectRtp(buffer, offset, length);
        if (plain < 0) {
            stats.increment(ClientStats.SRTP_FAILURES);
            return;
        }
        if (!rtp.wrap(buffer, offset, plain)) {
            return;
        }
        stats.increment(ClientStats.RTP_PACKETS_RECEIVED);
        stats.add(ClientStats.RTP_BYTES_RECEIVED, length);
        recordTransportSequence(nowNs);
        ReceiveStream stream = streams.get(rtp.ssrc());
        boolean viaRtx = false;
        if (stream == null) {
            ReceiveStream media = streams.repairedBy(rtp.ssrc());
            if (media != null) {
                if (!RtxPacket.unwrap(rtp, media.ssrc(), originalPayloadType(media))) {
                    return; // a padding-only RTX packet (bandwidth probe)
                }
                plain -= RtxPacket.OSN_LENGTH;
                stream = media;
                viaRtx = true;
            } else {
                stream = streams.discover(rtp);
                if (stream == null) {
                    return;
                }
            }
        }
        int sequence = rtp.sequenceNumber();
        NackGenerator nackGenerator = stream.nackGenerator();
        boolean ahead = nackGenerator == null || stream.packetsReceived() == 0
            || (short) (sequence - nackGenerator.highestSequence()) > 0;
        boolean filledGap = nackGenerator != null && nackGenerator.onPacket(sequence, nowNs);
        boolean recovered;
        if (viaRtx) {
            // a repair of a packet already here (a spurious retransmission, or RTX used as a bandwidth probe)
            if (!filledGap && !ahead) {
                stats.increment(ClientStats.DUPLICATE_RETRANSMISSIONS);
                return;
            }
            recovered = true;
        } else {
            RemoteTrack track = stream.track();
            recovered = filledGap && (track == null || track.rtxSsrc() == 0);
        }
        ReceiveStatistics statistics = stream.statistics();
        if (recovered) {
            statistics.onRetransmittedPacket(sequence, nowNs, plain);
            stats.increment(ClientStats.RETRANSMISSIONS_RECEIVED);
        } else {
            statistics.onPacket(sequence, (int) rtp.timestamp(), nowNs, plain);
        }
        stream.onPacket(rtp.payloadType(), recovered);
        if (nackGenerator != null && nackGenerator.missingCount() > 0) {
            rtcp.onPacketsMissing(nowNs);
        }
        pc.deliverRtp(rtp, nowNs, recovered);
    }

    /** The payload type an RTX packet repairs: its {@code apt}, else the stream's last one, else its own. */
    private int originalPayloadType(ReceiveStream media) {
        int associated = streams.associatedPayloadType(rtp.payloadType());
        if (associated >= 0) {
            return associated;
        }
        return media.lastPayloadType() >= 0 ? media.lastPayloadType() : rtp.payloadType();
    }

    /**
     * Records the transport-wide number of the packet in {@code rtp} for the feedback: every packet the SFU numbered,
     * padding included, since that feedback is how the SFU estimates this downlink.
     */
    private void recordTransportSequence(long nowNs) {
        int transportCcId = streams.transportCcId();
        if (transportCcId > 0) {
            long transportSequence = rtp.extensionValue(transportCcId);
            if (transportSequence >= 0) {
                rtcp.onTransportSequence((int) transportSequence, nowNs);
            }
        }
    }
}
