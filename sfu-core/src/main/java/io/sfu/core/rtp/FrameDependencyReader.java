package io.sfu.core.rtp;

import org.agrona.DirectBuffer;

/**
 * Reads the dependency descriptor of each packet of one stream (AV1 RTP specification, appendix A.8) for the spatial
 * and temporal layer its frame belongs to and where a receiver can start decoding more layers, remembering the
 * template dependency structure (A.8.2) an encoder sends with each key frame, which the later packets name their
 * template in, and the layers' resolutions when it gives them. libwebrtc sends it with VP8, VP9, H.264 and AV1, and
 * then leaves the codec's own layer fields out of VP8's payload descriptor. Single-threaded, allocation free.
 *
 * <pre>
 *  extended_descriptor_fields:
 *    template_dependency_structure_present_flag (1) | active_decode_targets_present_flag (1) |
 *    custom_dtis_flag (1) | custom_fdiffs_flag (1) | custom_chains_flag (1) |
 *    [template_dependency_structure] [active_decode_targets_bitmask (DtCnt)] [frame_dtis (2 × DtCnt)] ...
 *  template_dependency_structure:
 *    template_id_offset (6) | dt_cnt_minus_one (5) | template_layers | template_dtis | template_fdiffs |
 *    template_chains | resolutions_present_flag (1) | [render_resolutions]
 *  template_layers: next_layer_idc (2) per template, until 3 (1: next temporal layer, 2: next spatial layer)
 *  template_dtis: decode target indication (2) per template per decode target
 *  template_fdiffs: per template, { fdiff_follows_flag (1) = 1 | fdiff_minus_one (4) } ... fdiff_follows_flag = 0
 *  template_chains: chain_cnt ns(DtCnt + 1) | [decode_target_protected_by ns(chain_cnt) per decode target |
 *    template_chain_fdiff (4) per template per chain]
 *  render_resolutions: render_width_minus_1 (16) | render_height_minus_1 (16), per spatial layer
 * </pre>
 */
public final class FrameDependencyReader {
    /** Decode target indications (A.8.3.1). */
    static final int NOT_PRESENT = 0;
    static final int SWITCH = 2;
    /** At most 64 templates (their ids are 6 bits) and 32 decode targets (dt_cnt_minus_one is 5 bits). */
    private static final int MAX_TEMPLATES = 64;
    private static final int MAX_DECODE_TARGETS = 32;
    /** Each next_layer_idc of 2 starts the next spatial layer; bounded as VP9's SID is (a structure past it fails). */
    private static final int MAX_SPATIAL_LAYERS = 8;

    private boolean structureKnown;
    private int templateIdOffset;
    private int decodeTargets;
    private int templates;
    private final int[] templateTemporalId = new int[MAX_TEMPLATES];
    private final int[] templateSpatialId = new int[MAX_TEMPLATES];
    /** The highest spatial layer of the structure (0 without spatial layers). */
    private int maxSpatialId;
    /** The render height of each spatial layer when the structure gave resolutions, else 0. */
    private final int[] heights = new int[MAX_SPATIAL_LAYERS];
    /** Whether the last descriptor read carried a (readable) structure. */
    private boolean structureRead;
    /** Per template, its decode target indications, two bits each, decode target 0 lowest. */
    private final long[] templateDtis = new long[MAX_TEMPLATES];
    /** The highest temporal layer each decode target takes. */
    private final int[] decodeTargetTemporalId = new int[MAX_DECODE_TARGETS];

    // the last descriptor read
    private int temporalId;
    private int spatialId;
    private int switchLayers;
    private boolean startOfFrame;
    private boolean endOfFrame;

    // the bit reader over the descriptor being read
    private DirectBuffer buffer;
    private int bitOffset;
    private int bitEnd;

    /**
     * Reads the descriptor of {@code length} octets at {@code offset}. Returns false when it is malformed or names a
     * template of a structure not seen yet; the getters are then meaningless.
     */
    public boolean read(DirectBuffer descriptor, int offset, int length) {
        temporalId = -1;
        spatialId = -1;
        switchLayers = 0;
        structureRead = false;
        startOfFrame = false;
        endOfFrame = false;
        if (!DependencyDescriptor.isValid(length) || offset < 0 || offset > descriptor.capacity() - length) {
            return false;
        }
        buffer = descriptor;
        bitOffset = offset * 8;
        bitEnd = (offset + length) * 8;
        startOfFrame = bits(1) == 1;
        endOfFrame = bits(1) == 1;
        int templateId = bits(6);
        bitOffset += 16;
        boolean customDtis = false;
        if (length > DependencyDescriptor.MANDATORY_LENGTH) {
            boolean structure = bits(1) == 1;
            boolean activeDecodeTargets = bits(1) == 1;
            customDtis = bits(1) == 1;
            bitOffset += 2; // custom fdiffs and chains: not needed here
            if (structure && !readStructure()) {
                structureKnown = false;
                return false;
            }
            if (!structureKnown) {
                return false;
            }
            structureRead = structure;
            if (structure) {
                // a key frame: every decode target starts here; what follows the structure is not needed
                customDtis = false;
            } else if (activeDecodeTargets) {
                bitOffset += decodeTargets;
            }
        }
        if (!structureKnown) {
            return false;
        }
        int template = (templateId + MAX_TEMPLATES - templateIdOffset) % MAX_TEMPLATES;
        if (template >= templates) {
            return false;
        }
        temporalId = templateTemporalId[template];
        spatialId = templateSpatialId[template];
        long dtis = templateDtis[template];
        if (customDtis) {
            dtis = 0;
            for (int target = 0; target < decodeTargets; target++) {
                dtis |= (long) bits(2) << 2 * target;
            }
        }
        if (bitOffset > bitEnd) {
            temporalId = -1;
            spatialId = -1;
            return false;
        }
        for (int target = 0; target < decodeTargets; target++) {
            if ((dtis >>> 2 * target & 3) == SWITCH) {
                switchLayers |= (2 << decodeTargetTemporalId[target]) - 1;
            }
        }
        return true;
    }

    /** The temporal layer of the frame of the last descriptor read; -1 when it could not be read. */
    public int temporalId() {
        return temporalId;
    }

    /** Whether the packet of the last descriptor read (readable or not, once 3 octets long) starts its frame. */
    public boolean startOfFrame() {
        return startOfFrame;
    }

    /** Whether the packet of the last descriptor read ends its frame (of its spatial layer: A.8.3.1). */
    public boolean endOfFrame() {
        return endOfFrame;
    }

    /** The spatial layer of the frame of the last descriptor read; -1 when it could not be read. */
    public int spatialId() {
        return spatialId;
    }

    /** The highest spatial layer of the structure known (0 when it has none above the base; -1 before one). */
    public int maxSpatialId() {
        return structureKnown ? maxSpatialId : -1;
    }

    /**
     * The spatial layer of the template the descriptor of {@code length} octets at {@code offset} names, by the
     * structure known, reading nothing else of it and keeping nothing: for a stored packet sent again, whose
     * structure (if it carries one) must not replace a newer one. -1 when unknown or without spatial layers.
     */
    public int spatialIdOfTemplate(DirectBuffer descriptor, int offset, int length) {
        if (!structureKnown || maxSpatialId == 0 || !DependencyDescriptor.isValid(length)) {
            return -1;
        }
        int template = (DependencyDescriptor.templateId(descriptor, offset) + MAX_TEMPLATES - templateIdOffset)
            % MAX_TEMPLATES;
        return template < templates ? templateSpatialId[template] : -1;
    }

    /** Whether the last descriptor read carried a structure, which a stream's layer resolutions are taken from. */
    public boolean structureRead() {
        return structureRead;
    }

    /**
     * The render height of spatial layer {@code spatialLayer} from the structure's resolutions; 0 when it gave none
     * (or there is no such layer).
     */
    public int height(int spatialLayer) {
        return structureKnown && spatialLayer >= 0 && spatialLayer <= maxSpatialId ? heights[spatialLayer] : 0;
    }

    /**
     * The temporal layers a receiver can start at the frame of the last descriptor read: bit n is set when the frame
     * is a switch point of a decode target that takes layer n (and so the layers below it).
     */
    public int switchLayers() {
        return switchLayers;
    }

    /** Reads the template structure at the bit position; false when it runs past the descriptor. */
    private boolean readStructure() {
        templateIdOffset = bits(6);
        decodeTargets = bits(5) + 1;
        templates = 0;
        int temporal = 0;
        int spatial = 0;
        int nextLayer;
        do {
            if (templates == MAX_TEMPLATES || spatial >= MAX_SPATIAL_LAYERS || bitOffset >= bitEnd) {
                return false;
            }
            templateTemporalId[templates] = temporal;
            templateSpatialId[templates++] = spatial;
            nextLayer = bits(2);
            if (nextLayer == 1) {
                temporal++;
            } else if (nextLayer == 2) {
                temporal = 0; // the next spatial layer starts at temporal layer 0
                spatial++;
            }
        } while (nextLayer != 3);
        maxSpatialId = spatial;
        for (int target = 0; target < decodeTargets; target++) {
            decodeTargetTemporalId[target] = 0;
        }
        for (int template = 0; template < templates; template++) {
            long dtis = 0;
            for (int target = 0; target < decodeTargets; target++) {
                int dti = bits(2);
                dtis |= (long) dti << 2 * target;
                if (dti != NOT_PRESENT) {
                    decodeTargetTemporalId[target] = Math.max(decodeTargetTemporalId[target],
                        templateTemporalId[template]);
                }
            }
            templateDtis[template] = dtis;
        }
        skipFdiffsAndChains();
        boolean resolutions = bits(1) == 1;
        for (int layer = 0; layer <= maxSpatialId; layer++) {
            if (resolutions) {
                bitOffset += 16; // the width: a subscriber's maxHeight is matched against the heights
                heights[layer] = bits(16) + 1;
            } else {
                heights[layer] = 0;
            }
        }
        structureKnown = bitOffset <= bitEnd;
        return structureKnown;
    }

    /** Passes over template_fdiffs and template_chains, which a selection by layer does not need. */
    private void skipFdiffsAndChains() {
        for (int template = 0; template < templates && bitOffset < bitEnd; template++) {
            while (bits(1) == 1 && bitOffset < bitEnd) {
                bitOffset += 4;
            }
        }
        int chains = nonSymmetric(decodeTargets + 1);
        if (chains > 0) {
            for (int target = 0; target < decodeTargets; target++) {
                nonSymmetric(chains);
            }
            bitOffset += 4 * templates * chains;
        }
    }

    /** An ns(n) value (A.8.1: a non-symmetric unsigned number below {@code n}). */
    private int nonSymmetric(int n) {
        int width = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << width) - n;
        int value = bits(width - 1);
        if (value < m) {
            return value;
        }
        return (value << 1) - m + bits(1);
    }

    /** The next {@code count} bits (at most 31), most significant first; zeros past the end (checked by callers). */
    private int bits(int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int bit = 0;
            if (bitOffset < bitEnd) {
                bit = buffer.getByte(bitOffset >>> 3) >>> (7 - (bitOffset & 7)) & 1;
            }
            value = value << 1 | bit;
            bitOffset++;
        }
        return value;
    }
}
