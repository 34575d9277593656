package io.sfu.core.rtcp;

import org.agrona.MutableDirectBuffer;

import java.util.function.IntConsumer;

import static io.sfu.core.rtcp.RtcpHeader.FEEDBACK_HEADER_LENGTH;
import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes a generic NACK (RFC 4585 §6.2.1: RTPFB, FMT=1): a list of (PID, BLP) entries, each naming
 * a lost packet and a bitmask of the 16 packets after it that are lost too.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |    PT=205     |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                              ...                              :
 * </pre>
 */
public final class GenericNack extends FeedbackEntries {
    public static final int FORMAT = 1;
    public static final int ENTRY_LENGTH = 4;

    public GenericNack() {
        super(RtcpHeader.TRANSPORT_FEEDBACK, FORMAT, ENTRY_LENGTH);
    }

    public int mediaSsrc() {
        return buffer.getInt(offset + RtcpHeader.MEDIA_SSRC_OFFSET, ORDER);
    }

    /** The PID of entry {@code index}: the first lost sequence number it names. */
    public int packetId(int index) {
        return buffer.getShort(entryOffset(index), ORDER) & 0xFFFF;
    }

    /** The BLP of entry {@code index}: bit i set means PID + i + 1 is lost too. */
    public int lostBitmask(int index) {
        return buffer.getShort(entryOffset(index) + 2, ORDER) & 0xFFFF;
    }

    /**
     * Hands every lost sequence number to {@code lost}, entry by entry, each entry in ascending order.
     *
     * @return how many numbers were handed over
     */
    public int forEachLost(IntConsumer lost) {
        int total = 0;
        for (int i = 0; i < entryCount(); i++) {
            int packetId = packetId(i);
            int bitmask = lostBitmask(i);
            lost.accept(packetId);
            total++;
            while (bitmask != 0) {
                lost.accept((packetId + Integer.numberOfTrailingZeros(bitmask) + 1) & 0xFFFF);
                bitmask &= bitmask - 1;
                total++;
            }
        }
        return total;
    }

    /** Upper bound of the octets {@link #write} needs for {@code count} lost numbers. */
    public static int maxLength(int count) {
        return FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH * count;
    }

    /**
     * Writes a NACK for the first {@code count} (at least 1) sequence numbers of {@code lost}, packing each number
     * that falls within 16 after the current entry's PID into its BLP; numbers in ascending (wrapping) order
     * pack best, and a repeated number is reported once per entry.
     *
     * @return the octets written, at most {@link #maxLength(int)}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int senderSsrc, int mediaSsrc, int[] lost,
        int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a NACK names at least one lost packet");
        }
        int entry = offset + FEEDBACK_HEADER_LENGTH;
        int packetId = lost[0] & 0xFFFF;
        int bitmask = 0;
        for (int i = 1; i < count; i++) {
            int sequence = lost[i] & 0xFFFF;
            int distance = (sequence - packetId) & 0xFFFF;
            if (distance == 0) {
                continue;
            }
            if (distance <= 16) {
                bitmask |= 1 << (distance - 1);
                continue;
            }
            buffer.putShort(entry, (short) packetId, ORDER);
            buffer.putShort(entry + 2, (short) bitmask, ORDER);
            entry += ENTRY_LENGTH;
            packetId = sequence;
            bitmask = 0;
        }
        buffer.putShort(entry, (short) packetId, ORDER);
        buffer.putShort(entry + 2, (short) bitmask, ORDER);
        int length = entry + ENTRY_LENGTH - offset;
        RtcpHeader.writeFeedback(buffer, offset, RtcpHeader.TRANSPORT_FEEDBACK, FORMAT, length, senderSsrc, mediaSsrc);
        return length;
    }

    /**
     * Writes a NACK whose FCI entries are given ready-made, one {@code PID << 16 | BLP} word each (as a NACK
     * generator produces them).
     *
     * @return the octets written: {@link #maxLength(int)} of {@code count}
     */
    public static int writeEntries(MutableDirectBuffer buffer, int offset, int senderSsrc, int mediaSsrc,
        int[] fciWords, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a NACK carries at least one entry");
        }
        int entry = offset + FEEDBACK_HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            buffer.putInt(entry, fciWords[i], ORDER);
            entry += ENTRY_LENGTH;
        }
        int length = entry - offset;
        RtcpHeader.writeFeedback(buffer, offset, RtcpHeader.TRANSPORT_FEEDBACK, FORMAT, length, senderSsrc, mediaSsrc);
        return length;
    }
}
