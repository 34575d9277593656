package io.sfu.bench.forward;

import io.sfu.core.net.DatagramOutput;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram sink for the forwarding benchmarks: consumes each datagram without copying it and counts RTP and
 * RTCP (RFC 5761 §4: second octet 192..223) datagrams and RTP bytes, so a benchmark can check that every packet
 * reached every subscriber. Plain fields: read them on the agent's thread or after it stopped.
 */
public final class CountingOutput implements DatagramOutput {
    long rtpPackets;
    long rtpBytes;
    long rtcpPackets;
    private long expectedAtMark;
    private long forwardedAtMark;

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress target) {
        int position = datagram.position();
        int length = datagram.limit() - position;
        if (isRtcp(datagram, position, length)) {
            rtcpPackets++;
        } else {
            rtpPackets++;
            rtpBytes += length;
        }
        datagram.position(datagram.limit());
        return true;
    }

    static boolean isRtcp(ByteBuffer datagram, int position, int length) {
        if (length < 2) {
            return false;
        }
        int type = datagram.get(position + 1) & 0xFF;
        return type >= 192 && type <= 223;
    }

    /** Throws unless the first packet, a keyframe, reached all {@code fanOut} subscribers: their consumers started. */
    void requireKeyframeReachedAll(int fanOut) {
        if (rtpPackets != fanOut) {
            throw new IllegalStateException("the keyframe reached " + rtpPackets + " of " + fanOut + " subscribers");
        }
    }

    /**
     * Marks the start of a benchmark iteration, {@code expectedForwards} packets to subscribers being what the packets
     * sent in so far should have made.
     */
    void markIteration(long expectedForwards) {
        expectedAtMark = expectedForwards;
        forwardedAtMark = rtpPackets;
    }

    /**
     * Throws unless the packets sent to subscribers since {@link #markIteration} are what the packets sent in since
     * should have made ({@code expectedForwards} in all now).
     */
    void requireForwardedSinceMark(long expectedForwards) {
        long expected = expectedForwards - expectedAtMark;
        long forwarded = rtpPackets - forwardedAtMark;
        if (forwarded != expected) {
            throw new IllegalStateException("forwarded " + forwarded + " packets, expected " + expected);
        }
    }

    public long rtpPackets() {
        return rtpPackets;
    }

    public long rtpBytes() {
        return rtpBytes;
    }

    public long rtcpPackets() {
        return rtcpPackets;
    }
}
