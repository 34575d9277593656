package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.FEEDBACK_HEADER_LENGTH;
import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes a picture loss indication (RFC 4585 §6.3.1: PSFB, FMT=1), the keyframe request an SFU
 * relays from subscribers to the publisher; it has no feedback control information.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |    PT=206     |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class PictureLossIndication {
    public static final int FORMAT = 1;
    public static final int LENGTH = FEEDBACK_HEADER_LENGTH;

    private DirectBuffer buffer;
    private int offset;

    /** Wraps the PLI at {@code offset}; false when it is not a PSFB packet with FMT=1. */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        return RtcpHeader.feedbackContentLength(buffer, offset, length, RtcpHeader.PAYLOAD_FEEDBACK, FORMAT) >= 0;
    }

    public int senderSsrc() {
        return buffer.getInt(offset + RtcpHeader.SENDER_SSRC_OFFSET, ORDER);
    }

    /** The SSRC of the stream that needs a new picture. */
    public int mediaSsrc() {
        return buffer.getInt(offset + RtcpHeader.MEDIA_SSRC_OFFSET, ORDER);
    }

    /** Writes a PLI; returns {@link #LENGTH}. */
    public static int write(MutableDirectBuffer buffer, int offset, int senderSsrc, int mediaSsrc) {
        RtcpHeader.writeFeedback(buffer, offset, RtcpHeader.PAYLOAD_FEEDBACK, FORMAT, LENGTH, senderSsrc, mediaSsrc);
        return LENGTH;
    }
}
