package io.sfu.core.rtcp;

import org.agrona.MutableDirectBuffer;

/**
 * Reads and writes an RTCP receiver report (RFC 3550 §6.4.2) in place: the reporter's SSRC followed by RC
 * report blocks and possibly profile-specific extensions, which are left alone.
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     SSRC of packet sender                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                 SSRC_1 (SSRC of first source)                 |
 * block  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   1    :                               ...                             :
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                  profile-specific extensions                  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReceiverReport extends ReceptionReportPacket {
    public static final int SSRC_OFFSET = ReceptionReportPacket.SSRC_OFFSET;
    public static final int REPORT_BLOCKS_OFFSET = 8;

    public ReceiverReport() {
        super(RtcpHeader.RECEIVER_REPORT, REPORT_BLOCKS_OFFSET);
    }

    /** Octets of an RR with {@code reportCount} report blocks and no extension. */
    public static int length(int reportCount) {
        return length(REPORT_BLOCKS_OFFSET, reportCount);
    }

    /**
     * Writes the header of an RR announcing {@code reportCount} (0..31) report blocks, which the caller then
     * writes with {@link ReportBlock#write} at {@code offset + length(0) + i * ReportBlock.LENGTH}.
     *
     * @return {@link #length(int)} of {@code reportCount}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int ssrc, int reportCount) {
        return writeHeader(buffer, offset, RtcpHeader.RECEIVER_REPORT, REPORT_BLOCKS_OFFSET, ssrc, reportCount);
    }
}
