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
