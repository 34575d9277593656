package io.sfu.core.rtp;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over one RTP packet in a buffer: validates it once on {@link #wrap}, then reads and rewrites the
 * header and its RFC 8285 header extensions in place, without allocating.
 *
 * <p>RFC 3550 §5.1, fixed header, followed by the RFC 3550 §5.3.1 extension block when X is set:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * |                             ....                              |
 * </pre>
 * The profile word 0xBEDE announces RFC 8285 §4.2 one-byte elements, 0x100 followed by four application bits
 * announces §4.3 two-byte elements; any other profile is carried opaquely. When P is set, the last payload octet
 * counts the padding octets, itself included.
 *
 * <p>Malformed input makes {@link #wrap} return {@code false}; it never throws. After a {@code false} the
 * flyweight must not be read until the next successful wrap.
 */
public final class RtpPacket {
    public static final int VERSION = 2;
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int FLAGS_OFFSET = 0;
    public static final int PAYLOAD_TYPE_OFFSET = 1;
    public static final int SEQUENCE_NUMBER_OFFSET = 2;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int SSRC_OFFSET = 8;
    public static final int CSRC_OFFSET = 12;
    public static final int MAX_CSRC_COUNT = 15;
    public static final int EXTENSION_HEADER_LENGTH = 4;
    /** RFC 8285 §4.2: profile word of a block of one-byte elements. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 §4.3: profile word of a block of two-byte elements, with the four application bits zero. */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** {@link #findExtension} result when no element carries the id. */
    public static final long NOT_FOUND = -1L;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private static final int PADDING_BIT = 0x20;
    private static final int EXTENSION_BIT = 0x10;
    private static final int MARKER_BIT = 0x80;

    private final RtpExtensionCursor finder = new RtpExtensionCursor();
    private MutableDirectBuffer buffer;
    private int offset;
    private int length;
    private int headerLength;
    private int paddingLength;
    private int extensionProfile;
    private int extensionBlockOffset;
    private int extensionBlockLength;

    /**
     * Wraps {@code length} bytes at {@code offset} of {@code buffer} as one RTP packet.
     *
     * @return {@code false} when the bytes are not a valid RTP packet: outside the buffer, shorter than the fixed
     *     header, version other than 2, CSRC list or extension block running past the end, or a padding count of
     *     0 or larger than what follows the header
     */
    public boolean wrap(MutableDirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = 0;
        if (buffer == null || offset < 0 || length < FIXED_HEADER_LENGTH || offset > buffer.capacity() - length) {
            return false;
        }
        int flags = buffer.getByte(offset) & 0xFF;
        if ((flags >>> 6) != VERSION) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (flags & 0x0F);
        int profile = -1;
        int blockOffset = 0;
        int blockLength = 0;
        if ((flags & EXTENSION_BIT) != 0) {
            if (header + EXTENSION_HEADER_LENGTH > length) {
                return false;
            }
            profile = buffer.getShort(offset + header, ORDER) & 0xFFFF;
            blockLength = 4 * (buffer.getShort(offset + header + 2, ORDER) & 0xFFFF);
            blockOffset = offset + header + EXTENSION_HEADER_LENGTH;
            header += EXTENSION_HEADER_LENGTH + blockLength;
        }
        if (header > length) {
            return false;
        }
        int padding = 0;
        if ((flags & PADDING_BIT) != 0) {
            padding = buffer.getByte(offset + length - 1) & 0xFF;
            if (padding == 0 || padding > length - header) {
                return false;
            }
        }
        this.length = length;
        this.headerLength = header;
        this.paddingLength = padding;
        this.extensionProfile = profile;
        this.extensionBlockOffset = blockOffset;
        this.extensionBlockLength = blockLength;
        return true;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the first header octet. */
    public int offset() {
        return offset;
    }

    /** Whole packet length: header, payload and padding. */
    public int length() {
        return length;
    }

    public int version() {
        return (buffer.getByte(offset) & 0xFF) >>> 6;
    }

    public boolean hasPadding() {
        return (buffer.getByte(offset) & PADDING_BIT) != 0;
    }

    public boolean hasExtension() {
        return (buffer.getByte(offset) & EXTENSION_BIT) != 0;
    }

    public int csrcCount() {
        return buffer.getByte(offset) & 0x0F;
    }

    /** The {@code index}-th CSRC, {@code 0 <= index < csrcCount()}. */
    public int csrc(int index) {
        return buffer.getInt(offset + CSRC_OFFSET + 4 * index, ORDER);
    }

    public boolean marker() {
        return (buffer.getByte(offset + PAYLOAD_TYPE_OFFSET) & MARKER_BIT) != 0;
    }

    public RtpPacket marker(boolean marker) {
        int index = offset + PAYLOAD_TYPE_OFFSET;
        int value = buffer.getByte(index) & 0x7F;
        buffer.putByte(index, (byte) (marker ? value | MARKER_BIT : value));
        return this;
    }

    public int payloadType() {
        return buffer.getByte(offset + PAYLOAD_TYPE_OFFSET) & 0x7F;
    }

    /** Sets the payload type (0..127), keeping the marker bit. */
    public RtpPacket payloadType(int payloadType) {
        int index = offset + PAYLOAD_TYPE_OFFSET;
        buffer.putByte(index, (byte) ((buffer.getByte(index) & MARKER_BIT) | (payloadType & 0x7F)));
        return this;
    }

    public int sequenceNumber() {
        return buffer.getShort(offset + SEQUENCE_NUMBER_OFFSET, ORDER) & 0xFFFF;
    }

    public RtpPacket sequenceNumber(int sequenceNumber) {
        buffer.putShort(offset + SEQUENCE_NUMBER_OFFSET, (short) sequenceNumber, ORDER);
        return this;
    }

    /** The RTP timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return buffer.getInt(offset + TIMESTAMP_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    /** Sets the RTP timestamp to the low 32 bits of {@code timestamp}. */
    public RtpPacket timestamp(long timestamp) {
        buffer.putInt(offset + TIMESTAMP_OFFSET, (int) timestamp, ORDER);
        return this;
    }

    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET, ORDER);
    }

    public RtpPacket ssrc(int ssrc) {
        buffer.putInt(offset + SSRC_OFFSET, ssrc, ORDER);
        return this;
    }

    /** Fixed header, CSRCs and extension block: the distance from {@link #offset()} to the payload. */
    public int headerLength() {
        return headerLength;
    }

    /** Index in {@link #buffer()} of the first payload octet. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** Payload octets, padding excluded. */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /** Padding octets at the end of the packet, the count octet included; 0 when P is clear. */
    public int paddingLength() {
        return paddingLength;
    }

    /** The extension block's profile word (0..65535), or -1 when X is clear. */
    public int extensionProfile() {
        return extensionProfile;
    }

    public boolean hasOneByteExtensions() {
        return extensionProfile == ONE_BYTE_PROFILE;
    }

    /** True for profiles 0x1000..0x100F: the low four bits are application bits (RFC 8285 §4.3). */
    public boolean hasTwoByteExtensions() {
        return (extensionProfile & 0xFFF0) == TWO_BYTE_PROFILE;
    }

    /** Index in {@link #buffer()} of the extension data after the profile and length words; 0 without one. */
    public int extensionBlockOffset() {
        return extensionBlockOffset;
    }

    /** Octets of extension data after the profile and length words (a multiple of 4). */
    public int extensionBlockLength() {
        return extensionBlockLength;
    }

    /**
     * Finds the first header extension element with {@code id}.
     *
     * @return {@link #NOT_FOUND}, or the element's value position packed as {@code valueOffset << 32 |
     *     valueLength}: decode it with {@link #valueOffset(long)} and {@link #valueLength(long)}
     */
    public long findExtension(int id) {
        RtpExtensionCursor cursor = find(id);
        return cursor == null ? NOT_FOUND : ((long) cursor.valueOffset() << 32) | cursor.valueLength();
    }

    /** Index in the buffer of the value found by {@link #findExtension}. */
    public static int valueOffset(long found) {
        return (int) (found >>> 32);
    }

    /** Length of the value found by {@link #findExtension}. */
    public static int valueLength(long found) {
        return (int) found;
    }

    /**
     * Reads the value of extension {@code id} as an unsigned big-endian number, for values of 1 to 8 octets
     * (transport-wide sequence number, abs-send-time, audio level).
     *
     * @return the value, or -1 when the element is absent or its value is empty or longer than 8 octets (an
     *     8-octet value is returned as its raw bits, so it may itself be negative)
     */
    public long extensionValue(int id) {
        RtpExtensionCursor cursor = find(id);
        return cursor == null ? -1 : cursor.valueAsLong();
    }

    /**
     * Overwrites the value of extension {@code id} in place with the low bytes of {@code value}, big-endian,
     * keeping the element's length (1 to 8 octets).
     *
     * @return false when no element has the id or its value is empty or longer than 8 octets
     */
    public boolean putExtensionValue(int id, long value) {
        RtpExtensionCursor cursor = find(id);
        return cursor != null && cursor.putValue(value);
    }

    /** Changes the id of the first element with {@code id} in place; false when absent or not encodable. */
    public boolean rewriteExtensionId(int id, int newId) {
        RtpExtensionCursor cursor = find(id);
        return cursor != null && cursor.id(newId);
    }

    /**
     * Rewrites every element's id through {@code newIdByOldId} in one pass (per-subscriber id mapping). An element
     * whose old id is outside the table, maps to 0, or maps to an id its block's form cannot carry is erased
     * (overwritten with padding).
     *
     * @return the number of elements erased
     */
    public int remapExtensionIds(int[] newIdByOldId) {
        RtpExtensionCursor cursor = finder.reset(this);
        int erased = 0;
        while (cursor.next()) {
            int oldId = cursor.id();
            int newId = oldId < newIdByOldId.length ? newIdByOldId[oldId] : 0;
            if (newId != oldId && !cursor.id(newId)) {
                cursor.erase();
                erased++;
            }
        }
        return erased;
    }

    /** Erases the first element with {@code id} by overwriting it with padding octets (RFC 8285 §4.2, §4.3). */
    public boolean removeExtension(int id) {
        RtpExtensionCursor cursor = find(id);
        if (cursor == null) {
            return false;
        }
        cursor.erase();
        return true;
    }

    private RtpExtensionCursor find(int id) {
        RtpExtensionCursor cursor = finder.reset(this);
        while (cursor.next()) {
            if (cursor.id() == id) {
                return cursor;
            }
        }
        return null;
    }
}
