package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes an RTCP sender report (RFC 3550 §6.4.1) in place: sender info followed by RC report blocks
 * and possibly profile-specific extensions, which are left alone.
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                 SSRC_1 (SSRC of first source)                 |
 * block  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   1    :                               ...                             :
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                  profile-specific extensions                  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class SenderReport {
    public static final int SSRC_OFFSET = 4;
    public static final int NTP_TIMESTAMP_OFFSET = 8;
    public static final int RTP_TIMESTAMP_OFFSET = 16;
    public static final int PACKET_COUNT_OFFSET = 20;
    public static final int OCTET_COUNT_OFFSET = 24;
    public static final int REPORT_BLOCKS_OFFSET = 28;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps the SR at {@code offset} (its length field decides its extent, within {@code length} octets).
     *
     * @return false when it is not a well-formed SR or its report blocks do not fit
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        int content = RtcpHeader.contentLength(buffer, offset, length, RtcpHeader.SENDER_REPORT);
        return content >= 0 && content >= length(RtcpHeader.count(buffer, offset));
    }

    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET, ORDER);
    }

    /** The 64-bit NTP timestamp: seconds since 1900 in the high word, the fraction in the low word. */
    public long ntpTimestamp() {
        return buffer.getLong(offset + NTP_TIMESTAMP_OFFSET, ORDER);
    }

    /** The middle 32 bits of the NTP timestamp, as echoed in a report block's LSR field. */
    public long compactNtpTimestamp() {
        return buffer.getInt(offset + NTP_TIMESTAMP_OFFSET + 2, ORDER) & 0xFFFF_FFFFL;
    }

    public long rtpTimestamp() {
        return buffer.getInt(offset + RTP_TIMESTAMP_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    public long packetCount() {
        return buffer.getInt(offset + PACKET_COUNT_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    public long octetCount() {
        return buffer.getInt(offset + OCTET_COUNT_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    public int reportCount() {
        return RtcpHeader.count(buffer, offset);
    }

    /** Positions {@code block} on report block {@code index} ({@code 0 <= index < reportCount()}). */
    public ReportBlock reportBlock(int index, ReportBlock block) {
        return block.wrap(buffer, offset + REPORT_BLOCKS_OFFSET + index * ReportBlock.LENGTH);
    }

    /** Octets of an SR with {@code reportCount} report blocks and no extension. */
    public static int length(int reportCount) {
        return REPORT_BLOCKS_OFFSET + reportCount * ReportBlock.LENGTH;
    }

    /**
     * Writes the header and sender info of an SR announcing {@code reportCount} (0..31) report blocks, which the
     * caller then writes with {@link ReportBlock#write} at {@code offset + length(0) + i * ReportBlock.LENGTH}.
     *
     * @return {@link #length(int)} of {@code reportCount}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int ssrc, long ntpTimestamp, long rtpTimestamp,
        long packetCount, long octetCount, int reportCount) {
        int length = length(reportCount);
        RtcpHeader.write(buffer, offset, reportCount, RtcpHeader.SENDER_REPORT, length);
        buffer.putInt(offset + SSRC_OFFSET, ssrc, ORDER);
        buffer.putLong(offset + NTP_TIMESTAMP_OFFSET, ntpTimestamp, ORDER);
        buffer.putInt(offset + RTP_TIMESTAMP_OFFSET, (int) rtpTimestamp, ORDER);
        buffer.putInt(offset + PACKET_COUNT_OFFSET, (int) packetCount, ORDER);
        buffer.putInt(offset + OCTET_COUNT_OFFSET, (int) octetCount, ORDER);
        return length;
    }
}
