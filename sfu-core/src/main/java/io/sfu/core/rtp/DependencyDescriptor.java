package io.sfu.core.rtp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads the mandatory fields of the dependency descriptor RTP header extension (AV1 RTP specification, appendix
 * A.8, also sent with VP8, VP9 and H.264 by libwebrtc) and whether it carries a template dependency structure, which
 * an encoder sends with every key frame. It lets the SFU find key frames and frame boundaries without reading the
 * payload, which end-to-end encryption (insertable streams, SFrame) leaves unreadable. Static, allocation free.
 *
 * <pre>
 *  mandatory_descriptor_fields (3 bytes):
 *    start_of_frame (1) | end_of_frame (1) | frame_dependency_template_id (6) | frame_number (16)
 *  extended_descriptor_fields, when the extension is longer than 3 bytes:
 *    template_dependency_structure_present_flag (1) | active_decode_targets_present_flag (1) | ...
 * </pre>
 */
public final class DependencyDescriptor {
    /** The extension's URI in SDP ({@code a=extmap}). */
    public static final String URI =
        "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";
    /** Length of the mandatory fields. */
    public static final int MANDATORY_LENGTH = 3;

    private DependencyDescriptor() {
    }

    /** Whether the descriptor of {@code length} bytes at {@code offset} is long enough to read. */
    public static boolean isValid(int length) {
        return length >= MANDATORY_LENGTH;
    }

    public static boolean startOfFrame(DirectBuffer buffer, int offset) {
        return (buffer.getByte(offset) & 0x80) != 0;
    }

    public static boolean endOfFrame(DirectBuffer buffer, int offset) {
        return (buffer.getByte(offset) & 0x40) != 0;
    }

    public static int templateId(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset) & 0x3F;
    }

    public static int frameNumber(DirectBuffer buffer, int offset) {
        return ((buffer.getByte(offset + 1) & 0xFF) << 8) | (buffer.getByte(offset + 2) & 0xFF);
    }

    /** Writes {@code frameNumber} (16 bits) into the mandatory fields of the descriptor at {@code offset}. */
    public static void frameNumber(MutableDirectBuffer buffer, int offset, int frameNumber) {
        buffer.putByte(offset + 1, (byte) (frameNumber >>> 8));
        buffer.putByte(offset + 2, (byte) frameNumber);
    }

    /** Whether the descriptor carries a template dependency structure (extended fields, first bit). */
    public static boolean hasStructure(DirectBuffer buffer, int offset, int length) {
        return length > MANDATORY_LENGTH && (buffer.getByte(offset + MANDATORY_LENGTH) & 0x80) != 0;
    }

    /**
     * Whether the packet starts a key frame: the first packet of a frame whose descriptor carries the dependency
     * structure, which an encoder sends with each key frame so that a receiver can start there.
     */
    public static boolean startsKeyframe(DirectBuffer buffer, int offset, int length) {
        return isValid(length) && startOfFrame(buffer, offset) && hasStructure(buffer, offset, length);
    }
}
