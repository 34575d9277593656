package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes an RTCP BYE packet (RFC 3550 §6.6): the SSRCs/CSRCs leaving and an optional reason.
 * <pre>
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Goodbye {
    public static final int SSRCS_OFFSET = 4;

    private DirectBuffer buffer;
    private int offset;
    private int reasonLength;

    /**
     * Wraps the BYE packet at {@code offset}.
     *
     * @return false when it is not a well-formed BYE: SSRC list or reason running past the end
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.reasonLength = 0;
        int content = RtcpHeader.contentLength(buffer, offset, length, RtcpHeader.GOODBYE);
        if (content < 0) {
            return false;
        }
        int reason = SSRCS_OFFSET + 4 * RtcpHeader.count(buffer, offset);
        if (reason > content) {
            return false;
        }
        if (reason < content) {
            int declared = buffer.getByte(offset + reason) & 0xFF;
            if (reason + 1 + declared > content) {
                return false;
            }
            reasonLength = declared;
        }
        return true;
    }

    public int ssrcCount() {
        return RtcpHeader.count(buffer, offset);
    }

    /** The {@code index}-th source leaving, {@code 0 <= index < ssrcCount()}. */
    public int ssrc(int index) {
        return buffer.getInt(offset + SSRCS_OFFSET + 4 * index, ORDER);
    }

    /** Index in the buffer of the reason text (UTF-8); meaningful when {@link #reasonLength()} is not 0. */
    public int reasonOffset() {
        return offset + SSRCS_OFFSET + 4 * ssrcCount() + 1;
    }

    /** Octets of the reason text; 0 without a reason. */
    public int reasonLength() {
        return reasonLength;
    }

    /** Octets of a BYE for {@code ssrcCount} sources and a reason of {@code reasonLength} octets (0: none). */
    public static int length(int ssrcCount, int reasonLength) {
        int length = SSRCS_OFFSET + 4 * ssrcCount;
        return reasonLength == 0 ? length : (length + 1 + reasonLength + 3) & ~3;
    }

    /**
     * Writes a BYE for the first {@code count} (0..31) of {@code ssrcs}, with {@code reason} (up to 255 octets)
     * when it is neither null nor empty.
     *
     * @return {@link #length(int, int)}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int[] ssrcs, int count, byte[] reason) {
        int reasonLength = reason == null ? 0 : reason.length;
        if (reasonLength > 255) {
            throw new IllegalArgumentException("BYE reason of " + reasonLength + " octets exceeds 255");
        }
        int length = length(count, reasonLength);
        RtcpHeader.write(buffer, offset, count, RtcpHeader.GOODBYE, length);
        for (int i = 0; i < count; i++) {
            buffer.putInt(offset + SSRCS_OFFSET + 4 * i, ssrcs[i], ORDER);
        }
        if (reasonLength > 0) {
            int position = offset + SSRCS_OFFSET + 4 * count;
            buffer.putByte(position, (byte) reasonLength);
            buffer.putBytes(position + 1, reason);
            RtcpHeader.padToWord(buffer, offset, position + 1 + reasonLength);
        }
        return length;
    }
}
