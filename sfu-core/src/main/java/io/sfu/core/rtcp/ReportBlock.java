package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Flyweight over one reception report block of an SR or RR (RFC 3550 §6.4.1), positioned by
 * {@link SenderReport#reportBlock} or {@link ReceiverReport#reportBlock}.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReportBlock {
    public static final int LENGTH = 24;
    public static final int SSRC_OFFSET = 0;
    public static final int FRACTION_LOST_OFFSET = 4;
    public static final int CUMULATIVE_LOST_OFFSET = 5;
    public static final int EXTENDED_HIGHEST_SEQUENCE_OFFSET = 8;
    public static final int JITTER_OFFSET = 12;
    public static final int LAST_SR_OFFSET = 16;
    public static final int DELAY_SINCE_LAST_SR_OFFSET = 20;

    private static final int MAX_CUMULATIVE_LOST = (1 << 23) - 1;
    private static final int MIN_CUMULATIVE_LOST = -(1 << 23);

    private DirectBuffer buffer;
    private int offset;

    ReportBlock wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** SSRC of the source this block reports on. */
    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET, ORDER);
    }

    /** Fraction of packets lost since the previous report, in 1/256 (0..255). */
    public int fractionLost() {
        return buffer.getByte(offset + FRACTION_LOST_OFFSET) & 0xFF;
    }

    /** Cumulative packets lost: a signed 24-bit value (negative when duplicates outnumber losses). */
    public int cumulativeLost() {
        int raw = ((buffer.getByte(offset + CUMULATIVE_LOST_OFFSET) & 0xFF) << 16)
            | (buffer.getShort(offset + CUMULATIVE_LOST_OFFSET + 1, ORDER) & 0xFFFF);
        return (raw << 8) >> 8;
    }

    public long extendedHighestSequence() {
        return RtcpHeader.uint32(buffer, offset + EXTENDED_HIGHEST_SEQUENCE_OFFSET);
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return RtcpHeader.uint32(buffer, offset + JITTER_OFFSET);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received from the source; 0 if none. */
    public long lastSenderReport() {
        return RtcpHeader.uint32(buffer, offset + LAST_SR_OFFSET);
    }

    /** Delay since that SR in 1/65536 seconds; 0 if none. */
    public long delaySinceLastSenderReport() {
        return RtcpHeader.uint32(buffer, offset + DELAY_SINCE_LAST_SR_OFFSET);
    }

    /**
     * Writes a {@value #LENGTH}-octet report block at {@code offset}. {@code cumulativeLost} is clamped to the
     * signed 24-bit range; the 32-bit fields take the low 32 bits of their arguments.
     */
    public static void write(MutableDirectBuffer buffer, int offset, int ssrc, int fractionLost, int cumulativeLost,
        long extendedHighestSequence, long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost " + fractionLost + " is outside 0..255");
        }
        int lost = Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, cumulativeLost));
        buffer.putInt(offset + SSRC_OFFSET, ssrc, ORDER);
        buffer.putInt(offset + FRACTION_LOST_OFFSET, (fractionLost << 24) | (lost & 0xFF_FFFF), ORDER);
        buffer.putInt(offset + EXTENDED_HIGHEST_SEQUENCE_OFFSET, (int) extendedHighestSequence, ORDER);
        buffer.putInt(offset + JITTER_OFFSET, (int) jitter, ORDER);
        buffer.putInt(offset + LAST_SR_OFFSET, (int) lastSenderReport, ORDER);
        buffer.putInt(offset + DELAY_SINCE_LAST_SR_OFFSET, (int) delaySinceLastSenderReport, ORDER);
    }
}
