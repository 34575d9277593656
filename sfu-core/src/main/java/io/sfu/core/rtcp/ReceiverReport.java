package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

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
public final class ReceiverReport {
    public static final int SSRC_OFFSET = 4;
    public static final int REPORT_BLOCKS_OFFSET = 8;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps the RR at {@code offset} (its length field decides its extent, within {@code length} octets).
     *
     * @return false when it is not a well-formed RR or its report blocks do not fit
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        int content = RtcpHeader.contentLength(buffer, offset, length, RtcpHeader.RECEIVER_REPORT);
        return content >= 0 && content >= length(RtcpHeader.count(buffer, offset));
    }

    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET, ORDER);
    }

    public int reportCount() {
        return RtcpHeader.count(buffer, offset);
    }

    /** Positions {@code block} on report block {@code index} ({@code 0 <= index < reportCount()}). */
    public ReportBlock reportBlock(int index, ReportBlock block) {
        return block.wrap(buffer, offset + REPORT_BLOCKS_OFFSET + index * ReportBlock.LENGTH);
    }

    /** Octets of an RR with {@code reportCount} report blocks and no extension. */
    public static int length(int reportCount) {
        return REPORT_BLOCKS_OFFSET + reportCount * ReportBlock.LENGTH;
    }

    /**
     * Writes the header of an RR announcing {@code reportCount} (0..31) report blocks, which the caller then
     * writes with {@link ReportBlock#write} at {@code offset + length(0) + i * ReportBlock.LENGTH}.
     *
     * @return {@link #length(int)} of {@code reportCount}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int ssrc, int reportCount) {
        int length = length(reportCount);
        RtcpHeader.write(buffer, offset, reportCount, RtcpHeader.RECEIVER_REPORT, length);
        buffer.putInt(offset + SSRC_OFFSET, ssrc, ORDER);
        return length;
    }
}
