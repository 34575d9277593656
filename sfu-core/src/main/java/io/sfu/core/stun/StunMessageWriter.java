package io.sfu.core.stun;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sfu.core.stun.StunMessage.ATTRIBUTE_HEADER_LENGTH;
import static io.sfu.core.stun.StunMessage.FINGERPRINT_LENGTH;
import static io.sfu.core.stun.StunMessage.HEADER_LENGTH;
import static io.sfu.core.stun.StunMessage.MAGIC_COOKIE;
import static io.sfu.core.stun.StunMessage.MAGIC_COOKIE_OFFSET;
import static io.sfu.core.stun.StunMessage.MESSAGE_INTEGRITY_LENGTH;
import static io.sfu.core.stun.StunMessage.MESSAGE_LENGTH_OFFSET;
import static io.sfu.core.stun.StunMessage.MESSAGE_TYPE_OFFSET;
import static io.sfu.core.stun.StunMessage.ORDER;
import static io.sfu.core.stun.StunMessage.TRANSACTION_ID_LENGTH;
import static io.sfu.core.stun.StunMessage.TRANSACTION_ID_OFFSET;

/**
 * Flyweight writer of one STUN message (RFC 8489 §5) into a buffer: a header, then attributes padded to 4 bytes,
 * then optionally MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, which must come last and in that
 * order; the header's length field is kept right after every attribute, so each checksum covers what RFC 8489
 * §14.5 to §14.7 say it covers. Padding bytes are zero unless {@link #paddingByte(int)} says otherwise (RFC 5769's
 * sample messages pad with spaces). Allocates nothing.
 *
 * <p>The writer's own mistakes (no room left, an attribute after FINGERPRINT, a value too long) throw
 * {@link IllegalStateException} or {@link IllegalArgumentException}: its input is local, never a remote peer's.
 */
public final class StunMessageWriter {
    private static final int STAGE_ATTRIBUTES = 0;
    private static final int STAGE_AFTER_INTEGRITY = 1;
    private static final int STAGE_AFTER_INTEGRITY_SHA256 = 2;
    private static final int STAGE_AFTER_FINGERPRINT = 3;

    private MutableDirectBuffer buffer;
    private int offset;
    private int capacity;
    private int position;
    private byte padding;
    private int stage;

    /** An unwrapped writer. */
    public StunMessageWriter() {
    }

    /** Targets {@code capacity} bytes of {@code buffer} at {@code offset}; call {@link #header} next. */
    public StunMessageWriter wrap(MutableDirectBuffer buffer, int offset, int capacity) {
        if (offset < 0 || capacity < HEADER_LENGTH || capacity > buffer.capacity() - offset) {
            throw new IllegalArgumentException(
                "STUN message needs " + HEADER_LENGTH + ".." + (buffer.capacity() - offset) + " bytes at " + offset
                    + ", got capacity " + capacity);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = Math.min(capacity, StunMessage.MAX_LENGTH);
        this.position = 0;
        return this;
    }

    /** Writes the header with {@code messageType} and the 12-byte {@code transactionId}; resets padding to zero. */
    public StunMessageWriter header(int messageType, byte[] transactionId) {
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, not " + transactionId.length);
        }
        writeHeader(messageType);
        buffer.putBytes(offset + TRANSACTION_ID_OFFSET, transactionId, 0, TRANSACTION_ID_LENGTH);
        return this;
    }

    /** Writes the header with {@code messageType} and the transaction id found at {@code index} of {@code src}. */
    public StunMessageWriter header(int messageType, DirectBuffer src, int index) {
        writeHeader(messageType);
        buffer.putBytes(offset + TRANSACTION_ID_OFFSET, src, index, TRANSACTION_ID_LENGTH);
        return this;
    }

    /** Writes the header of a response to {@code request}: {@code messageType} and the request's transaction id. */
    public StunMessageWriter header(int messageType, StunMessage request) {
        return header(messageType, request.buffer(), request.offset() + TRANSACTION_ID_OFFSET);
    }

    private void writeHeader(int messageType) {
        if ((messageType & ~0x3FFF) != 0) {
            throw new IllegalArgumentException("message type has 14 bits: 0x" + Integer.toHexString(messageType));
        }
        if (buffer == null) {
            throw new IllegalStateException("wrap the writer first");
        }
        buffer.putShort(offset + MESSAGE_TYPE_OFFSET, (short) messageType, ORDER);
        buffer.putShort(offset + MESSAGE_LENGTH_OFFSET, (short) 0, ORDER);
        buffer.putInt(offset + MAGIC_COOKIE_OFFSET, MAGIC_COOKIE, ORDER);
        position = HEADER_LENGTH;
        padding = 0;
        stage = STAGE_ATTRIBUTES;
    }

    /** The byte used to pad the attributes written next (default 0; RFC 8489 §14 lets the sender choose). */
    public StunMessageWriter paddingByte(int value) {
        padding = (byte) value;
        return this;
    }

    /** Total bytes written so far, header included: the message's length once complete. */
    public int length() {
        return position;
    }

    // ---------------------------------------------------------------- generic attributes

    /** Appends an attribute whose value is {@code length} bytes of {@code value} at {@code valueOffset}. */
    public StunMessageWriter attribute(int type, byte[] value, int valueOffset, int length) {
        int at = begin(type, length);
        buffer.putBytes(at, value, valueOffset, length);
        return end(length);
    }

    /** Appends an attribute whose value is all of {@code value}. */
    public StunMessageWriter attribute(int type, byte[] value) {
        return attribute(type, value, 0, value.length);
    }

    /** Appends an attribute whose value is {@code length} bytes at {@code index} of {@code value}. */
    public StunMessageWriter attribute(int type, DirectBuffer value, int index, int length) {
        int at = begin(type, length);
        buffer.putBytes(at, value, index, length);
        return end(length);
    }

    /** Appends an attribute with an empty value, such as USE-CANDIDATE. */
    public StunMessageWriter emptyAttribute(int type) {
        begin(type, 0);
        return end(0);
    }

    /** Appends an attribute holding a 32-bit big-endian value. */
    public StunMessageWriter uint32Attribute(int type, int value) {
        int at = begin(type, 4);
        buffer.putInt(at, value, ORDER);
        return end(4);
    }

    /** Appends an attribute holding a 64-bit big-endian value. */
    public StunMessageWriter uint64Attribute(int type, long value) {
        int at = begin(type, 8);
        buffer.putLong(at, value, ORDER);
        return end(8);
    }

    // ---------------------------------------------------------------- typed attributes

    /** USERNAME (RFC 8489 §14.3). */
    public StunMessageWriter username(byte[] value) {
        return attribute(StunAttributeType.USERNAME, value);
    }

    /** SOFTWARE (RFC 8489 §14.14). */
    public StunMessageWriter software(byte[] value) {
        return attribute(StunAttributeType.SOFTWARE, value);
    }

    /** PRIORITY (RFC 8445 §7.1.1), an unsigned 32-bit value. */
    public StunMessageWriter priority(long priority) {
        if (priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority is an unsigned 32-bit value: " + priority);
        }
        return uint32Attribute(StunAttributeType.PRIORITY, (int) priority);
    }

    /** USE-CANDIDATE (RFC 8445 §7.1.2). */
    public StunMessageWriter useCandidate() {
        return emptyAttribute(StunAttributeType.USE_CANDIDATE);
    }

    /** ICE-CONTROLLING with its tie-breaker (RFC 8445 §7.1.3). */
    public StunMessageWriter iceControlling(long tieBreaker) {
        return uint64Attribute(StunAttributeType.ICE_CONTROLLING, tieBreaker);
    }

    /** ICE-CONTROLLED with its tie-breaker (RFC 8445 §7.1.3). */
    public StunMessageWriter iceControlled(long tieBreaker) {
        return uint64Attribute(StunAttributeType.ICE_CONTROLLED, tieBreaker);
    }

    /** XOR-MAPPED-ADDRESS (RFC 8489 §14.2); the header must already hold the transaction id. */
    public StunMessageWriter xorMappedAddress(StunAddress address) {
        return address(StunAttributeType.XOR_MAPPED_ADDRESS, address, true);
    }

    /** An address attribute encoded as XOR-MAPPED-ADDRESS, such as XOR-RELAYED-ADDRESS or XOR-PEER-ADDRESS. */
    public StunMessageWriter xorAddress(int type, StunAddress address) {
        return address(type, address, true);
    }

    /** MAPPED-ADDRESS (RFC 8489 §14.1). */
    public StunMessageWriter mappedAddress(StunAddress address) {
        return address(StunAttributeType.MAPPED_ADDRESS, address, false);
    }

    private StunMessageWriter address(int type, StunAddress address, boolean xor) {
        int ipLength = address.addressLength();
        if (ipLength == 0) {
            throw new IllegalArgumentException("no address set");
        }
        int valueLength = 4 + ipLength;
        int at = begin(type, valueLength);
        int port = address.port();
        buffer.putByte(at, (byte) 0);
        buffer.putByte(at + 1, (byte) address.family());
        buffer.putShort(at + 2, (short) (xor ? port ^ (MAGIC_COOKIE >>> 16) : port), ORDER);
        byte[] ip = address.addressArray();
        int key = offset + MAGIC_COOKIE_OFFSET;
        for (int i = 0; i < ipLength; i++) {
            byte b = ip[i];
            buffer.putByte(at + 4 + i, xor ? (byte) (b ^ buffer.getByte(key + i)) : b);
        }
        return end(valueLength);
    }

    /** ERROR-CODE (RFC 8489 §14.8) with the SFU's reason phrase for {@code code} (see {@link StunErrorCode}). */
    public StunMessageWriter errorCode(int code) {
        byte[] reason = StunErrorCode.reasonPhrase(code);
        return errorCode(code, reason, 0, reason.length);
    }

    /** ERROR-CODE with {@code code} (300 to 699) and a UTF-8 reason phrase of at most 763 bytes. */
    public StunMessageWriter errorCode(int code, byte[] reason, int reasonOffset, int reasonLength) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error codes are 300 to 699: " + code);
        }
        if (reasonLength > 763) {
            throw new IllegalArgumentException("reason phrase longer than 763 bytes");
        }
        int valueLength = 4 + reasonLength;
        int at = begin(StunAttributeType.ERROR_CODE, valueLength);
        buffer.putShort(at, (short) 0, ORDER);
        buffer.putByte(at + 2, (byte) (code / 100));
        buffer.putByte(at + 3, (byte) (code % 100));
        buffer.putBytes(at + 4, reason, reasonOffset, reasonLength);
        return end(valueLength);
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.13) listing the first {@code count} of {@code types}. */
    public StunMessageWriter unknownAttributes(int[] types, int count) {
        int valueLength = 2 * count;
        int at = begin(StunAttributeType.UNKNOWN_ATTRIBUTES, valueLength);
        for (int i = 0; i < count; i++) {
            buffer.putShort(at + 2 * i, (short) types[i], ORDER);
        }
        return end(valueLength);
    }

    // ---------------------------------------------------------------- integrity and fingerprint

    /** Appends MESSAGE-INTEGRITY: HMAC-SHA1 under {@code key} of the message so far (RFC 8489 §14.5). */
    public StunMessageWriter messageIntegrity(StunIntegrity integrity, StunKey key) {
        if (stage != STAGE_ATTRIBUTES) {
            throw new IllegalStateException("MESSAGE-INTEGRITY must precede -SHA256 and FINGERPRINT");
        }
        return hmacAttribute(StunAttributeType.MESSAGE_INTEGRITY, MESSAGE_INTEGRITY_LENGTH, integrity, key,
            STAGE_AFTER_INTEGRITY);
    }

    /** Appends MESSAGE-INTEGRITY-SHA256, untruncated (32 bytes), under {@code key} (RFC 8489 §14.6). */
    public StunMessageWriter messageIntegritySha256(StunIntegrity integrity, StunKey key) {
        if (stage > STAGE_AFTER_INTEGRITY) {
            throw new IllegalStateException("MESSAGE-INTEGRITY-SHA256 must precede FINGERPRINT");
        }
        return hmacAttribute(StunAttributeType.MESSAGE_INTEGRITY_SHA256, StunIntegrity.SHA256_LENGTH, integrity, key,
            STAGE_AFTER_INTEGRITY_SHA256);
    }

    private StunMessageWriter hmacAttribute(
        int type, int macLength, StunIntegrity integrity, StunKey key, int nextStage) {
        int covered = position;
        int at = beginAny(type, macLength);
        // the MAC reads the header length as counting up to and including this attribute (§14.5, §14.6)
        int lengthValue = covered + ATTRIBUTE_HEADER_LENGTH + macLength - HEADER_LENGTH;
        byte[] mac = type == StunAttributeType.MESSAGE_INTEGRITY
            ? integrity.hmacSha1(key, buffer, offset, covered, lengthValue)
            : integrity.hmacSha256(key, buffer, offset, covered, lengthValue);
        buffer.putBytes(at, mac, 0, macLength);
        end(macLength);
        stage = nextStage;
        return this;
    }

    /** Appends FINGERPRINT: CRC-32 of the whole message before it, XOR 0x5354554e (RFC 8489 §14.7). */
    public StunMessageWriter fingerprint(StunIntegrity integrity) {
        if (stage == STAGE_AFTER_FINGERPRINT) {
            throw new IllegalStateException("FINGERPRINT appears once, last");
        }
        int covered = position;
        int at = beginAny(StunAttributeType.FINGERPRINT, FINGERPRINT_LENGTH);
        setLengthField(covered + ATTRIBUTE_HEADER_LENGTH + FINGERPRINT_LENGTH);
        int crc = integrity.crc32(buffer, offset, covered) ^ StunIntegrity.FINGERPRINT_XOR;
        buffer.putInt(at, crc, ORDER);
        end(FINGERPRINT_LENGTH);
        stage = STAGE_AFTER_FINGERPRINT;
        return this;
    }

    // ---------------------------------------------------------------- framing

    private int begin(int type, int valueLength) {
        if (stage != STAGE_ATTRIBUTES) {
            throw new IllegalStateException("receivers ignore attributes after MESSAGE-INTEGRITY or FINGERPRINT");
        }
        return beginAny(type, valueLength);
    }

    private int beginAny(int type, int valueLength) {
        if (buffer == null || position < HEADER_LENGTH) {
            throw new IllegalStateException("write the header first");
        }
        if (valueLength > 0xFFFF || (type & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("attribute type or length beyond 16 bits");
        }
        int needed = ATTRIBUTE_HEADER_LENGTH + ((valueLength + 3) & ~3);
        if (needed > capacity - position) {
            throw new IllegalStateException(
                "STUN message of " + (position + needed) + " bytes exceeds the capacity of " + capacity);
        }
        int at = offset + position;
        buffer.putShort(at, (short) type, ORDER);
        buffer.putShort(at + 2, (short) valueLength, ORDER);
        return at + ATTRIBUTE_HEADER_LENGTH;
    }

    private StunMessageWriter end(int valueLength) {
        int valueStart = offset + position + ATTRIBUTE_HEADER_LENGTH;
        int padded = (valueLength + 3) & ~3;
        for (int i = valueLength; i < padded; i++) {
            buffer.putByte(valueStart + i, padding);
        }
        position += ATTRIBUTE_HEADER_LENGTH + padded;
        setLengthField(position);
        return this;
    }

    private void setLengthField(int totalLength) {
        buffer.putShort(offset + MESSAGE_LENGTH_OFFSET, (short) (totalLength - HEADER_LENGTH), ORDER);
    }
}
