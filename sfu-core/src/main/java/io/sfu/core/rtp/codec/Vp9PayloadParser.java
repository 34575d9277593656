package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;

/**
 * Reads the VP9 payload descriptor (RFC 9628 §4.2) in flexible and non-flexible mode, including the scalability
 * structure (§4.2.1), to find key frames and the picture id and layer indices.
 *
 * <pre>
 * Flexible mode (F = 1):                   Non-flexible mode (F = 0):
 *         0 1 2 3 4 5 6 7                          0 1 2 3 4 5 6 7
 *        +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *        |I|P|L|F|B|E|V|Z| (REQUIRED)             |I|P|L|F|B|E|V|Z| (REQUIRED)
 *        +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *   I:   |M| PICTURE ID  | (REQUIRED)        I:   |M| PICTURE ID  | (RECOMMENDED)
 *        +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *   M:   | EXTENDED PID  | (RECOMMENDED)     M:   | EXTENDED PID  | (RECOMMENDED)
 *        +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *   L:   | TID |U| SID |D| (COND. RECOMMENDED) L:   | TID |U| SID |D| (COND. RECOMMENDED)
 *        +-+-+-+-+-+-+-+-+                  -\    +-+-+-+-+-+-+-+-+
 *   P,F: | P_DIFF      |N| (COND. REQUIRED)  - up |   TL0PICIDX   | (COND. REQUIRED)
 *        +-+-+-+-+-+-+-+-+                  -/ to +-+-+-+-+-+-+-+-+
 *   V:   | SS            |                   3x V: | SS            |
 *        +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *
 * Scalability structure (RFC 9628 §4.2.1):
 *        +-+-+-+-+-+-+-+-+
 *   V:   | N_S |Y|G|-|-|-|
 *        +-+-+-+-+-+-+-+-+              -\
 *   Y:   |     WIDTH     | (16 bits)     - N_S + 1 times
 *        |     HEIGHT    | (16 bits)     .
 *        +-+-+-+-+-+-+-+-+              -/
 *   G:   |      N_G      |
 *        +-+-+-+-+-+-+-+-+                           -\
 *   N_G: |  TID  |U| R |-|-|                          - N_G times
 *        +-+-+-+-+-+-+-+-+              -\            .
 *        |    P_DIFF     |               - R times    .
 *        +-+-+-+-+-+-+-+-+              -/           -/
 * </pre>
 *
 * A key frame starts where B = 1 (first packet of a layer frame), P = 0 (not inter-picture predicted) and the
 * spatial layer is 0 (SID = 0, or no layer indices at all).
 */
public final class Vp9PayloadParser extends VpxPayloadParser {
    /** N_S is three bits, so at most eight spatial layers are described. */
    public static final int MAX_SPATIAL_LAYERS = 8;

    private static final int I_BIT = 0x80;
    private static final int P_BIT = 0x40;
    private static final int L_BIT = 0x20;
    private static final int F_BIT = 0x10;
    private static final int B_BIT = 0x08;
    private static final int E_BIT = 0x04;
    private static final int V_BIT = 0x02;
    private static final int Z_BIT = 0x01;
    private static final int MAX_P_DIFFS = 3;

    private int flags;
    private boolean switchingUpPoint;
    private int spatialId;
    private boolean interLayerDependency;
    private int referenceCount;
    private int spatialLayerCount;
    private boolean resolutionsPresent;
    private final int[] widths = new int[MAX_SPATIAL_LAYERS];
    private final int[] heights = new int[MAX_SPATIAL_LAYERS];

    @Override
    public String codec() {
        return "VP9";
    }

    @Override
    boolean parseChecked(DirectBuffer payload, int offset, int end) {
        clearDescriptor(offset);
        switchingUpPoint = false;
        spatialId = ABSENT;
        interLayerDependency = false;
        referenceCount = 0;
        spatialLayerCount = 0;
        resolutionsPresent = false;

        int index = offset;
        flags = u8(payload, index++);
        boolean flexible = (flags & F_BIT) != 0;
        if ((flags & I_BIT) != 0) {
            index = readPictureId(payload, index, end);
            if (index < 0) {
                return false;
            }
        }
        if ((flags & L_BIT) != 0) {
            if (index >= end) {
                return false;
            }
            int layers = u8(payload, index++);
            temporalId = layers >>> 5;
            switchingUpPoint = (layers & 0x10) != 0;
            spatialId = (layers >>> 1) & 0x07;
            interLayerDependency = (layers & 0x01) != 0;
            if (!flexible) {
                if (index >= end) {
                    return false;
                }
                readTl0PicIdx(payload, index++);
            }
        }
        if (flexible && (flags & P_BIT) != 0) {
            boolean more = true;
            while (more) {
                if (index >= end || referenceCount == MAX_P_DIFFS) {
                    return false; // truncated, or a fourth reference the format does not allow
                }
                more = (u8(payload, index++) & 0x01) != 0;
                referenceCount++;
            }
        }
        if ((flags & V_BIT) != 0) {
            index = skipScalabilityStructure(payload, index, end);
            if (index < 0) {
                return false;
            }
        }
        descriptorLength = index - offset;
        if (index >= end) {
            return false; // a descriptor with no VP9 data after it
        }
        keyframe = (flags & B_BIT) != 0 && (flags & P_BIT) == 0 && spatialId <= 0;
        return true;
    }

    /** Returns the index after the scalability structure at {@code index}, or -1 when it is truncated. */
    private int skipScalabilityStructure(DirectBuffer payload, int index, int end) {
        if (index >= end) {
            return -1;
        }
        int header = u8(payload, index++);
        spatialLayerCount = (header >>> 5) + 1;
        resolutionsPresent = (header & 0x10) != 0;
        boolean groupsPresent = (header & 0x08) != 0;
        if (resolutionsPresent) {
            if (end - index < 4 * spatialLayerCount) {
                return -1;
            }
            for (int layer = 0; layer < spatialLayerCount; layer++) {
                widths[layer] = u16(payload, index);
                heights[layer] = u16(payload, index + 2);
                index += 4;
            }
        }
        if (groupsPresent) {
            if (index >= end) {
                return -1;
            }
            int groups = u8(payload, index++);
            for (int group = 0; group < groups; group++) {
                if (index >= end) {
                    return -1;
                }
                int references = (u8(payload, index++) >>> 2) & 0x03;
                if (end - index < references) {
                    return -1;
                }
                index += references;
            }
        }
        return index;
    }

    /** I: a picture id is present. */
    public boolean hasPictureId() {
        return (flags & I_BIT) != 0;
    }

    /** P: the frame is inter-picture predicted. */
    public boolean interPicturePredicted() {
        return (flags & P_BIT) != 0;
    }

    /** F: flexible mode (references carried as P_DIFF) rather than a predefined group of frames. */
    public boolean flexibleMode() {
        return (flags & F_BIT) != 0;
    }

    /** B: the packet starts a layer frame. */
    public boolean startOfFrame() {
        return (flags & B_BIT) != 0;
    }

    /** E: the packet ends a layer frame. */
    public boolean endOfFrame() {
        return (flags & E_BIT) != 0;
    }

    /** V: a scalability structure is present. */
    public boolean hasScalabilityStructure() {
        return (flags & V_BIT) != 0;
    }

    /** Z: no higher spatial layer uses this frame as a reference. */
    public boolean notReferencedByUpperSpatialLayers() {
        return (flags & Z_BIT) != 0;
    }

    /** U: a switching-up point for temporal layers. */
    public boolean switchingUpPoint() {
        return switchingUpPoint;
    }

    /** SID, or {@link #ABSENT} when there are no layer indices. */
    public int spatialId() {
        return spatialId;
    }

    /** D: the layer frame depends on the lower spatial layer of the same picture. */
    public boolean interLayerDependency() {
        return interLayerDependency;
    }

    /** Number of P_DIFF reference entries (flexible mode). */
    public int referenceCount() {
        return referenceCount;
    }

    /** N_S + 1 when a scalability structure is present, else 0. */
    public int spatialLayerCount() {
        return spatialLayerCount;
    }

    /** Y: the scalability structure gave each spatial layer's resolution. */
    public boolean resolutionsPresent() {
        return resolutionsPresent;
    }

    /** Width of spatial layer {@code layer}; valid when {@link #resolutionsPresent()}. */
    public int width(int layer) {
        return widths[layer];
    }

    /** Height of spatial layer {@code layer}; valid when {@link #resolutionsPresent()}. */
    public int height(int layer) {
        return heights[layer];
    }
}
