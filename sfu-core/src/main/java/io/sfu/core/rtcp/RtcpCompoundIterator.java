package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.HEADER_LENGTH;

/**
 * Walks the packets of a compound RTCP packet (RFC 3550 §6.1), or a single reduced-size packet (RFC 5506),
 * without allocating. {@link #wrap} checks every packet's header first, so {@link #next} only moves on.
 *
 * <p>Each packet starts with the RFC 3550 §6.4.1 common header:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The length field counts 32-bit words minus one, so every packet is at least 4 octets long and a zero length
 * field still moves the walk forward. Which packet types come first is not checked (RFC 5506 lifts RFC 3550's
 * SR/RR-first rule); the content of each packet is left to the type's reader.
 */
public final class RtcpCompoundIterator {
    private DirectBuffer buffer;
    private int start;
    private int end;
    private int nextOffset;
    private int packetOffset;
    private int packetLength;

    /**
     * Wraps {@code length} octets at {@code offset} as a compound RTCP packet and positions before its first
     * packet.
     *
     * @return false, leaving nothing to iterate, when the bytes lie outside the buffer, are empty, or any packet
     *     has a version other than 2, a length running past the end, padding on a packet other than the last,
     *     or a padding count of 0 or reaching into its header
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.start = offset;
        this.end = offset;
        this.nextOffset = offset;
        if (buffer == null || offset < 0 || length < HEADER_LENGTH || offset > buffer.capacity() - length) {
            return false;
        }
        int limit = offset + length;
        int position = offset;
        while (position < limit) {
            int content = RtcpHeader.contentLength(buffer, position, limit - position);
            if (content < 0) {
                return false;
            }
            int packet = RtcpHeader.packetLength(buffer, position);
            if (content != packet && position + packet != limit) {
                // RFC 3550 §6.4.1: only the last packet of a compound may carry padding
                return false;
            }
            position += packet;
        }
        this.end = limit;
        return true;
    }

    /** Moves back before the first packet. */
    public void rewind() {
        nextOffset = start;
    }

    /** Advances to the next packet; false after the last one. */
    public boolean next() {
        if (nextOffset >= end) {
            return false;
        }
        packetOffset = nextOffset;
        packetLength = RtcpHeader.packetLength(buffer, packetOffset);
        nextOffset = packetOffset + packetLength;
        return true;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the current packet's header. */
    public int packetOffset() {
        return packetOffset;
    }

    /** The current packet's length in octets, header and padding included. */
    public int packetLength() {
        return packetLength;
    }

    /** The packet type (PT), e.g. {@link RtcpHeader#SENDER_REPORT}. */
    public int packetType() {
        return buffer.getByte(packetOffset + RtcpHeader.TYPE_OFFSET) & 0xFF;
    }

    /** The 5-bit RC / SC / FMT field. */
    public int count() {
        return RtcpHeader.count(buffer, packetOffset);
    }

    public boolean hasPadding() {
        return (buffer.getByte(packetOffset) & RtcpHeader.PADDING_BIT) != 0;
    }

    /** Padding octets at the end of the current packet, the count octet included; 0 without padding. */
    public int paddingLength() {
        return hasPadding() ? buffer.getByte(packetOffset + packetLength - 1) & 0xFF : 0;
    }
}
