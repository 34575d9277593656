package io.sfu.core.rtp;

import java.io.ByteArrayOutputStream;

/**
 * Dependency descriptors (AV1 RTP specification, A.8) of a synthetic stream in three spatial and three temporal
 * layers with inter-layer prediction (L3T3), for tests: twelve templates, four per spatial layer (the frame of a key
 * picture, then one per temporal layer), nine decode targets (spatial × temporal), a chain per spatial layer and the
 * layers' resolutions (320x180, 640x360, 1280x720).
 */
public final class L3T3Descriptors {
    public static final int[] WIDTHS = {320, 640, 1280};
    public static final int[] HEIGHTS = {180, 360, 720};
    /** Decode target indications (A.8.3.1). */
    private static final int NOT_PRESENT = 0;
    private static final int DISCARDABLE = 1;
    private static final int SWITCH = 2;
    private static final int REQUIRED = 3;
    private static final int LAYERS = 3;

    private L3T3Descriptors() {
    }

    /** The template of a frame of spatial layer {@code spatialId} and temporal layer {@code temporalId}. */
    public static int template(int spatialId, int temporalId, boolean keyPicture) {
        return spatialId * 4 + (keyPicture ? 0 : 1 + temporalId);
    }

    /**
     * The descriptor of one packet: its frame's template and frame number, whether it starts and ends its frame, and
     * with {@code structure} the template structure after the mandatory fields (the first packet of a key picture).
     */
    public static byte[] descriptor(boolean start, boolean end, int template, int frameNumber, boolean structure) {
        Bits bits = new Bits();
        bits.put(start ? 1 : 0, 1).put(end ? 1 : 0, 1).put(template, 6).put(frameNumber & 0xFFFF, 16);
        if (structure) {
            bits.put(1, 1).put(0, 4); // the structure alone: no active targets, custom indications or chains
            writeStructure(bits);
        }
        return bits.toBytes();
    }

    private static void writeStructure(Bits bits) {
        bits.put(0, 6).put(LAYERS * LAYERS - 1, 5);
        int templates = LAYERS * 4;
        for (int template = 0; template < templates; template++) {
            int inLayer = template % 4;
            int next = template == templates - 1 ? 3 : inLayer == 3 ? 2 : inLayer == 0 ? 0 : 1;
            bits.put(next, 2);
        }
        for (int template = 0; template < templates; template++) {
            for (int target = 0; target < LAYERS * LAYERS; target++) {
                bits.put(indication(template, target / LAYERS, target % LAYERS), 2);
            }
        }
        for (int template = 0; template < templates; template++) {
            int spatial = template / 4;
            int inLayer = template % 4;
            if (spatial > 0) {
                bits.put(1, 1).put(0, 4); // the frame of the layer below in the same picture
            }
            if (inLayer > 0) {
                // the layer's own earlier frame: 4, 2 and 1 pictures back, three frames a picture
                bits.put(1, 1).put(3 * (inLayer == 1 ? 4 : inLayer == 2 ? 2 : 1) - 1, 4);
            }
            bits.put(0, 1);
        }
        writeNonSymmetric(bits, LAYERS, LAYERS * LAYERS + 1);
        for (int target = 0; target < LAYERS * LAYERS; target++) {
            writeNonSymmetric(bits, target / LAYERS, LAYERS);
        }
        for (int template = 0; template < templates; template++) {
            for (int chain = 0; chain < LAYERS; chain++) {
                bits.put(chain >= template / 4 ? Math.min(15, 1 + chain) : 0, 4);
            }
        }
        bits.put(1, 1);
        for (int layer = 0; layer < LAYERS; layer++) {
            bits.put(WIDTHS[layer] - 1, 16).put(HEIGHTS[layer] - 1, 16);
        }
    }

    /** What decode target (spatial, temporal) needs of a frame of {@code template}. */
    private static int indication(int template, int targetSpatial, int targetTemporal) {
        int spatial = template / 4;
        int inLayer = template % 4;
        int temporal = Math.max(0, inLayer - 1);
        if (targetSpatial < spatial || targetTemporal < temporal) {
            return NOT_PRESENT;
        }
        if (targetSpatial > spatial) {
            return REQUIRED;
        }
        return temporal == 2 ? DISCARDABLE : SWITCH;
    }

    /** ns(n) (A.8.1), the encoding the reader decodes. */
    private static void writeNonSymmetric(Bits bits, int value, int n) {
        int width = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << width) - n;
        if (value < m) {
            bits.put(value, width - 1);
        } else {
            int v = value + m;
            bits.put(v >>> 1, width - 1).put(v & 1, 1);
        }
    }

    /** Bits written most significant first, padded with zeros to whole octets. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        Bits put(int value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                current = current << 1 | (value >>> i & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        byte[] toBytes() {
            if (count > 0) {
                out.write(current << (8 - count));
                current = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }
}
