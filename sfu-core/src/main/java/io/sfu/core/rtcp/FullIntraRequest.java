package io.sfu.core.rtcp;

import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.FEEDBACK_HEADER_LENGTH;
import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes a full intra request (RFC 5104 §4.3.1: PSFB, FMT=4): entries naming the SSRC that should
 * send a decoder refresh point and a request sequence number, so repeated requests can be told apart.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=4  |    PT=206     |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             SSRC of media source (unused, 0)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SSRC                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                              ...                              :
 * </pre>
 */
public final class FullIntraRequest extends FeedbackEntries {
    public static final int FORMAT = 4;
    public static final int ENTRY_LENGTH = 8;

    public FullIntraRequest() {
        super(RtcpHeader.PAYLOAD_FEEDBACK, FORMAT, ENTRY_LENGTH);
    }

    /** The SSRC asked for a decoder refresh point by entry {@code index}. */
    public int entrySsrc(int index) {
        return buffer.getInt(entryOffset(index), ORDER);
    }

    /** The command sequence number (0..255) of entry {@code index}. */
    public int entrySequenceNumber(int index) {
        return buffer.getByte(entryOffset(index) + 4) & 0xFF;
    }

    /** Octets of a FIR with one entry. */
    public static int length() {
        return FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH;
    }

    /** Writes a FIR with one entry for {@code mediaSsrc}; returns {@link #length()}. */
    public static int write(MutableDirectBuffer buffer, int offset, int senderSsrc, int mediaSsrc,
        int sequenceNumber) {
        int length = length();
        RtcpHeader.writeFeedback(buffer, offset, RtcpHeader.PAYLOAD_FEEDBACK, FORMAT, length, senderSsrc, 0);
        buffer.putInt(offset + FEEDBACK_HEADER_LENGTH, mediaSsrc, ORDER);
        buffer.putInt(offset + FEEDBACK_HEADER_LENGTH + 4, (sequenceNumber & 0xFF) << 24, ORDER);
        return length;
    }
}
