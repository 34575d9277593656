package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the VP8 and VP9 payload descriptors share (RFC 7741 §4.2, RFC 9628 §4.2): a picture id of 7 or 15 bits
 * (the M bit of its first octet says which), TL0PICIDX and TID, and a descriptor length after which the codec's
 * data begins; and the rewriting of picture id and TL0PICIDX in place, which a forwarder that drops frames or switches
 * between encodings needs so that its receiver sees one continuous numbering.
 */
public abstract class VpxPayloadParser extends PayloadParser {
    /** Returned by the index getters when the descriptor does not carry that field. */
    public static final int ABSENT = -1;

    private static final int M_BIT = 0x80;

    int pictureId;
    int pictureIdBits;
    int tl0PicIdx;
    int temporalId;
    int descriptorLength;
    /** Where the picture id and TL0PICIDX octets are, relative to the payload's first octet; ABSENT when not there. */
    int pictureIdAt;
    int tl0PicIdxAt;
    private int payloadStart;

    VpxPayloadParser() {
    }

    /** Forgets the fields of the previous descriptor, before a parse of the payload starting at {@code offset}. */
    void clearDescriptor(int offset) {
        payloadStart = offset;
        pictureId = ABSENT;
        pictureIdBits = 0;
        tl0PicIdx = ABSENT;
        temporalId = ABSENT;
        pictureIdAt = ABSENT;
        tl0PicIdxAt = ABSENT;
    }

    /** Reads TL0PICIDX at {@code index}, which the caller checked to lie before the end. */
    void readTl0PicIdx(DirectBuffer payload, int index) {
        tl0PicIdx = u8(payload, index);
        tl0PicIdxAt = index - payloadStart;
    }

    /** Reads the picture id at {@code index}; returns the index after it, or -1 when it is truncated. */
    int readPictureId(DirectBuffer payload, int index, int end) {
        if (index >= end) {
            return -1;
        }
        pictureIdAt = index - payloadStart;
        int high = u8(payload, index++);
        if ((high & M_BIT) == 0) {
            pictureId = high;
            pictureIdBits = 7;
            return index;
        }
        if (index >= end) {
            return -1;
        }
        pictureId = ((high & 0x7F) << 8) | u8(payload, index++);
        pictureIdBits = 15;
        return index;
    }

    /** The picture id (7 or 15 bits), or {@link #ABSENT}. */
    public int pictureId() {
        return pictureId;
    }

    /** 7 or 15 when a picture id is present (its width on the wire matters to a rewriter), else 0. */
    public int pictureIdBits() {
        return pictureIdBits;
    }

    /** TL0PICIDX, or {@link #ABSENT}. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }

    /** TID, or {@link #ABSENT} when the descriptor carries no temporal layer index. */
    public int temporalId() {
        return temporalId;
    }

    /** Bytes of the payload descriptor, i.e. where the codec's data begins relative to the payload offset. */
    public int descriptorLength() {
        return descriptorLength;
    }

    /**
     * Writes {@code pictureId} (in the width the last parsed descriptor had, 7 or 15 bits) and {@code tl0PicIdx} into a
     * copy of the last parsed payload whose first octet is at {@code payloadOffset} of {@code buffer}. A negative
     * value, or a field that descriptor does not carry, leaves the field as it is.
     */
    public final void rewrite(MutableDirectBuffer buffer, int payloadOffset, int pictureId, int tl0PicIdx) {
        if (pictureId >= 0 && pictureIdAt != ABSENT) {
            int at = payloadOffset + pictureIdAt;
            if (pictureIdBits == 15) {
                buffer.putByte(at, (byte) (M_BIT | (pictureId >>> 8) & 0x7F));
                buffer.putByte(at + 1, (byte) pictureId);
            } else {
                buffer.putByte(at, (byte) (pictureId & 0x7F));
            }
        }
        if (tl0PicIdx >= 0 && tl0PicIdxAt != ABSENT) {
            buffer.putByte(payloadOffset + tl0PicIdxAt, (byte) tl0PicIdx);
        }
    }
}
