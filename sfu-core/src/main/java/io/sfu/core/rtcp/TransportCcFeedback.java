package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads a transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1:
 * RTPFB, FMT=15): which transport-wide sequence numbers arrived and when, as packet status chunks followed by
 * receive deltas. {@link #wrap} checks that the chunks cover the status count and the deltas fit; then
 * {@link #forEachPacket} walks them without allocating. {@link TransportCcFeedbackBuilder} writes them.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 reference time                | fb pkt. count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          packet chunk         |         packet chunk          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                                                               .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         packet chunk          |  recv delta   |  recv delta   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                                                               .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           recv delta          |  recv delta   | zero padding  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * run length chunk (§3.1.3)          status vector chunk (§3.1.4)
 * |0| S |       run length        |  |1|S|       symbol list         |
 * </pre>
 * The reference time is a signed 24-bit count of 64 ms; receive deltas count 250 µs, one unsigned octet for a
 * "small delta" symbol, two signed octets for a "large or negative delta" symbol. A status vector with S=0 holds
 * 14 one-bit symbols (not received / small delta), with S=1 seven two-bit symbols. Symbols beyond the status
 * count in the last chunk are ignored. Symbol 3 is reserved in -01; the draft's own chunk examples use it for
 * "received without a receive delta", which is how it is read here (no delta octets).
 */
public final class TransportCcFeedback {
    public static final int FORMAT = 15;
    public static final int BASE_SEQUENCE_OFFSET = 12;
    public static final int STATUS_COUNT_OFFSET = 14;
    public static final int REFERENCE_TIME_OFFSET = 16;
    public static final int FEEDBACK_COUNT_OFFSET = 19;
    public static final int CHUNKS_OFFSET = 20;

    public static final int STATUS_NOT_RECEIVED = 0;
    public static final int STATUS_SMALL_DELTA = 1;
    public static final int STATUS_LARGE_DELTA = 2;
    public static final int STATUS_RECEIVED_NO_DELTA = 3;

    /** One receive delta unit. */
    public static final int DELTA_TICK_US = 250;
    /** One reference time unit. */
    public static final int REFERENCE_TIME_TICK_US = 64_000;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int statusCount;
    private int deltasOffset;
    private int receivedCount;

    /**
     * Wraps the feedback at {@code offset}.
     *
     * @return false when it is not an RTPFB FMT=15 packet whose chunks cover its packet status count and whose
     *     receive deltas fit before its end (padding excluded)
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.statusCount = 0;
        int content = RtcpHeader.feedbackContentLength(buffer, offset, length, RtcpHeader.TRANSPORT_FEEDBACK, FORMAT);
        if (content < CHUNKS_OFFSET) {
            return false;
        }
        int end = offset + content;
        int remaining = buffer.getShort(offset + STATUS_COUNT_OFFSET, ORDER) & 0xFFFF;
        int position = offset + CHUNKS_OFFSET;
        int deltaOctets = 0;
        int received = 0;
        while (remaining > 0) {
            if (end - position < 2) {
                return false;
            }
            int chunk = buffer.getShort(position, ORDER) & 0xFFFF;
            position += 2;
            if ((chunk & 0x8000) == 0) {
                int status = (chunk >>> 13) & 0x3;
                int run = Math.min(chunk & 0x1FFF, remaining);
                deltaOctets += run * deltaOctets(status);
                received += status == STATUS_NOT_RECEIVED ? 0 : run;
                remaining -= run;
            } else {
                boolean twoBit = (chunk & 0x4000) != 0;
                int symbols = Math.min(twoBit ? 7 : 14, remaining);
                for (int i = 0; i < symbols; i++) {
                    int status = symbol(chunk, twoBit, i);
                    deltaOctets += deltaOctets(status);
                    received += status == STATUS_NOT_RECEIVED ? 0 : 1;
                }
                remaining -= symbols;
            }
        }
        if (deltaOctets > end - position) {
            return false;
        }
        this.statusCount = buffer.getShort(offset + STATUS_COUNT_OFFSET, ORDER) & 0xFFFF;
        this.deltasOffset = position;
        this.receivedCount = received;
        return true;
    }

    /** The packet wrapped: its buffer, offset and length as given to {@link #wrap}. */
    public DirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int senderSsrc() {
        return buffer.getInt(offset + RtcpHeader.SENDER_SSRC_OFFSET, ORDER);
    }

    public int mediaSsrc() {
        return buffer.getInt(offset + RtcpHeader.MEDIA_SSRC_OFFSET, ORDER);
    }

    /** The transport-wide sequence number of the first packet reported. */
    public int baseSequenceNumber() {
        return buffer.getShort(offset + BASE_SEQUENCE_OFFSET, ORDER) & 0xFFFF;
    }

    /** How many consecutive sequence numbers, from the base, the feedback reports on. */
    public int packetStatusCount() {
        return statusCount;
    }

    /** Reported packets that arrived (every status but "not received"). */
    public int receivedCount() {
        return receivedCount;
    }

    /** The reference time as a signed 24-bit count of 64 ms. */
    public int referenceTime() {
        int raw = ((buffer.getShort(offset + REFERENCE_TIME_OFFSET, ORDER) & 0xFFFF) << 8)
            | (buffer.getByte(offset + REFERENCE_TIME_OFFSET + 2) & 0xFF);
        return (raw << 8) >> 8;
    }

    /** The reference time in microseconds. */
    public long referenceTimeUs() {
        return (long) referenceTime() * REFERENCE_TIME_TICK_US;
    }

    /** The feedback packet counter (0..255), for spotting lost feedback. */
    public int feedbackPacketCount() {
        return buffer.getByte(offset + FEEDBACK_COUNT_OFFSET) & 0xFF;
    }

    /**
     * Hands every reported packet to {@code handler}, in sequence order.
     *
     * @return {@link #packetStatusCount()}
     */
    public int forEachPacket(TransportCcPacketHandler handler) {
        int remaining = statusCount;
        int sequence = baseSequenceNumber();
        int chunkPosition = offset + CHUNKS_OFFSET;
        int deltaPosition = deltasOffset;
        while (remaining > 0) {
            int chunk = buffer.getShort(chunkPosition, ORDER) & 0xFFFF;
            chunkPosition += 2;
            if ((chunk & 0x8000) == 0) {
                int status = (chunk >>> 13) & 0x3;
                int run = Math.min(chunk & 0x1FFF, remaining);
                for (int i = 0; i < run; i++) {
                    deltaPosition = report(handler, sequence++, status, deltaPosition);
                }
                remaining -= run;
            } else {
                boolean twoBit = (chunk & 0x4000) != 0;
                int symbols = Math.min(twoBit ? 7 : 14, remaining);
                for (int i = 0; i < symbols; i++) {
                    deltaPosition = report(handler, sequence++, symbol(chunk, twoBit, i), deltaPosition);
                }
                remaining -= symbols;
            }
        }
        return statusCount;
    }

    private int report(TransportCcPacketHandler handler, int sequence, int status, int deltaPosition) {
        int deltaTicks;
        int next;
        if (status == STATUS_SMALL_DELTA) {
            deltaTicks = buffer.getByte(deltaPosition) & 0xFF;
            next = deltaPosition + 1;
        } else if (status == STATUS_LARGE_DELTA) {
            deltaTicks = buffer.getShort(deltaPosition, ORDER);
            next = deltaPosition + 2;
        } else {
            deltaTicks = 0;
            next = deltaPosition;
        }
        handler.onPacket(sequence & 0xFFFF, status, deltaTicks * DELTA_TICK_US);
        return next;
    }

    private static int symbol(int chunk, boolean twoBit, int index) {
        return twoBit ? (chunk >>> (12 - 2 * index)) & 0x3 : (chunk >>> (13 - index)) & 0x1;
    }

    /** Receive delta octets a status symbol carries. */
    static int deltaOctets(int status) {
        return status == STATUS_SMALL_DELTA ? 1 : status == STATUS_LARGE_DELTA ? 2 : 0;
    }
}
