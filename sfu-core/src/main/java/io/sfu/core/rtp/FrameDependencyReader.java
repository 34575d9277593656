package io.sfu.core.rtp;

import org.agrona.DirectBuffer;

/**
 * Reads the dependency descriptor of each packet of one stream (AV1 RTP specification, appendix A.8) for the layer
 * its frame belongs to and where a receiver can start decoding more layers, remembering the template dependency
 * structure (A.8.2) an encoder sends with each key frame, which the later packets name their template in. libwebrtc
 * sends it with VP8, VP9, H.264 and AV1, and then leaves the codec's own layer fields out of VP8's payload
 * descriptor. Single-threaded, allocation free.
 *
 * <pre>
 *  extended_descriptor_fields:
 *    template_dependency_structure_present_flag (1) | active_decode_targets_present_flag (1) |
 *    custom_dtis_flag (1) | custom_fdiffs_flag (1) | custom_chains_flag (1) |
 *    [template_dependency_structure] [active_decode_targets_bitmask (DtCnt)] [frame_dtis (2 × DtCnt)] ...
 *  template_dependency_structure:
 *    template_id_offset (6) | dt_cnt_minus_one (5) | template_layers | template_dtis | ...
 *  template_layers: next_layer_idc (2) per template, until 3
 *  template_dtis: decode target indication (2) per template per decode target
 * </pre>
 */
public final class FrameDependencyReader {
    /** Decode target indications (A.8.3.1). */
    static final int NOT_PRESENT = 0;
    static final int SWITCH = 2;
    /** At most 64 templates (their ids are 6 bits) and 32 decode targets (dt_cnt_minus_one is 5 bits). */
    private static final int MAX_TEMPLATES = 64;
    private static final int MAX_DECODE_TARGETS = 32;

    private boolean structureKnown;
    private int templateIdOffset;
    private int decodeTargets;
    private int templates;
    private final int[] templateTemporalId = new int[MAX_TEMPLATES];
    /** Per template, its decode target indications, two bits each, decode target 0 lowest. */
    private final long[] templateDtis = new long[MAX_TEMPLATES];
    /** The highest temporal layer each decode target takes. */
    private final int[] decodeTargetTemporalId = new int[MAX_DECODE_TARGETS];

    // the last descriptor read
    private int temporalId;
    private int switchLayers;

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
        switchLayers = 0;
        if (!DependencyDescriptor.isValid(length) || offset < 0 || offset > descriptor.capacity() - length) {
            return false;
        }
        buffer = descriptor;
        bitOffset = offset * 8 + 2;
        bitEnd = (offset + length) * 8;
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
        long dtis = templateDtis[template];
        if (customDtis) {
            dtis = 0;
            for (int target = 0; target < decodeTargets; target++) {
                dtis |= (long) bits(2) << 2 * target;
            }
        }
        if (bitOffset > bitEnd) {
            temporalId = -1;
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
        int layer = 0;
        int nextLayer;
        do {
            if (templates == MAX_TEMPLATES || bitOffset >= bitEnd) {
                return false;
            }
            templateTemporalId[templates++] = layer;
            nextLayer = bits(2);
            if (nextLayer == 1) {
                layer++;
            } else if (nextLayer == 2) {
                layer = 0; // the next spatial layer starts at temporal layer 0
            }
        } while (nextLayer != 3);
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
        structureKnown = bitOffset <= bitEnd;
        return structureKnown;
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
