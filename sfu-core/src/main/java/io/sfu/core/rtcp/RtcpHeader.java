package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The common header of every RTCP packet (RFC 3550 §6.4.1), the packet type numbers (RFC 3550 §12.1, RFC 4585
 * §6.1, RFC 3611) and the checks all readers share.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The length counts 32-bit words minus one, header and padding included. When P is set, the packet's last
 * octet counts the padding octets, itself included.
 */
public final class RtcpHeader {
    public static final int VERSION = 2;
    public static final int HEADER_LENGTH = 4;
    public static final int COUNT_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int LENGTH_OFFSET = 2;
    /** Largest value of the 5-bit count / feedback message type field. */
    public static final int MAX_COUNT = 31;

    public static final int SENDER_REPORT = 200;
    public static final int RECEIVER_REPORT = 201;
    public static final int SOURCE_DESCRIPTION = 202;
    public static final int GOODBYE = 203;
    public static final int APPLICATION = 204;
    /** RFC 4585 §6.1: transport layer feedback (RTPFB). */
    public static final int TRANSPORT_FEEDBACK = 205;
    /** RFC 4585 §6.1: payload-specific feedback (PSFB). */
    public static final int PAYLOAD_FEEDBACK = 206;
    public static final int EXTENDED_REPORT = 207;

    /** RFC 4585 §6.1: every feedback message starts with the header, the sender's SSRC and the media SSRC. */
    public static final int FEEDBACK_HEADER_LENGTH = 12;
    public static final int SENDER_SSRC_OFFSET = 4;
    public static final int MEDIA_SSRC_OFFSET = 8;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    static final int PADDING_BIT = 0x20;

    private RtcpHeader() {
    }

    /**
     * Checks the header of one RTCP packet at {@code offset}, within {@code length} octets.
     *
     * @return the octets from {@code offset} up to its padding (header included), or -1 when the bytes lie
     *     outside the buffer, the version is not 2, the length field runs past {@code length}, or the padding
     *     count is 0 or reaches into the header
     */
    static int contentLength(DirectBuffer buffer, int offset, int length) {
        if (buffer == null || offset < 0 || length < HEADER_LENGTH || offset > buffer.capacity() - length) {
            return -1;
        }
        int first = buffer.getByte(offset) & 0xFF;
        if ((first >>> 6) != VERSION) {
            return -1;
        }
        int packetLength = packetLength(buffer, offset);
        if (packetLength > length) {
            return -1;
        }
        if ((first & PADDING_BIT) == 0) {
            return packetLength;
        }
        int padding = buffer.getByte(offset + packetLength - 1) & 0xFF;
        return padding == 0 || padding > packetLength - HEADER_LENGTH ? -1 : packetLength - padding;
    }

    /** {@link #contentLength(DirectBuffer, int, int)} for a packet that must also be of type {@code type}. */
    static int contentLength(DirectBuffer buffer, int offset, int length, int type) {
        int content = contentLength(buffer, offset, length);
        return content >= 0 && (buffer.getByte(offset + TYPE_OFFSET) & 0xFF) == type ? content : -1;
    }

    /** {@link #contentLength} for a feedback message, which must also carry {@code format} in its FMT field. */
    static int feedbackContentLength(DirectBuffer buffer, int offset, int length, int type, int format) {
        int content = contentLength(buffer, offset, length, type);
        if (content < FEEDBACK_HEADER_LENGTH || count(buffer, offset) != format) {
            return -1;
        }
        return content;
    }

    /** The packet length in octets given by the length field at {@code offset}. */
    static int packetLength(DirectBuffer buffer, int offset) {
        return 4 * ((buffer.getShort(offset + LENGTH_OFFSET, ORDER) & 0xFFFF) + 1);
    }

    /** The unsigned 32-bit field at {@code index}. */
    static long uint32(DirectBuffer buffer, int index) {
        return buffer.getInt(index, ORDER) & 0xFFFF_FFFFL;
    }

    /** The 5-bit count (RC, SC) or feedback message type (FMT) field. */
    static int count(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset) & 0x1F;
    }

    /** Writes a header without padding for a packet of {@code packetLength} octets (a multiple of 4). */
    static void write(MutableDirectBuffer buffer, int offset, int count, int type, int packetLength) {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("RTCP count/FMT " + count + " is outside 0..31");
        }
        buffer.putByte(offset, (byte) ((VERSION << 6) | count));
        buffer.putByte(offset + TYPE_OFFSET, (byte) type);
        buffer.putShort(offset + LENGTH_OFFSET, (short) (packetLength / 4 - 1), ORDER);
    }

    /** Writes the RFC 4585 §6.1 common feedback part: header, sender SSRC, media SSRC. */
    static void writeFeedback(MutableDirectBuffer buffer, int offset, int type, int format, int packetLength,
        int senderSsrc, int mediaSsrc) {
        write(buffer, offset, format, type, packetLength);
        buffer.putInt(offset + SENDER_SSRC_OFFSET, senderSsrc, ORDER);
        buffer.putInt(offset + MEDIA_SSRC_OFFSET, mediaSsrc, ORDER);
    }

    /** Zero-fills from {@code position} up to the next multiple of 4 from {@code packetOffset}; returns it. */
    static int padToWord(MutableDirectBuffer buffer, int packetOffset, int position) {
        int end = packetOffset + ((position - packetOffset + 3) & ~3);
        buffer.setMemory(position, end - position, (byte) 0);
        return end;
    }
}
