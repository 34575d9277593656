package io.sfu.client;

import java.nio.charset.StandardCharsets;

import io.sfu.core.feedback.PacketHistory;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.rtp.RtxPacket;
import io.sfu.core.sdp.MediaKind;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends one encoding of a published track (one SSRC; a simulcast track has one sender per rid): writes the RTP
 * header with its own sequence numbers and the negotiated header extensions (mid, rid, transport-wide sequence
 * number, abs-send-time, audio level), keeps a {@link PacketHistory} to answer NACKs, protects with SRTP and
 * sends. Retransmissions go out as RTX (RFC 4588: own SSRC and sequence, the original sequence number in front of
 * the payload, repaired-rid instead of rid) when RTX was negotiated, else as the original packet again.
 *
 * <p>{@link #send} and the other methods that change state must be called on the loop thread; nothing is
 * allocated per packet.
 */
public final class RtpSender {
    private final ClientPeerConnection pc;
    private final SendPath path;
    private final MediaKind kind;
    private final String trackId;
    private final String mid;
    private final String rid;
    private final int ssrc;
    private final int rtxSsrc;
    private final int clockRateHz;
    private final byte[] midBytes;
    private final byte[] ridBytes;
    private final PacketHistory history;
    private final RtpPacketWriter writer = new RtpPacketWriter();
    private final RtpPacket packet = new RtpPacket();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(new byte[0]);

    // negotiated, loop thread
    private boolean active;
    private int payloadType = -1;
    private int rtxPayloadType = -1;
    private ExtensionIds extensions = ExtensionIds.NONE;

    // sending state, loop thread
    private int sequence;
    private int rtxSequence;
    private long lastRtpTimestamp;
    private long lastSendNs;
    private long packetsSent;
    private long payloadBytesSent;
    private long retransmissionsSent;
    private long nacksReceived;
    private long keyframeRequests;
    private int audioLevelByte = 127;

    RtpSender(SendPath path, MediaKind kind, String trackId, String mid, String rid, int ssrc, int rtxSsrc,
        PacketHistory history, int initialSequence, int initialRtxSequence) {
        this.pc = path.peerConnection();
        this.path = path;
        this.kind = kind;
        this.trackId = trackId;
        this.mid = mid;
        this.rid = rid;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.clockRateHz = kind == MediaKind.AUDIO ? ClientSdp.OPUS_CLOCK_RATE : ClientSdp.VIDEO_CLOCK_RATE;
        this.midBytes = mid.getBytes(StandardCharsets.US_ASCII);
        this.ridBytes = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.history = history;
        this.sequence = initialSequence & 0xFFFF;
        this.rtxSequence = initialRtxSequence & 0xFFFF;
    }

    void configure(boolean active, int payloadType, int rtxPayloadType, ExtensionIds extensions) {
        this.active = active;
        this.payloadType = payloadType;
        this.rtxPayloadType = rtxSsrc != 0 ? rtxPayloadType : -1;
        this.extensions = extensions;
    }

    /** Sends a payload of {@code len} bytes from {@code payload[off]}; see {@link #send(DirectBuffer, int, int, boolean, long)}. */
    public boolean send(byte[] payload, int off, int len, boolean marker, long rtpTimestamp) {
        payloadView.wrap(payload, off, len);
        return send(payloadView, 0, len, marker, rtpTimestamp);
    }

    /**
     * Sends one RTP packet carrying {@code payload[off, off + len)}. Loop thread only.
     *
     * @param marker       the RTP marker bit (last packet of a video frame)
     * @param rtpTimestamp the RTP timestamp (low 32 bits used), in {@link #clockRateHz()} units
     * @return false (and counted as refused) when the connection is not connected, the track was not accepted,
     *     or the packet would exceed {@code pc.maxPacketBytes}
     */
    public boolean send(DirectBuffer payload, int off, int len, boolean marker, long rtpTimestamp) {
        if (!active || pc.state() != ClientState.CONNECTED || len < 0) {
            pc.stats().increment(ClientStats.SEND_REFUSED);
            return false;
        }
        long nowNs = pc.loop().nanoTime();
        UnsafeBuffer buffer = path.packetBuffer();
        int capacity = pc.config().maxPacketBytes();
        writeHeader(buffer, capacity, marker, rtpTimestamp, nowNs);
        if (writer.length() + len > capacity) {
            pc.stats().increment(ClientStats.SEND_REFUSED);
            return false;
        }
        int length = writer.payload(payload, off, len).length();
        if (history != null) {
            history.store(sequence, buffer, 0, length, nowNs);
        }
        sequence = (sequence + 1) & 0xFFFF;
        packetsSent++;
        payloadBytesSent += len;
        lastRtpTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
        lastSendNs = nowNs;
        path.sendPacket(length, nowNs);
        return true;
    }

    private void writeHeader(UnsafeBuffer buffer, int capacity, boolean marker, long rtpTimestamp, long nowNs) {
        ExtensionIds ids = extensions;
        writer.wrap(buffer, 0, capacity)
            .payloadType(payloadType)
            .marker(marker)
            .sequenceNumber(sequence)
            .timestamp(rtpTimestamp)
            .ssrc(ssrc);
        if (ids.needsTwoByteForm()) {
            writer.twoByteExtensions();
        }
        if (ids.mid() > 0) {
            writer.extension(ids.mid(), midBytes);
        }
        if (ids.rid() > 0 && ridBytes != null) {
            writer.extension(ids.rid(), ridBytes);
        }
        if (ids.absSendTime() > 0) {
            writer.extension(ids.absSendTime(), absSendTime(nowNs), 3);
        }
        if (ids.transportCc() > 0) {
            writer.extension(ids.transportCc(), path.nextTransportSequence(), 2);
        }
        if (ids.audioLevel() > 0 && kind == MediaKind.AUDIO) {
            writer.extension(ids.audioLevel(), audioLevelByte, 1);
        }
    }

    /** abs-send-time: 6.18 fixed-point seconds, 24 bits, from the loop clock (only differences matter). */
    static long absSendTime(long nowNs) {
        long seconds = Math.floorDiv(nowNs, 1_000_000_000L);
        long fraction = Math.floorMod(nowNs, 1_000_000_000L);
        return ((seconds << 18) + (fraction << 18) / 1_000_000_000L) & 0xFF_FFFFL;
    }

    /** Answers one NACKed sequence number from the history. Loop thread. */
    void retransmit(int sequenceNumber, long nowNs) {
        nacksReceived++;
        if (history == null || !active) {
            pc.stats().increment(ClientStats.RETRANSMISSION_MISSES);
            return;
        }
        UnsafeBuffer buffer = path.retransmissionBuffer();
        int length = history.copyOut(sequenceNumber, nowNs, buffer, 0);
        if (length == PacketHistory.ABSENT || !packet.wrap(buffer, 0, length)) {
            pc.stats().increment(ClientStats.RETRANSMISSION_MISSES);
            return;
        }
        ExtensionIds ids = extensions;
        if (rtxPayloadType >= 0) {
            length = RtxPacket.wrap(packet, rtxPayloadType, rtxSsrc, rtxSequence);
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
            if (ids.rid() > 0 && (ids.repairedRid() <= 0 || !packet.rewriteExtensionId(ids.rid(), ids.repairedRid()))) {
                packet.removeExtension(ids.rid());
            }
        }
        if (ids.transportCc() > 0) {
            packet.putExtensionValue(ids.transportCc(), path.nextTransportSequence());
        }
        if (ids.absSendTime() > 0) {
            packet.putExtensionValue(ids.absSendTime(), absSendTime(nowNs));
        }
        retransmissionsSent++;
        pc.stats().increment(ClientStats.RETRANSMISSIONS_SENT);
        path.sendRetransmission(length, nowNs);
    }

    void onKeyframeRequest() {
        keyframeRequests++;
    }

    /**
     * Sets the ssrc-audio-level value of the next packets (RFC 6464): level in -dBov (0 loudest, 127 silence) and
     * the voice activity flag. Loop thread.
     */
    public void audioLevel(int levelDbov, boolean voice) {
        if (levelDbov < 0 || levelDbov > 127) {
            throw new IllegalArgumentException("audio level must be 0 to 127 -dBov: " + levelDbov);
        }
        audioLevelByte = (voice ? 0x80 : 0) | levelDbov;
    }

    /** The RTP timestamp a sender report made at {@code nowNs} carries: the last one advanced by the clock. */
    long rtpTimestampAt(long nowNs) {
        long elapsedNs = Math.max(0, nowNs - lastSendNs);
        long advance = elapsedNs / 1_000_000L * clockRateHz / 1000;
        return (lastRtpTimestamp + advance) & 0xFFFF_FFFFL;
    }

    public ClientPeerConnection peerConnection() {
        return pc;
    }

    public MediaKind kind() {
        return kind;
    }

    public String trackId() {
        return trackId;
    }

    public String mid() {
        return mid;
    }

    /** The simulcast rid, or null for a track with one encoding. */
    public String rid() {
        return rid;
    }

    public int ssrc() {
        return ssrc;
    }

    /** The RTX SSRC, or 0 without RTX. */
    public int rtxSsrc() {
        return rtxSsrc;
    }

    /** The negotiated payload type, or -1 before the answer. */
    public int payloadType() {
        return payloadType;
    }

    /** The negotiated RTX payload type, or -1 without RTX. */
    public int rtxPayloadType() {
        return rtxPayloadType;
    }

    /** The negotiated header extension ids. */
    public ExtensionIds extensions() {
        return extensions;
    }

    /** Whether the SFU accepted the track: {@link #send} works once the connection is connected. */
    public boolean isActive() {
        return active;
    }

    public int clockRateHz() {
        return clockRateHz;
    }

    /** The next sequence number {@link #send} uses. */
    public int nextSequenceNumber() {
        return sequence;
    }

    /** Original packets sent (loop thread). */
    public long packetsSent() {
        return packetsSent;
    }

    /** Payload bytes of those packets: the sender report's octet count (loop thread). */
    public long payloadBytesSent() {
        return payloadBytesSent;
    }

    /** Retransmissions sent (loop thread). */
    public long retransmissionsSent() {
        return retransmissionsSent;
    }

    /** Sequence numbers NACKed by the remote side (loop thread). */
    public long nacksReceived() {
        return nacksReceived;
    }

    /** PLI and FIR requests received (loop thread). */
    public long keyframeRequests() {
        return keyframeRequests;
    }

    /** The send history, or null when none is kept (audio by default). */
    PacketHistory history() {
        return history;
    }

    @Override
    public String toString() {
        return "RtpSender{" + kind.sdpName() + " " + trackId + " mid=" + mid + (rid == null ? "" : " rid=" + rid)
            + " ssrc=" + (ssrc & 0xFFFF_FFFFL) + (rtxSsrc == 0 ? "" : " rtx=" + (rtxSsrc & 0xFFFF_FFFFL)) + "}";
    }
}
