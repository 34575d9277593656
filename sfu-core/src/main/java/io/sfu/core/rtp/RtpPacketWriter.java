package io.sfu.core.rtp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtp.RtpPacket.ORDER;

/**
 * Writes an RTP packet (RFC 3550 §5.1) into a buffer, for the client stack and tests: fixed header, CSRCs,
 * RFC 8285 header extensions (one-byte form by default, two-byte on request), payload and padding, in that order.
 *
 * <p>The writer sees only its caller's data, so misuse is a programming error: an out-of-range argument throws
 * {@link IllegalArgumentException}, a part written out of order or past the capacity throws
 * {@link IllegalStateException}.
 */
public final class RtpPacketWriter {
    private static final int STAGE_HEADER = 0;
    private static final int STAGE_EXTENSIONS = 1;
    private static final int STAGE_PAYLOAD = 2;
    private static final int STAGE_PADDING = 3;

    private MutableDirectBuffer buffer;
    private int offset;
    private int capacity;
    private int position;
    private int stage;
    private boolean twoByteExtensions;
    private int extensionHeaderOffset;

    /** Starts a packet at {@code offset}: version 2, every other header field zero, no CSRC, no extension. */
    public RtpPacketWriter wrap(MutableDirectBuffer buffer, int offset, int capacity) {
        if (capacity < RtpPacket.FIXED_HEADER_LENGTH) {
            throw new IllegalArgumentException("capacity " + capacity + " is below the RTP fixed header");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = capacity;
        this.position = offset + RtpPacket.FIXED_HEADER_LENGTH;
        this.stage = STAGE_HEADER;
        this.twoByteExtensions = false;
        buffer.setMemory(offset, RtpPacket.FIXED_HEADER_LENGTH, (byte) 0);
        buffer.putByte(offset, (byte) (RtpPacket.VERSION << 6));
        return this;
    }

    public RtpPacketWriter marker(boolean marker) {
        int index = offset + RtpPacket.PAYLOAD_TYPE_OFFSET;
        int value = buffer.getByte(index) & 0x7F;
        buffer.putByte(index, (byte) (marker ? value | 0x80 : value));
        return this;
    }

    public RtpPacketWriter payloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0..127");
        }
        int index = offset + RtpPacket.PAYLOAD_TYPE_OFFSET;
        buffer.putByte(index, (byte) ((buffer.getByte(index) & 0x80) | payloadType));
        return this;
    }

    public RtpPacketWriter sequenceNumber(int sequenceNumber) {
        buffer.putShort(offset + RtpPacket.SEQUENCE_NUMBER_OFFSET, (short) sequenceNumber, ORDER);
        return this;
    }

    public RtpPacketWriter timestamp(long timestamp) {
        buffer.putInt(offset + RtpPacket.TIMESTAMP_OFFSET, (int) timestamp, ORDER);
        return this;
    }

    public RtpPacketWriter ssrc(int ssrc) {
        buffer.putInt(offset + RtpPacket.SSRC_OFFSET, ssrc, ORDER);
        return this;
    }

    /** Appends a CSRC; only before any extension or payload, at most 15. */
    public RtpPacketWriter csrc(int csrc) {
        requireStage(STAGE_HEADER, "CSRCs");
        int flags = buffer.getByte(offset) & 0xFF;
        int count = flags & 0x0F;
        if (count == RtpPacket.MAX_CSRC_COUNT) {
            throw new IllegalStateException("an RTP header carries at most 15 CSRCs");
        }
        reserve(4);
        buffer.putInt(position, csrc, ORDER);
        position += 4;
        buffer.putByte(offset, (byte) ((flags & 0xF0) | (count + 1)));
        return this;
    }

    /** Selects the RFC 8285 §4.3 two-byte form for the extensions that follow; before the first extension. */
    public RtpPacketWriter twoByteExtensions() {
        requireStage(STAGE_HEADER, "the extension form");
        twoByteExtensions = true;
        return this;
    }

    /**
     * Appends a header extension element. One-byte form: id 1..14, 1..16 octets; two-byte form: id 1..255,
     * 0..255 octets.
     */
    public RtpPacketWriter extension(int id, DirectBuffer value, int valueOffset, int valueLength) {
        startExtensionElement(id, valueLength);
        buffer.putBytes(position, value, valueOffset, valueLength);
        position += valueLength;
        return this;
    }

    public RtpPacketWriter extension(int id, byte[] value) {
        startExtensionElement(id, value.length);
        buffer.putBytes(position, value);
        position += value.length;
        return this;
    }

    /** Appends an element whose value is the low {@code valueLength} (1..8) bytes of {@code value}, big-endian. */
    public RtpPacketWriter extension(int id, long value, int valueLength) {
        if (valueLength < 1 || valueLength > 8) {
            throw new IllegalArgumentException("a numeric extension value has 1..8 octets, not " + valueLength);
        }
        startExtensionElement(id, valueLength);
        RtpExtensionCursor.putBigEndian(buffer, position, valueLength, value);
        position += valueLength;
        return this;
    }

    public RtpPacketWriter payload(DirectBuffer source, int sourceOffset, int sourceLength) {
        startPayload();
        reserve(sourceLength);
        buffer.putBytes(position, source, sourceOffset, sourceLength);
        position += sourceLength;
        return this;
    }

    public RtpPacketWriter payload(byte[] payload) {
        startPayload();
        reserve(payload.length);
        buffer.putBytes(position, payload);
        position += payload.length;
        return this;
    }

    /** Appends {@code count} (1..255) padding octets, the last one holding the count, and sets P; last part. */
    public RtpPacketWriter padding(int count) {
        if (count < 1 || count > 255) {
            throw new IllegalArgumentException("padding is 1..255 octets, not " + count);
        }
        startPayload();
        stage = STAGE_PADDING;
        reserve(count);
        buffer.setMemory(position, count - 1, (byte) 0);
        buffer.putByte(position + count - 1, (byte) count);
        position += count;
        buffer.putByte(offset, (byte) (buffer.getByte(offset) | 0x20));
        return this;
    }

    /** The packet's length so far; closes the extension block, so no extension can follow. */
    public int length() {
        closeExtensions();
        return position - offset;
    }

    private void startExtensionElement(int id, int valueLength) {
        if (twoByteExtensions) {
            if (id < 1 || id > 255 || valueLength < 0 || valueLength > 255) {
                throw new IllegalArgumentException("two-byte extension: id " + id + " length " + valueLength);
            }
        } else if (id < 1 || id > 14 || valueLength < 1 || valueLength > 16) {
            throw new IllegalArgumentException("one-byte extension: id " + id + " length " + valueLength);
        }
        if (stage == STAGE_HEADER) {
            reserve(RtpPacket.EXTENSION_HEADER_LENGTH);
            extensionHeaderOffset = position;
            buffer.putShort(position,
                (short) (twoByteExtensions ? RtpPacket.TWO_BYTE_PROFILE : RtpPacket.ONE_BYTE_PROFILE), ORDER);
            position += RtpPacket.EXTENSION_HEADER_LENGTH;
            buffer.putByte(offset, (byte) (buffer.getByte(offset) | 0x10));
            stage = STAGE_EXTENSIONS;
        }
        requireStage(STAGE_EXTENSIONS, "extensions");
        if (twoByteExtensions) {
            reserve(2 + valueLength);
            buffer.putByte(position, (byte) id);
            buffer.putByte(position + 1, (byte) valueLength);
            position += 2;
        } else {
            reserve(1 + valueLength);
            buffer.putByte(position, (byte) ((id << 4) | (valueLength - 1)));
            position += 1;
        }
    }

    private void startPayload() {
        closeExtensions();
        if (stage == STAGE_PADDING) {
            throw new IllegalStateException("padding is the last part of an RTP packet");
        }
    }

    private void closeExtensions() {
        if (stage == STAGE_EXTENSIONS) {
            int dataLength = position - extensionHeaderOffset - RtpPacket.EXTENSION_HEADER_LENGTH;
            int padding = (4 - (dataLength & 3)) & 3;
            reserve(padding);
            buffer.setMemory(position, padding, (byte) 0);
            position += padding;
            buffer.putShort(extensionHeaderOffset + 2, (short) ((dataLength + padding) / 4), ORDER);
        }
        if (stage < STAGE_PAYLOAD) {
            stage = STAGE_PAYLOAD;
        }
    }

    private void requireStage(int maxStage, String what) {
        if (stage > maxStage) {
            throw new IllegalStateException(what + " must come before the parts already written");
        }
    }

    private void reserve(int octets) {
        if (position + octets > offset + capacity) {
            throw new IllegalStateException("RTP packet does not fit in " + capacity + " octets");
        }
    }
}
