package io.sfu.core.rtcp;

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
public final class SenderReport extends ReceptionReportPacket {
    public static final int SSRC_OFFSET = ReceptionReportPacket.SSRC_OFFSET;
    public static final int NTP_TIMESTAMP_OFFSET = 8;
    public static final int RTP_TIMESTAMP_OFFSET = 16;
    public static final int PACKET_COUNT_OFFSET = 20;
    public static final int OCTET_COUNT_OFFSET = 24;
    public static final int REPORT_BLOCKS_OFFSET = 28;

    public SenderReport() {
        super(RtcpHeader.SENDER_REPORT, REPORT_BLOCKS_OFFSET);
    }

    /** The 64-bit NTP timestamp: seconds since 1900 in the high word, the fraction in the low word. */
    public long ntpTimestamp() {
        return buffer.getLong(offset + NTP_TIMESTAMP_OFFSET, ORDER);
    }

    /** The middle 32 bits of the NTP timestamp, as echoed in a report block's LSR field. */
    public long compactNtpTimestamp() {
        return RtcpHeader.uint32(buffer, offset + NTP_TIMESTAMP_OFFSET + 2);
    }

    public long rtpTimestamp() {
        return RtcpHeader.uint32(buffer, offset + RTP_TIMESTAMP_OFFSET);
    }

    public long packetCount() {
        return RtcpHeader.uint32(buffer, offset + PACKET_COUNT_OFFSET);
    }

    public long octetCount() {
        return RtcpHeader.uint32(buffer, offset + OCTET_COUNT_OFFSET);
    }

    /** Octets of an SR with {@code reportCount} report blocks and no extension. */
    public static int length(int reportCount) {
        return length(REPORT_BLOCKS_OFFSET, reportCount);
    }

    /**
     * Writes the header and sender info of an SR announcing {@code reportCount} (0..31) report blocks, which the
     * caller then writes with {@link ReportBlock#write} at {@code offset + length(0) + i * ReportBlock.LENGTH}.
     *
     * @return {@link #length(int)} of {@code reportCount}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int ssrc, long ntpTimestamp, long rtpTimestamp,
        long packetCount, long octetCount, int reportCount) {
        int length = writeHeader(buffer, offset, RtcpHeader.SENDER_REPORT, REPORT_BLOCKS_OFFSET, ssrc, reportCount);
        buffer.putLong(offset + NTP_TIMESTAMP_OFFSET, ntpTimestamp, ORDER);
        buffer.putInt(offset + RTP_TIMESTAMP_OFFSET, (int) rtpTimestamp, ORDER);
        buffer.putInt(offset + PACKET_COUNT_OFFSET, (int) packetCount, ORDER);
        buffer.putInt(offset + OCTET_COUNT_OFFSET, (int) octetCount, ORDER);
        return length;
    }
}
