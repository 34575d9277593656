package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;

/**
 * Finds the start of H.264 key frames in RTP payloads (RFC 6184 §5), packetization modes 0 and 1: single NAL unit
 * packets, STAP-A aggregates and FU-A fragments.
 *
 * <pre>
 * NAL unit header (RFC 6184 §5.3):     STAP-A (RFC 6184 §5.7.1), one or more units:
 *   +---------------+                    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |0|1|2|3|4|5|6|7|                    |STAP-A NAL HDR | NALU 1 Size (16 bits) | NALU 1 HDR |
 *   +-+-+-+-+-+-+-+-+                    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |F|NRI|  Type   |                    |  NALU 1 Data ...  | NALU 2 Size | NALU 2 HDR | ...
 *   +---------------+                    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * FU-A (RFC 6184 §5.8):
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | FU indicator  |   FU header   |  FU payload ...
 *   |F|NRI|  Type=28|S|E|R|  Type   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A packet starts a key frame when it carries an IDR slice (type 5) or a parameter set (SPS 7, PPS 8) whole or
 * as the first fragment: WebRTC senders put SPS and PPS right before every IDR picture, so the packet holding
 * them is the first one of the key frame, the one a forwarder must switch at. The interleaved-mode types
 * (STAP-B, MTAP16, MTAP24, FU-B) parse as valid but never as key frames; types 0, 30 and 31 and a set
 * forbidden bit are rejected.
 */
public final class H264PayloadParser extends PayloadParser {
    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    private static final int FORBIDDEN_BIT = 0x80;
    private static final int TYPE_MASK = 0x1F;
    private static final int FU_START = 0x80;
    private static final int FU_END = 0x40;

    private int nalType;

    @Override
    public String codec() {
        return "H264";
    }

    @Override
    boolean parseChecked(DirectBuffer payload, int offset, int end) {
        int header = u8(payload, offset);
        nalType = header & TYPE_MASK;
        if ((header & FORBIDDEN_BIT) != 0) {
            return false;
        }
        if (nalType >= 1 && nalType <= 23) {
            keyframe = startsKeyframe(nalType);
            return true;
        }
        switch (nalType) {
            case STAP_A:
                return parseStapA(payload, offset + 1, end);
            case FU_A: {
                if (end - offset < 3) {
                    return false; // indicator, header and at least one byte of the fragment
                }
                int fuHeader = u8(payload, offset + 1);
                boolean start = (fuHeader & FU_START) != 0;
                if (start && (fuHeader & FU_END) != 0) {
                    return false; // §5.8: a whole NAL unit must not be sent as a single fragment
                }
                keyframe = start && startsKeyframe(fuHeader & TYPE_MASK);
                return true;
            }
            case 25: // STAP-B
            case 26: // MTAP16
            case 27: // MTAP24
            case 29: // FU-B
                return true;
            default:
                return false;
        }
    }

    private boolean parseStapA(DirectBuffer payload, int index, int end) {
        if (index >= end) {
            return false; // an aggregate must hold at least one unit
        }
        boolean key = false;
        while (index < end) {
            if (end - index < 2) {
                return false;
            }
            int size = u16(payload, index);
            index += 2;
            if (size == 0 || size > end - index) {
                return false;
            }
            int unitHeader = u8(payload, index);
            if ((unitHeader & FORBIDDEN_BIT) != 0) {
                return false;
            }
            key |= startsKeyframe(unitHeader & TYPE_MASK);
            index += size;
        }
        keyframe = key;
        return true;
    }

    private static boolean startsKeyframe(int type) {
        return type == NAL_IDR || type == NAL_SPS || type == NAL_PPS;
    }

    /** The type field of the packet's first byte: a NAL unit type (1..23), STAP-A (24), FU-A (28)... */
    public int nalType() {
        return nalType;
    }
}
