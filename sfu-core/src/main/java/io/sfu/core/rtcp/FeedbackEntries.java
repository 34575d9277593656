package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.FEEDBACK_HEADER_LENGTH;
import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * What the feedback messages made of fixed-length FCI entries share (RFC 4585 §6.1): the common feedback header,
 * then as many entries as the packet holds up to its padding.
 */
abstract class FeedbackEntries {
    private final int packetType;
    private final int format;
    private final int entryLength;
    DirectBuffer buffer;
    int offset;
    private int entryCount;

    FeedbackEntries(int packetType, int format, int entryLength) {
        this.packetType = packetType;
        this.format = format;
        this.entryLength = entryLength;
    }

    /**
     * Wraps the message at {@code offset}.
     *
     * @return false when it is not a feedback packet of this type and FMT carrying at least one entry
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        int content = RtcpHeader.feedbackContentLength(buffer, offset, length, packetType, format);
        entryCount = content < 0 ? 0 : (content - FEEDBACK_HEADER_LENGTH) / entryLength;
        return entryCount > 0;
    }

    public int senderSsrc() {
        return buffer.getInt(offset + RtcpHeader.SENDER_SSRC_OFFSET, ORDER);
    }

    public int entryCount() {
        return entryCount;
    }

    /** Where entry {@code index} starts in the buffer. */
    int entryOffset(int index) {
        return offset + FEEDBACK_HEADER_LENGTH + entryLength * index;
    }
}
