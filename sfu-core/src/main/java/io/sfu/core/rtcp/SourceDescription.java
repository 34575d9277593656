package io.sfu.core.rtcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;

/**
 * Reads and writes an RTCP source description (SDES, RFC 3550 §6.5): SC chunks, each an SSRC followed by items
 * (type, length, text) and ended by a null octet, padded to the next 32-bit boundary. {@link #wrap} checks every
 * chunk; then {@link #nextChunk} and {@link #nextItem} walk them without allocating.
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                           SDES items                          |
 *        |                              ...                              |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * CNAME item (§6.5.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    CNAME=1    |     length    | user and domain name        ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class SourceDescription {
    public static final int END = 0;
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;
    public static final int CHUNKS_OFFSET = 4;

    /** Where {@link #write} puts the item text: after the header, the chunk's SSRC, item type and length. */
    private static final int ITEM_TEXT_OFFSET = CHUNKS_OFFSET + 4 + 2;

    private DirectBuffer buffer;
    private int offset;
    private int end;
    private int chunkCount;
    private int chunksRead;
    private int nextChunkOffset;
    private int chunkSsrc;
    private int itemPosition;
    private int itemType;
    private int itemOffset;
    private int itemLength;

    /**
     * Wraps the SDES packet at {@code offset} and positions before its first chunk.
     *
     * @return false when it is not a well-formed SDES packet: a chunk or item running past the end, or a chunk
     *     missing its null terminator
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.chunkCount = 0;
        int content = RtcpHeader.contentLength(buffer, offset, length, RtcpHeader.SOURCE_DESCRIPTION);
        if (content < 0) {
            return false;
        }
        end = offset + content;
        int count = RtcpHeader.count(buffer, offset);
        int position = offset + CHUNKS_OFFSET;
        for (int i = 0; i < count; i++) {
            position = chunkEnd(position);
            if (position < 0) {
                return false;
            }
        }
        chunkCount = count;
        rewind();
        return true;
    }

    /** Moves back before the first chunk. */
    public void rewind() {
        chunksRead = 0;
        nextChunkOffset = offset + CHUNKS_OFFSET;
        itemPosition = -1;
    }

    public int chunkCount() {
        return chunkCount;
    }

    /** Advances to the next chunk; false after the last one. */
    public boolean nextChunk() {
        if (chunksRead == chunkCount) {
            itemPosition = -1;
            return false;
        }
        chunksRead++;
        chunkSsrc = buffer.getInt(nextChunkOffset, ORDER);
        itemPosition = nextChunkOffset + 4;
        nextChunkOffset = chunkEnd(nextChunkOffset);
        return true;
    }

    /** The SSRC or CSRC the current chunk describes. */
    public int chunkSsrc() {
        return chunkSsrc;
    }

    /** Advances to the next item of the current chunk; false at its end or before {@link #nextChunk}. */
    public boolean nextItem() {
        if (itemPosition < 0 || (buffer.getByte(itemPosition) & 0xFF) == END) {
            return false;
        }
        itemType = buffer.getByte(itemPosition) & 0xFF;
        itemLength = buffer.getByte(itemPosition + 1) & 0xFF;
        itemOffset = itemPosition + 2;
        itemPosition = itemOffset + itemLength;
        return true;
    }

    /** The current item's type, e.g. {@link #CNAME}. */
    public int itemType() {
        return itemType;
    }

    /** Index in the buffer of the current item's text (UTF-8). */
    public int itemOffset() {
        return itemOffset;
    }

    public int itemLength() {
        return itemLength;
    }

    /** Where the chunk at {@code position} ends (its padded end), or -1 when it runs past the content. */
    private int chunkEnd(int position) {
        if (end - position < 4 + 1) {
            return -1;
        }
        int item = position + 4;
        while (item < end) {
            int type = buffer.getByte(item) & 0xFF;
            if (type == END) {
                int padded = offset + ((item + 1 - offset + 3) & ~3);
                return padded <= end ? padded : -1;
            }
            if (end - item < 2) {
                return -1;
            }
            item += 2 + (buffer.getByte(item + 1) & 0xFF);
        }
        return -1;
    }

    /** Octets of an SDES packet with one chunk holding one item of {@code textLength} octets. */
    public static int length(int textLength) {
        return (ITEM_TEXT_OFFSET + textLength + 1 + 3) & ~3;
    }

    /**
     * Writes an SDES packet with one chunk for {@code ssrc} holding one item (typically {@link #CNAME}) of up to
     * 255 octets, null-terminated and zero-padded.
     *
     * @return {@link #length(int)} of {@code textLength}
     */
    public static int write(MutableDirectBuffer buffer, int offset, int ssrc, int itemType, DirectBuffer text,
        int textOffset, int textLength) {
        int length = writeAroundText(buffer, offset, ssrc, itemType, textLength);
        buffer.putBytes(offset + ITEM_TEXT_OFFSET, text, textOffset, textLength);
        return length;
    }

    /** {@link #write(MutableDirectBuffer, int, int, int, DirectBuffer, int, int)} from a byte array. */
    public static int write(MutableDirectBuffer buffer, int offset, int ssrc, int itemType, byte[] text) {
        int length = writeAroundText(buffer, offset, ssrc, itemType, text.length);
        buffer.putBytes(offset + ITEM_TEXT_OFFSET, text);
        return length;
    }

    private static int writeAroundText(MutableDirectBuffer buffer, int offset, int ssrc, int itemType,
        int textLength) {
        if (itemType < 1 || itemType > 255 || textLength < 0 || textLength > 255) {
            throw new IllegalArgumentException("SDES item type " + itemType + " length " + textLength);
        }
        int length = length(textLength);
        RtcpHeader.write(buffer, offset, 1, RtcpHeader.SOURCE_DESCRIPTION, length);
        buffer.putInt(offset + CHUNKS_OFFSET, ssrc, ORDER);
        buffer.putByte(offset + ITEM_TEXT_OFFSET - 2, (byte) itemType);
        buffer.putByte(offset + ITEM_TEXT_OFFSET - 1, (byte) textLength);
        int terminator = offset + ITEM_TEXT_OFFSET + textLength;
        buffer.setMemory(terminator, offset + length - terminator, (byte) 0);
        return length;
    }
}
