package io.sfu.core.srtp;

/**
 * The few RTP and RTCP header fields SRTP needs, read straight from the packet array so that this package does
 * not depend on the RTP/RTCP codecs.
 *
 * <p>RTP fixed header, RFC 3550 §5.1, followed by CC CSRCs and, when X is set, the extension of §5.3.1:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * |                             ....                              |
 * </pre>
 * The extension length counts 32-bit words after its own 4-octet header.
 *
 * <p>RTCP, RFC 3550 §6.4.1: every packet type starts with the same 4 octets and, for those SRTCP protects
 * first in a compound packet (SR, RR), the sender's SSRC:
 * <pre>
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * |                         SSRC of sender                        |
 * </pre>
 */
final class SrtpPackets {
    static final int RTP_FIXED_HEADER = 12;
    static final int RTP_SEQUENCE_OFFSET = 2;
    static final int RTP_SSRC_OFFSET = 8;
    static final int RTCP_HEADER = 8;
    static final int RTCP_SSRC_OFFSET = 4;
    private static final int VERSION_2 = 2;
    private static final int EXTENSION_HEADER = 4;

    private SrtpPackets() {
    }

    /**
     * The length of the RTP header (fixed part, CSRCs and extension) of {@code packet[start .. + length)}, or
     * -1 when it is not a version 2 RTP header that fits inside {@code length}.
     */
    static int rtpHeaderLength(byte[] packet, int start, int length) {
        if (length < RTP_FIXED_HEADER) {
            return -1;
        }
        int first = packet[start] & 0xFF;
        if (first >>> 6 != VERSION_2) {
            return -1;
        }
        int header = RTP_FIXED_HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (header + EXTENSION_HEADER > length) {
                return -1;
            }
            header += EXTENSION_HEADER + 4 * ByteArrays.getUnsignedShort(packet, start + header + 2);
        }
        return header <= length ? header : -1;
    }

    static int rtpSequenceNumber(byte[] packet, int start) {
        return ByteArrays.getUnsignedShort(packet, start + RTP_SEQUENCE_OFFSET);
    }

    static int rtpSsrc(byte[] packet, int start) {
        return ByteArrays.getInt(packet, start + RTP_SSRC_OFFSET);
    }

    /** Whether {@code packet[start .. + length)} starts with an RTCP version 2 header and a sender SSRC. */
    static boolean isRtcp(byte[] packet, int start, int length) {
        return length >= RTCP_HEADER && (packet[start] & 0xFF) >>> 6 == VERSION_2;
    }

    static int rtcpSsrc(byte[] packet, int start) {
        return ByteArrays.getInt(packet, start + RTCP_SSRC_OFFSET);
    }
}
