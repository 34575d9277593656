package io.sfu.client;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one {@link ClientPeerConnection}. Only its loop thread writes them (an ordered store, no
 * read-modify-write race since there is one writer); any thread may read them, seeing values at most a moment old.
 * {@link #get(Counter)} and {@link Counter#values()} let a harness sum or print every counter generically.
 */
public final class ClientStats {

    /** Every counter. Bytes are UDP payload bytes (SRTP/SRTCP as on the wire). */
    public enum Counter {
        /** RTP packets sent, retransmissions included. */
        RTP_PACKETS_SENT,
        /** Bytes of those packets. */
        RTP_BYTES_SENT,
        /** Retransmissions sent in answer to NACKs (RTX, or the original packet again without RTX). */
        RETRANSMISSIONS_SENT,
        /** NACKed packets no longer (or never) in the send history. */
        RETRANSMISSION_MISSES,
        /** Authenticated RTP packets received, RTX included. */
        RTP_PACKETS_RECEIVED,
        /** Bytes of those packets. */
        RTP_BYTES_RECEIVED,
        /** Packets delivered as recovered: unwrapped from RTX, or filling a gap of a stream without RTX. */
        RETRANSMISSIONS_RECEIVED,
        /** RTX packets for a sequence number that had already arrived (a spurious retransmission), dropped. */
        DUPLICATE_RETRANSMISSIONS,
        /** Packets lost over every received stream (RFC 3550 A.3 cumulative loss), refreshed at each report. */
        PACKETS_LOST,
        /** Generic NACK messages sent. */
        NACKS_SENT,
        /** Transport-wide congestion control feedback messages sent about what the SFU numbered. */
        TRANSPORT_CC_SENT,
        /** Sequence numbers requested in them. */
        NACKED_PACKETS_REQUESTED,
        /** Generic NACK messages received for our streams. */
        NACKS_RECEIVED,
        /** PLI messages sent by {@link ClientPeerConnection#requestKeyframe(int)}. */
        PLIS_SENT,
        /** PLI and FIR requests received for our streams. */
        KEYFRAME_REQUESTS_RECEIVED,
        /** SRTCP compound packets sent. */
        RTCP_PACKETS_SENT,
        /** Authenticated SRTCP compound packets received. */
        RTCP_PACKETS_RECEIVED,
        /** SRTP and SRTCP packets that failed to unprotect (authentication, replay, malformed). */
        SRTP_FAILURES,
        /** RTP packets from SSRCs neither the SDP nor the mid extension named, beyond the stream bound. */
        UNKNOWN_SSRC_DROPS,
        /** Outgoing media datagrams dropped by the send impairment. */
        IMPAIRED_SEND_DROPS,
        /** Incoming media datagrams dropped by the receive impairment. */
        IMPAIRED_RECEIVE_DROPS,
        /** Datagrams the socket did not take (buffer full or an error). */
        SEND_FAILURES,
        /** Datagrams received, of every kind. */
        DATAGRAMS_RECEIVED,
        /** Media that {@link RtpSender#send} refused: not connected, not negotiated, or too large. */
        SEND_REFUSED,
        /** SCTP packets of the data channels that DTLS did not send (not connected, or the transport failed). */
        SCTP_PACKETS_NOT_SENT,
        /** Received SCTP packets dropped because the loop's task queue was full (SCTP retransmits them). */
        SCTP_PACKETS_DROPPED
    }

    private static final Counter[] COUNTERS = Counter.values();
    static final int RTP_PACKETS_SENT = Counter.RTP_PACKETS_SENT.ordinal();
    static final int RTP_BYTES_SENT = Counter.RTP_BYTES_SENT.ordinal();
    static final int RETRANSMISSIONS_SENT = Counter.RETRANSMISSIONS_SENT.ordinal();
    static final int RETRANSMISSION_MISSES = Counter.RETRANSMISSION_MISSES.ordinal();
    static final int RTP_PACKETS_RECEIVED = Counter.RTP_PACKETS_RECEIVED.ordinal();
    static final int RTP_BYTES_RECEIVED = Counter.RTP_BYTES_RECEIVED.ordinal();
    static final int RETRANSMISSIONS_RECEIVED = Counter.RETRANSMISSIONS_RECEIVED.ordinal();
    static final int DUPLICATE_RETRANSMISSIONS = Counter.DUPLICATE_RETRANSMISSIONS.ordinal();
    static final int PACKETS_LOST = Counter.PACKETS_LOST.ordinal();
    static final int NACKS_SENT = Counter.NACKS_SENT.ordinal();
    static final int TRANSPORT_CC_SENT = Counter.TRANSPORT_CC_SENT.ordinal();
    static final int NACKED_PACKETS_REQUESTED = Counter.NACKED_PACKETS_REQUESTED.ordinal();
    static final int NACKS_RECEIVED = Counter.NACKS_RECEIVED.ordinal();
    static final int PLIS_SENT = Counter.PLIS_SENT.ordinal();
    static final int KEYFRAME_REQUESTS_RECEIVED = Counter.KEYFRAME_REQUESTS_RECEIVED.ordinal();
    static final int RTCP_PACKETS_SENT = Counter.RTCP_PACKETS_SENT.ordinal();
    static final int RTCP_PACKETS_RECEIVED = Counter.RTCP_PACKETS_RECEIVED.ordinal();
    static final int SRTP_FAILURES = Counter.SRTP_FAILURES.ordinal();
    static final int UNKNOWN_SSRC_DROPS = Counter.UNKNOWN_SSRC_DROPS.ordinal();
    static final int IMPAIRED_SEND_DROPS = Counter.IMPAIRED_SEND_DROPS.ordinal();
    static final int IMPAIRED_RECEIVE_DROPS = Counter.IMPAIRED_RECEIVE_DROPS.ordinal();
    static final int SEND_FAILURES = Counter.SEND_FAILURES.ordinal();
    static final int DATAGRAMS_RECEIVED = Counter.DATAGRAMS_RECEIVED.ordinal();
    static final int SEND_REFUSED = Counter.SEND_REFUSED.ordinal();
    static final int SCTP_PACKETS_NOT_SENT = Counter.SCTP_PACKETS_NOT_SENT.ordinal();
    static final int SCTP_PACKETS_DROPPED = Counter.SCTP_PACKETS_DROPPED.ordinal();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);

    ClientStats() {
    }

    void increment(int counter) {
        values.lazySet(counter, values.get(counter) + 1);
    }

    void add(int counter, long delta) {
        values.lazySet(counter, values.get(counter) + delta);
    }

    void set(int counter, long value) {
        values.lazySet(counter, value);
    }

    /** The current value of a counter. */
    public long get(Counter counter) {
        return values.get(counter.ordinal());
    }

    public long rtpPacketsSent() {
        return values.get(RTP_PACKETS_SENT);
    }

    public long rtpBytesSent() {
        return values.get(RTP_BYTES_SENT);
    }

    public long retransmissionsSent() {
        return values.get(RETRANSMISSIONS_SENT);
    }

    public long rtpPacketsReceived() {
        return values.get(RTP_PACKETS_RECEIVED);
    }

    public long rtpBytesReceived() {
        return values.get(RTP_BYTES_RECEIVED);
    }

    public long retransmissionsReceived() {
        return values.get(RETRANSMISSIONS_RECEIVED);
    }

    public long packetsLost() {
        return values.get(PACKETS_LOST);
    }

    public long nacksSent() {
        return values.get(NACKS_SENT);
    }

    /** Transport-wide feedback messages sent (the SFU estimates this connection's downlink from them). */
    public long transportCcSent() {
        return values.get(TRANSPORT_CC_SENT);
    }

    public long nacksReceived() {
        return values.get(NACKS_RECEIVED);
    }

    public long plisSent() {
        return values.get(PLIS_SENT);
    }

    public long keyframeRequestsReceived() {
        return values.get(KEYFRAME_REQUESTS_RECEIVED);
    }

    public long rtcpPacketsSent() {
        return values.get(RTCP_PACKETS_SENT);
    }

    public long rtcpPacketsReceived() {
        return values.get(RTCP_PACKETS_RECEIVED);
    }

    public long srtpFailures() {
        return values.get(SRTP_FAILURES);
    }

    public long sendFailures() {
        return values.get(SEND_FAILURES);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ClientStats{");
        for (Counter counter : COUNTERS) {
            long value = values.get(counter.ordinal());
            if (value != 0) {
                sb.append(sb.length() > 12 ? ", " : "").append(counter.name().toLowerCase(java.util.Locale.ROOT))
                    .append('=').append(value);
            }
        }
        return sb.append('}').toString();
    }
}
