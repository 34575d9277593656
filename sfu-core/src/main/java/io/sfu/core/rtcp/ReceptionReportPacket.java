package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * What a sender report and a receiver report share (RFC 3550 §6.4.1, §6.4.2): the sender's SSRC after the header,
 * then RC report blocks from a fixed offset, then extensions left alone. Only the report blocks' offset and the
 * packet type tell the two apart.
 */
abstract class ReceptionReportPacket {
    static final int SSRC_OFFSET = 4;

    private final int packetType;
    private final int reportBlocksOffset;
    DirectBuffer buffer;
    int offset;

    ReceptionReportPacket(int packetType, int reportBlocksOffset) {
        this.packetType = packetType;
        this.reportBlocksOffset = reportBlocksOffset;
    }

    /**
     * Wraps the packet at {@code offset} (its length field decides its extent, within {@code length} octets).
     *
     * @return false when it is not a well-formed packet of this type or its report blocks do not fit
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        int content = RtcpHeader.contentLength(buffer, offset, length, packetType);
        return content >= 0 && content >= length(reportBlocksOffset, RtcpHeader.count(buffer, offset));
    }

    /** SSRC of the packet's sender. */
    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET, ORDER);
    }

    public int reportCount() {
        return RtcpHeader.count(buffer, offset);
    }

    /** Positions {@code block} on report block {@code index} ({@code 0 <= index < reportCount()}). */
    public ReportBlock reportBlock(int index, ReportBlock block) {
        return block.wrap(buffer, offset + reportBlocksOffset + index * ReportBlock.LENGTH);
    }

    /** Octets of a packet whose report blocks start at {@code reportBlocksOffset}, with no extension. */
    static int length(int reportBlocksOffset, int reportCount) {
        return reportBlocksOffset + reportCount * ReportBlock.LENGTH;
    }

    /** Writes the header and the sender's SSRC of a packet announcing {@code reportCount} (0..31) report blocks. */
    static int writeHeader(MutableDirectBuffer buffer, int offset, int packetType, int reportBlocksOffset, int ssrc,
        int reportCount) {
        int length = length(reportBlocksOffset, reportCount);
        RtcpHeader.write(buffer, offset, reportCount, packetType, length);
        buffer.putInt(offset + SSRC_OFFSET, ssrc, ORDER);
        return length;
    }
}
