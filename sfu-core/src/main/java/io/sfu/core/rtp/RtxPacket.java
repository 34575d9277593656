package io.sfu.core.rtp;

import org.agrona.MutableDirectBuffer;

/**
 * The RTP retransmission payload format (RFC 4588 §4), turned into and out of in place: an RTX packet is the
 * original packet under the RTX stream's SSRC, sequence number and payload type, with the original sequence number
 * (OSN) as the first two payload octets.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Both directions move the shorter part: unwrapping moves the header over the OSN, wrapping moves the payload.
 */
public final class RtxPacket {
    /** Bytes the OSN adds to a packet. */
    public static final int OSN_LENGTH = 2;

    private RtxPacket() {
    }

    /**
     * Restores the original packet from the RTX packet {@code rtp} wraps: the header moves {@value #OSN_LENGTH}
     * octets forward over the OSN and takes {@code ssrc}, the OSN and {@code payloadType}; {@code rtp} is re-wrapped
     * on the result, which starts at {@code rtp.offset()} afterwards.
     *
     * @return false, with the packet untouched, when it carries no OSN (a padding-only probe)
     */
    public static boolean unwrap(RtpPacket rtp, int ssrc, int payloadType) {
        if (rtp.payloadLength() < OSN_LENGTH) {
            return false;
        }
        MutableDirectBuffer buffer = rtp.buffer();
        int offset = rtp.offset();
        int length = rtp.length();
        int originalSequence = buffer.getShort(rtp.payloadOffset(), RtpPacket.ORDER) & 0xFFFF;
        move(buffer, offset, offset + OSN_LENGTH, rtp.headerLength());
        if (!rtp.wrap(buffer, offset + OSN_LENGTH, length - OSN_LENGTH)) {
            return false;
        }
        rtp.ssrc(ssrc).sequenceNumber(originalSequence).payloadType(payloadType);
        return true;
    }

    /**
     * Turns the packet {@code rtp} wraps into an RTX packet in place: the payload moves {@value #OSN_LENGTH} octets
     * back behind the original sequence number, padding is dropped, and the header takes the RTX stream's
     * {@code payloadType}, {@code ssrc} and {@code sequenceNumber}. The buffer needs {@value #OSN_LENGTH} octets of
     * room after the payload.
     *
     * @return the RTX packet's length; {@code rtp} is re-wrapped on it
     */
    public static int wrap(RtpPacket rtp, int payloadType, int ssrc, int sequenceNumber) {
        MutableDirectBuffer buffer = rtp.buffer();
        int offset = rtp.offset();
        int payloadOffset = rtp.payloadOffset();
        int payloadLength = rtp.payloadLength();
        int originalSequence = rtp.sequenceNumber();
        move(buffer, payloadOffset, payloadOffset + OSN_LENGTH, payloadLength);
        buffer.putShort(payloadOffset, (short) originalSequence, RtpPacket.ORDER);
        buffer.putByte(offset, (byte) (buffer.getByte(offset) & ~0x20));
        int length = payloadOffset - offset + OSN_LENGTH + payloadLength;
        rtp.wrap(buffer, offset, length);
        rtp.payloadType(payloadType).ssrc(ssrc).sequenceNumber(sequenceNumber);
        return length;
    }

    /** An overlapping copy inside one buffer, as memmove. */
    private static void move(MutableDirectBuffer buffer, int from, int to, int length) {
        byte[] array = buffer.byteArray();
        if (array != null) {
            int base = buffer.wrapAdjustment();
            System.arraycopy(array, base + from, array, base + to, length);
        } else if (to > from) {
            for (int i = length - 1; i >= 0; i--) {
                buffer.putByte(to + i, buffer.getByte(from + i));
            }
        } else {
            for (int i = 0; i < length; i++) {
                buffer.putByte(to + i, buffer.getByte(from + i));
            }
        }
    }
}
