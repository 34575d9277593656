package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;

/**
 * Reads the VP8 payload descriptor (RFC 7741 §4.2) and, at the start of partition 0, the VP8 payload header
 * (RFC 7741 §4.3) to find key frames, picture ids and temporal layer indices.
 *
 * <pre>
 * Payload descriptor (RFC 7741 §4.2):
 *        0 1 2 3 4 5 6 7
 *       +-+-+-+-+-+-+-+-+
 *       |X|R|N|S|R| PID | (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  X:   |I|L|T|K| RSV   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  I:   |M| PictureID   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *       |   PictureID   | (OPTIONAL, present when M = 1: 15-bit picture id)
 *       +-+-+-+-+-+-+-+-+
 *  L:   |   TL0PICIDX   | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *  T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *       +-+-+-+-+-+-+-+-+
 *
 * Payload header, first bytes of partition 0 (RFC 7741 §4.3):
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |Size0|H| VER |P|
 *      +-+-+-+-+-+-+-+-+
 *      |     Size1     |
 *      +-+-+-+-+-+-+-+-+
 *      |     Size2     |
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A key frame starts where S = 1, PID = 0 and P = 0; its frame header then carries the start code
 * {@code 9d 01 2a} (RFC 6386 §9.1), which is checked as well so that stray bytes are not taken for a key frame.
 */
public final class Vp8PayloadParser extends VpxPayloadParser {
    private static final int X_BIT = 0x80;
    private static final int N_BIT = 0x20;
    private static final int S_BIT = 0x10;
    private static final int PID_MASK = 0x07;
    private static final int I_BIT = 0x80;
    private static final int L_BIT = 0x40;
    private static final int T_BIT = 0x20;
    private static final int K_BIT = 0x10;
    /** Frame tag (3 bytes) + start code (3 bytes). */
    private static final int KEY_FRAME_PREFIX = 6;

    private boolean startOfPartition;
    private int partitionId;
    private boolean nonReference;
    private boolean layerSync;
    private int keyIndex;

    @Override
    public String codec() {
        return "VP8";
    }

    @Override
    boolean parseChecked(DirectBuffer payload, int offset, int end) {
        clearDescriptor(offset);
        layerSync = false;
        keyIndex = ABSENT;

        int index = offset;
        int first = u8(payload, index++);
        startOfPartition = (first & S_BIT) != 0;
        partitionId = first & PID_MASK;
        nonReference = (first & N_BIT) != 0;
        if ((first & X_BIT) != 0) {
            if (index >= end) {
                return false;
            }
            int extension = u8(payload, index++);
            if ((extension & I_BIT) != 0) {
                index = readPictureId(payload, index, end);
                if (index < 0) {
                    return false;
                }
            }
            if ((extension & L_BIT) != 0) {
                if (index >= end) {
                    return false;
                }
                readTl0PicIdx(payload, index++);
            }
            if ((extension & (T_BIT | K_BIT)) != 0) {
                if (index >= end) {
                    return false;
                }
                int tidYKeyIdx = u8(payload, index++);
                if ((extension & T_BIT) != 0) {
                    temporalId = tidYKeyIdx >>> 6;
                    layerSync = (tidYKeyIdx & 0x20) != 0;
                }
                if ((extension & K_BIT) != 0) {
                    keyIndex = tidYKeyIdx & 0x1F;
                }
            }
        }
        descriptorLength = index - offset;
        if (index >= end) {
            return false; // a descriptor with no VP8 data after it
        }
        keyframe = startOfPartition && partitionId == 0
            && (u8(payload, index) & 0x01) == 0
            && end - index >= KEY_FRAME_PREFIX
            && u8(payload, index + 3) == 0x9D && u8(payload, index + 4) == 0x01 && u8(payload, index + 5) == 0x2A;
        return true;
    }

    /** S: the packet starts a VP8 partition. */
    public boolean startOfPartition() {
        return startOfPartition;
    }

    /** PID: the partition index (0 for the first partition of a frame). */
    public int partitionId() {
        return partitionId;
    }

    /** S = 1 and PID = 0: the packet is the first of a frame. */
    public boolean startOfFrame() {
        return startOfPartition && partitionId == 0;
    }

    /** N: the frame is not used as a reference and may be dropped. */
    public boolean nonReference() {
        return nonReference;
    }

    /** Y: the frame depends only on temporal layer 0 (a layer sync point). */
    public boolean layerSync() {
        return layerSync;
    }

    /** KEYIDX, or {@link #ABSENT}. */
    public int keyIndex() {
        return keyIndex;
    }
}
