package io.sfu.core.rtp;

import org.agrona.MutableDirectBuffer;

/**
 * Walks the RFC 8285 header extension elements of a wrapped {@link RtpPacket} without allocating, and edits the
 * current element in place (id, value, erasure).
 *
 * <p>One-byte form (RFC 8285 §4.2, profile 0xBEDE): a 4-bit id and a 4-bit length minus one, then 1..16 octets.
 * Two-byte form (§4.3, profile 0x100x): an 8-bit id and an 8-bit length, then 0..255 octets.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       0xBE    |    0xDE       |           length=3            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       ...data   |    0 (pad)    |    0 (pad)    |  ID   | L=3   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          data                                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * A zero octet between elements is padding and is skipped, in both forms (a one-byte header with id 0 is skipped
 * as one octet whatever its length bits). Iteration ends at the end of the
 * block, at a one-byte id of 15 (§4.2: stop processing the block), or at an element whose value would run past
 * the block; elements before that point stay visible. Blocks with any other profile have no elements.
 */
public final class RtpExtensionCursor {
    private static final int ONE_BYTE = 1;
    private static final int TWO_BYTE = 2;
    private static final int ONE_BYTE_STOP_ID = 15;

    private MutableDirectBuffer buffer;
    private int form;
    private int position;
    private int end;
    private int id;
    private int elementOffset;
    private int valueOffset;
    private int valueLength;

    /** Positions the cursor before the first element of {@code packet}, which must be wrapped successfully. */
    public RtpExtensionCursor reset(RtpPacket packet) {
        buffer = packet.buffer();
        position = packet.extensionBlockOffset();
        end = position + packet.extensionBlockLength();
        form = packet.hasOneByteExtensions() ? ONE_BYTE : packet.hasTwoByteExtensions() ? TWO_BYTE : 0;
        if (form == 0) {
            end = position;
        }
        id = 0;
        return this;
    }

    /** Advances to the next element; false when there is none. */
    public boolean next() {
        while (position < end) {
            int first = buffer.getByte(position) & 0xFF;
            int headerLength;
            int elementId;
            int dataLength;
            if (form == ONE_BYTE) {
                elementId = first >>> 4;
                if (elementId == 0) {
                    // id 0 is padding; its length bits carry nothing
                    position++;
                    continue;
                }
                if (elementId == ONE_BYTE_STOP_ID) {
                    break;
                }
                headerLength = 1;
                dataLength = (first & 0x0F) + 1;
            } else {
                if (first == 0) {
                    position++;
                    continue;
                }
                if (position + 2 > end) {
                    break;
                }
                elementId = first;
                headerLength = 2;
                dataLength = buffer.getByte(position + 1) & 0xFF;
            }
            if (dataLength > end - position - headerLength) {
                break;
            }
            id = elementId;
            elementOffset = position;
            valueOffset = position + headerLength;
            valueLength = dataLength;
            position = valueOffset + dataLength;
            return true;
        }
        position = end;
        id = 0;
        return false;
    }

    /** The current element's id (1..14 in the one-byte form, 1..255 in the two-byte form). */
    public int id() {
        return id;
    }

    /** True for a block of one-byte elements, false for two-byte elements. */
    public boolean isOneByteForm() {
        return form == ONE_BYTE;
    }

    /** Index in the buffer of the current element's first header octet. */
    public int elementOffset() {
        return elementOffset;
    }

    /** Index in the buffer of the current element's value. */
    public int valueOffset() {
        return valueOffset;
    }

    public int valueLength() {
        return valueLength;
    }

    /**
     * Rewrites the current element's id in place.
     *
     * @return false, leaving the element as it is, when {@code newId} cannot be carried by this block's form
     *     (1..14 for one-byte elements, 1..255 for two-byte elements)
     */
    public boolean id(int newId) {
        if (form == ONE_BYTE) {
            if (newId < 1 || newId > 14) {
                return false;
            }
            int lengthBits = buffer.getByte(elementOffset) & 0x0F;
            buffer.putByte(elementOffset, (byte) ((newId << 4) | lengthBits));
        } else {
            if (newId < 1 || newId > 255) {
                return false;
            }
            buffer.putByte(elementOffset, (byte) newId);
        }
        id = newId;
        return true;
    }

    /** The current value as an unsigned big-endian number; -1 when it is empty or longer than 8 octets. */
    public long valueAsLong() {
        if (valueLength < 1 || valueLength > 8) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < valueLength; i++) {
            value = (value << 8) | (buffer.getByte(valueOffset + i) & 0xFF);
        }
        return value;
    }

    /** Overwrites the current value with the low bytes of {@code value}, big-endian; false for lengths 0 or > 8. */
    public boolean putValue(long value) {
        if (valueLength < 1 || valueLength > 8) {
            return false;
        }
        putBigEndian(buffer, valueOffset, valueLength, value);
        return true;
    }

    /** Writes the low {@code length} bytes of {@code value} at {@code index}, most significant first. */
    static void putBigEndian(MutableDirectBuffer buffer, int index, int length, long value) {
        long remaining = value;
        for (int i = length - 1; i >= 0; i--) {
            buffer.putByte(index + i, (byte) remaining);
            remaining >>>= 8;
        }
    }

    /** Overwrites the current element, header included, with zero padding octets; the block keeps its length. */
    public void erase() {
        buffer.setMemory(elementOffset, valueOffset + valueLength - elementOffset, (byte) 0);
        id = 0;
    }
}
