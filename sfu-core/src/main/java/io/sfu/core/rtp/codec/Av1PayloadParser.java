package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;

/**
 * Reads the AV1 aggregation header ("RTP Payload Format For AV1", AOMedia, §4.4) and the header of the first OBU
 * to find the first packet of a coded video sequence, which is where a decoder can start (a key frame).
 *
 * <pre>
 * Aggregation header (§4.4):          OBU header (AV1 spec §5.3.2):
 *   0 1 2 3 4 5 6 7                     0 1 2 3 4 5 6 7
 *  +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *  |Z|Y| W |N|-|-|-|                   |F| type  |X|S|-|   (+ one extension byte when X = 1)
 *  +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Z: the first OBU element continues one from the previous packet; Y: the last element continues in the next
 * packet; W: the number of OBU elements (0 = every element carries a LEB128 length; otherwise all but the last
 * do); N: first packet of a coded video sequence (and then Z must be 0). A packet starts a key frame when N = 1,
 * Z = 0 and the first OBU header is well formed; the first OBU's type is kept ({@link #firstObuType()}) so that a
 * caller may insist on a sequence header ({@link #OBU_SEQUENCE_HEADER}).
 */
public final class Av1PayloadParser extends PayloadParser {
    public static final int OBU_SEQUENCE_HEADER = 1;
    public static final int OBU_TEMPORAL_DELIMITER = 2;
    /** Returned by {@link #firstObuType()} when the packet starts with a continued fragment. */
    public static final int ABSENT = -1;

    private static final int Z_BIT = 0x80;
    private static final int Y_BIT = 0x40;
    private static final int N_BIT = 0x08;
    private static final int OBU_FORBIDDEN_BIT = 0x80;
    private static final int OBU_EXTENSION_BIT = 0x04;
    /** LEB128 values in AV1 are at most 8 bytes long (AV1 spec §4.10.5). */
    private static final int MAX_LEB128_BYTES = 8;

    private int aggregationHeader;
    private int firstObuType;

    @Override
    public String codec() {
        return "AV1";
    }

    @Override
    boolean parseChecked(DirectBuffer payload, int offset, int end) {
        firstObuType = ABSENT;
        aggregationHeader = u8(payload, offset);
        boolean continuation = (aggregationHeader & Z_BIT) != 0;
        boolean newSequence = (aggregationHeader & N_BIT) != 0;
        if (continuation && newSequence) {
            return false;
        }
        int index = offset + 1;
        if (index >= end) {
            return false; // no OBU element at all
        }
        if (continuation) {
            return true; // the first bytes continue an OBU whose header came earlier
        }
        int elementEnd = end;
        if (elementCount() != 1) {
            long elementLength = 0;
            int shift = 0;
            int lengthBytes = 0;
            int b;
            do {
                if (index >= end || lengthBytes == MAX_LEB128_BYTES) {
                    return false;
                }
                b = u8(payload, index++);
                elementLength |= (long) (b & 0x7F) << shift;
                shift += 7;
                lengthBytes++;
            } while ((b & 0x80) != 0);
            if (elementLength == 0 || elementLength > end - index) {
                return false;
            }
            elementEnd = index + (int) elementLength;
        }
        int obuHeader = u8(payload, index);
        if ((obuHeader & OBU_FORBIDDEN_BIT) != 0
            || ((obuHeader & OBU_EXTENSION_BIT) != 0 && elementEnd - index < 2)) {
            return false;
        }
        firstObuType = (obuHeader >>> 3) & 0x0F;
        keyframe = newSequence;
        return true;
    }

    /** Z: the first OBU element continues an OBU from the previous packet. */
    public boolean continuesPreviousObu() {
        return (aggregationHeader & Z_BIT) != 0;
    }

    /** Y: the last OBU element continues in the next packet. */
    public boolean continuesInNextPacket() {
        return (aggregationHeader & Y_BIT) != 0;
    }

    /** W: the number of OBU elements (1..3), or 0 when every element carries its own length. */
    public int elementCount() {
        return (aggregationHeader >>> 4) & 0x03;
    }

    /** N: the first packet of a coded video sequence. */
    public boolean startsNewCodedVideoSequence() {
        return (aggregationHeader & N_BIT) != 0;
    }

    /** The obu_type of the first OBU that starts in this packet, or {@link #ABSENT}. */
    public int firstObuType() {
        return firstObuType;
    }
}
