package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.FEEDBACK_HEADER_LENGTH;
import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes a receiver estimated maximum bitrate message (draft-alvestrand-rmcat-remb §2.2: PSFB, FMT=15,
 * application layer feedback identified by "REMB"): a bitrate as an 18-bit mantissa times 2 to a 6-bit
 * exponent, and the SSRCs it applies to.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (0)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ...                                                          |
 * </pre>
 */
public final class Remb {
    /** Application layer feedback (RFC 4585 §6.4), of which REMB is one kind. */
    public static final int FORMAT = 15;
    public static final int IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';
    public static final int IDENTIFIER_OFFSET = 12;
    public static final int SSRC_COUNT_OFFSET = 16;
    public static final int SSRCS_OFFSET = 20;

    private static final int MAX_MANTISSA = (1 << 18) - 1;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps the REMB at {@code offset}.
     *
     * @return false when it is not a PSFB FMT=15 packet with the "REMB" identifier and room for its SSRC list
     *     (other application layer feedback is rejected too)
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        int content = RtcpHeader.feedbackContentLength(buffer, offset, length, RtcpHeader.PAYLOAD_FEEDBACK, FORMAT);
        return content >= SSRCS_OFFSET
            && buffer.getInt(offset + IDENTIFIER_OFFSET, ORDER) == IDENTIFIER
            && content >= SSRCS_OFFSET + 4 * ssrcCount();
    }

    public int senderSsrc() {
        return buffer.getInt(offset + RtcpHeader.SENDER_SSRC_OFFSET, ORDER);
    }

    /** The estimate in bits per second, saturated at {@link Long#MAX_VALUE} for exponents beyond 64 bits. */
    public long bitrateBps() {
        int word = buffer.getInt(offset + SSRC_COUNT_OFFSET, ORDER);
        int exponent = (word >>> 18) & 0x3F;
        long mantissa = word & MAX_MANTISSA;
        if (mantissa != 0 && exponent >= Long.numberOfLeadingZeros(mantissa)) {
            return Long.MAX_VALUE;
        }
        return mantissa << exponent;
    }

    public int ssrcCount() {
        return buffer.getByte(offset + SSRC_COUNT_OFFSET) & 0xFF;
    }

    /** The {@code index}-th SSRC the estimate applies to. */
    public int ssrc(int index) {
        return buffer.getInt(offset + SSRCS_OFFSET + 4 * index, ORDER);
    }

    /** Octets of a REMB for {@code ssrcCount} SSRCs. */
    public static int length(int ssrcCount) {
        return SSRCS_OFFSET + 4 * ssrcCount;
    }

    /**
     * Writes a REMB of {@code bitrateBps} (rounded down to what an 18-bit mantissa carries) for the first
     * {@code count} (0..255) of {@code ssrcs}.
     *
     * @return {@link #length(int)} of {@code count}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int senderSsrc, long bitrateBps, int[] ssrcs,
        int count) {
        if (bitrateBps < 0 || count < 0 || count > 255) {
            throw new IllegalArgumentException("REMB bitrate " + bitrateBps + " for " + count + " SSRCs");
        }
        int exponent = 0;
        long mantissa = bitrateBps;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1;
            exponent++;
        }
        int length = length(count);
        RtcpHeader.writeFeedback(buffer, offset, RtcpHeader.PAYLOAD_FEEDBACK, FORMAT, length, senderSsrc, 0);
        buffer.putInt(offset + IDENTIFIER_OFFSET, IDENTIFIER, ORDER);
        buffer.putInt(offset + SSRC_COUNT_OFFSET, (count << 24) | (exponent << 18) | (int) mantissa, ORDER);
        for (int i = 0; i < count; i++) {
            buffer.putInt(offset + SSRCS_OFFSET + 4 * i, ssrcs[i], ORDER);
        }
        return length;
    }
}
