package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;

/**
 * What the VP8 and VP9 payload descriptors share (RFC 7741 §4.2, RFC 9628 §4.2): a picture id of 7 or 15 bits
 * (the M bit of its first octet says which), TL0PICIDX and TID, and a descriptor length after which the codec's
 * data begins.
 */
abstract class VpxPayloadParser extends PayloadParser {
    /** Returned by the index getters when the descriptor does not carry that field. */
    public static final int ABSENT = -1;

    private static final int M_BIT = 0x80;

    int pictureId;
    int pictureIdBits;
    int tl0PicIdx;
    int temporalId;
    int descriptorLength;

    /** Forgets the fields of the previous descriptor, before a parse. */
    void clearDescriptor() {
        pictureId = ABSENT;
        pictureIdBits = 0;
        tl0PicIdx = ABSENT;
        temporalId = ABSENT;
    }

    /** Reads the picture id at {@code index}; returns the index after it, or -1 when it is truncated. */
    int readPictureId(DirectBuffer payload, int index, int end) {
        if (index >= end) {
            return -1;
        }
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
}
