package io.sfu.core.stun;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.sfu.core.stun.StunAttributeType.ERROR_CODE;
import static io.sfu.core.stun.StunAttributeType.FINGERPRINT;
import static io.sfu.core.stun.StunAttributeType.ICE_CONTROLLED;
import static io.sfu.core.stun.StunAttributeType.ICE_CONTROLLING;
import static io.sfu.core.stun.StunAttributeType.MAPPED_ADDRESS;
import static io.sfu.core.stun.StunAttributeType.MESSAGE_INTEGRITY;
import static io.sfu.core.stun.StunAttributeType.MESSAGE_INTEGRITY_SHA256;
import static io.sfu.core.stun.StunAttributeType.NONCE;
import static io.sfu.core.stun.StunAttributeType.PRIORITY;
import static io.sfu.core.stun.StunAttributeType.REALM;
import static io.sfu.core.stun.StunAttributeType.SOFTWARE;
import static io.sfu.core.stun.StunAttributeType.UNKNOWN_ATTRIBUTES;
import static io.sfu.core.stun.StunAttributeType.USERNAME;
import static io.sfu.core.stun.StunAttributeType.USE_CANDIDATE;
import static io.sfu.core.stun.StunAttributeType.XOR_MAPPED_ADDRESS;

/**
 * Flyweight reader of one STUN message (RFC 8489 §5) in place in a buffer. {@link #wrap} validates the header and
 * the framing of every attribute in one pass and remembers where the attributes the SFU cares about start; it
 * returns {@code false} for malformed input, and is the only check: it never throws on any input, and once it
 * returned {@code true} no accessor throws either. Nothing is allocated except by the cold-path {@code String}
 * getters. Not thread-safe: one reader per thread, rewrapped for every datagram.
 *
 * <p>The header (RFC 8489 §5, Figure 2):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0|     STUN Message Type     |         Message Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Magic Cookie                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  |                     Transaction ID (96 bits)                  |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * followed by attributes (RFC 8489 §14, Figure 4), each padded to a multiple of 4 bytes:
 * <pre>
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Type                  |            Length             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Value (variable)                ....
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Rules applied by {@code wrap}: the top two bits are zero, the magic cookie is 0x2112A442, the message length is
 * a multiple of 4 and equals the bytes given; every attribute fits; MESSAGE-INTEGRITY has 20 bytes,
 * MESSAGE-INTEGRITY-SHA256 16 to 32 in steps of 4, FINGERPRINT 4 and is last; PRIORITY has 4 bytes, ICE-CONTROLLING
 * and ICE-CONTROLLED 8 and USE-CANDIDATE none. Attributes after MESSAGE-INTEGRITY are ignored except
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, and after MESSAGE-INTEGRITY-SHA256 all but FINGERPRINT (RFC 8489
 * §14.5, §14.6). Of repeated attributes the first counts. Unknown attributes are skipped and, when
 * comprehension-required, counted ({@link #unknownComprehensionRequiredCount()}).
 *
 * <p>Attributes are addressed by a cursor: the absolute buffer index of an attribute's type field.
 */
public final class StunMessage {
    /** Bytes in the header. */
    public static final int HEADER_LENGTH = 20;
    /** Offset of the 16-bit message type. */
    public static final int MESSAGE_TYPE_OFFSET = 0;
    /** Offset of the 16-bit message length (attributes only, header excluded). */
    public static final int MESSAGE_LENGTH_OFFSET = 2;
    /** Offset of the 32-bit magic cookie. */
    public static final int MAGIC_COOKIE_OFFSET = 4;
    /** Offset of the 96-bit transaction id. */
    public static final int TRANSACTION_ID_OFFSET = 8;
    /** Bytes in the transaction id. */
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** The fixed magic cookie (RFC 8489 §5). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Bytes in an attribute header (type and length). */
    public static final int ATTRIBUTE_HEADER_LENGTH = 4;
    /** Bytes in the MESSAGE-INTEGRITY value (HMAC-SHA1). */
    public static final int MESSAGE_INTEGRITY_LENGTH = 20;
    /** Bytes in the FINGERPRINT value. */
    public static final int FINGERPRINT_LENGTH = 4;
    /** The largest message this reader accepts, bounded by the 16-bit length field. */
    public static final int MAX_LENGTH = HEADER_LENGTH + 0xFFFC;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int messageType;
    private boolean valid;

    private int usernameAt;
    private int messageIntegrityAt;
    private int messageIntegritySha256At;
    private int fingerprintAt;
    private int priorityAt;
    private int useCandidateAt;
    private int iceControllingAt;
    private int iceControlledAt;
    private int xorMappedAddressAt;
    private int mappedAddressAt;
    private int errorCodeAt;
    private int softwareAt;
    private int unknownAttributesAt;
    private int realmAt;
    private int nonceAt;
    private int unknownComprehensionRequiredCount;
    /** Attributes at or after this index are ignored unless they are one of the integrity or fingerprint ones. */
    private int integrityStart;

    /** An unwrapped reader; {@link #wrap} it over a message before use. */
    public StunMessage() {
        reset();
    }

    /**
     * Whether the {@code length} bytes at {@code offset} start like a STUN message: first byte 0 to 3 (RFC 7983
     * §7), at least a header and the magic cookie. A cheap test for the demultiplexer; {@link #wrap} does the rest.
     */
    public static boolean looksLikeStun(DirectBuffer buffer, int offset, int length) {
        return offset >= 0 && length >= HEADER_LENGTH && length <= buffer.capacity() - offset
            && (buffer.getByte(offset) & 0xFC) == 0
            && buffer.getInt(offset + MAGIC_COOKIE_OFFSET, ORDER) == MAGIC_COOKIE;
    }

    /**
     * Reads the message of {@code length} bytes at {@code offset}.
     *
     * @return {@code true} if it is a well-formed STUN message; {@code false} (and an empty reader) otherwise
     */
    public boolean wrap(DirectBuffer buffer, int offset, int length) {
        reset();
        this.buffer = buffer;
        if (buffer == null || offset < 0 || length < HEADER_LENGTH || length > MAX_LENGTH
            || length > buffer.capacity() - offset) {
            return fail();
        }
        int type = buffer.getShort(offset + MESSAGE_TYPE_OFFSET, ORDER) & 0xFFFF;
        int messageLength = buffer.getShort(offset + MESSAGE_LENGTH_OFFSET, ORDER) & 0xFFFF;
        if ((type & 0xC000) != 0 || (messageLength & 3) != 0 || messageLength + HEADER_LENGTH != length
            || buffer.getInt(offset + MAGIC_COOKIE_OFFSET, ORDER) != MAGIC_COOKIE) {
            return fail();
        }
        this.offset = offset;
        this.length = length;
        this.messageType = type;

        final int end = offset + length;
        boolean afterIntegrity = false;
        boolean afterIntegritySha256 = false;
        int at = offset + HEADER_LENGTH;
        while (at < end) {
            if (end - at < ATTRIBUTE_HEADER_LENGTH || fingerprintAt >= 0) {
                return fail();
            }
            int attributeType = buffer.getShort(at, ORDER) & 0xFFFF;
            int valueLength = buffer.getShort(at + 2, ORDER) & 0xFFFF;
            int padded = (valueLength + 3) & ~3;
            if (padded > end - at - ATTRIBUTE_HEADER_LENGTH) {
                return fail();
            }
            if (attributeType == FINGERPRINT) {
                if (valueLength != FINGERPRINT_LENGTH) {
                    return fail();
                }
                fingerprintAt = at;
            } else if (afterIntegritySha256) {
                // RFC 8489 §14.6: ignored
            } else if (attributeType == MESSAGE_INTEGRITY_SHA256) {
                if (valueLength < 16 || valueLength > 32 || (valueLength & 3) != 0) {
                    return fail();
                }
                messageIntegritySha256At = at;
                afterIntegritySha256 = true;
                if (!afterIntegrity) {
                    integrityStart = at;
                }
            } else if (afterIntegrity) {
                // RFC 8489 §14.5: ignored
            } else if (attributeType == MESSAGE_INTEGRITY) {
                if (valueLength != MESSAGE_INTEGRITY_LENGTH) {
                    return fail();
                }
                messageIntegrityAt = at;
                afterIntegrity = true;
                integrityStart = at;
            } else if (!record(attributeType, valueLength, at)) {
                return fail();
            }
            at += ATTRIBUTE_HEADER_LENGTH + padded;
        }
        if (!afterIntegrity && !afterIntegritySha256) {
            integrityStart = end;
        }
        valid = true;
        return true;
    }

    private boolean record(int type, int valueLength, int at) {
        switch (type) {
            case USERNAME:
                usernameAt = first(usernameAt, at);
                return true;
            case PRIORITY:
                priorityAt = first(priorityAt, at);
                return valueLength == 4;
            case USE_CANDIDATE:
                useCandidateAt = first(useCandidateAt, at);
                return valueLength == 0;
            case ICE_CONTROLLING:
                iceControllingAt = first(iceControllingAt, at);
                return valueLength == 8;
            case ICE_CONTROLLED:
                iceControlledAt = first(iceControlledAt, at);
                return valueLength == 8;
            case XOR_MAPPED_ADDRESS:
                xorMappedAddressAt = first(xorMappedAddressAt, at);
                return true;
            case MAPPED_ADDRESS:
                mappedAddressAt = first(mappedAddressAt, at);
                return true;
            case ERROR_CODE:
                errorCodeAt = first(errorCodeAt, at);
                return true;
            case SOFTWARE:
                softwareAt = first(softwareAt, at);
                return true;
            case UNKNOWN_ATTRIBUTES:
                unknownAttributesAt = first(unknownAttributesAt, at);
                return true;
            case REALM:
                realmAt = first(realmAt, at);
                return true;
            case NONCE:
                nonceAt = first(nonceAt, at);
                return true;
            default:
                if (StunAttributeType.isComprehensionRequired(type)
                    && !StunAttributeType.isKnownComprehensionRequired(type)) {
                    unknownComprehensionRequiredCount++;
                }
                return true;
        }
    }

    private static int first(int current, int at) {
        return current >= 0 ? current : at;
    }

    private boolean fail() {
        reset();
        return false;
    }

    private void reset() {
        valid = false;
        offset = 0;
        length = 0;
        messageType = -1;
        usernameAt = -1;
        messageIntegrityAt = -1;
        messageIntegritySha256At = -1;
        fingerprintAt = -1;
        priorityAt = -1;
        useCandidateAt = -1;
        iceControllingAt = -1;
        iceControlledAt = -1;
        xorMappedAddressAt = -1;
        mappedAddressAt = -1;
        errorCodeAt = -1;
        softwareAt = -1;
        unknownAttributesAt = -1;
        realmAt = -1;
        nonceAt = -1;
        unknownComprehensionRequiredCount = 0;
        integrityStart = 0;
    }

    // ---------------------------------------------------------------- header

    /** Whether the last {@link #wrap} succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** The wrapped buffer. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** Index of the message's first byte in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** Total bytes of the message, header included. */
    public int length() {
        return length;
    }

    /** The 14-bit message type, or -1 when not wrapped. */
    public int messageType() {
        return messageType;
    }

    /** The class, one of {@code StunMessageType.CLASS_*}, or -1 when not wrapped. */
    public int messageClass() {
        return valid ? StunMessageType.messageClass(messageType) : -1;
    }

    /** The 12-bit method, or -1 when not wrapped. */
    public int method() {
        return valid ? StunMessageType.method(messageType) : -1;
    }

    /** Whether this is a Binding request. */
    public boolean isBindingRequest() {
        return valid && messageType == StunMessageType.BINDING_REQUEST;
    }

    /** Whether {@code id} (12 bytes at {@code idOffset}) is this message's transaction id. */
    public boolean transactionIdEquals(byte[] id, int idOffset) {
        return valid && regionEquals(offset + TRANSACTION_ID_OFFSET, id, idOffset, TRANSACTION_ID_LENGTH);
    }

    /** Whether {@code id} (12 bytes) is this message's transaction id. */
    public boolean transactionIdEquals(byte[] id) {
        return id.length == TRANSACTION_ID_LENGTH && transactionIdEquals(id, 0);
    }

    /** Whether the 12 bytes at {@code index} of {@code other} are this message's transaction id. */
    public boolean transactionIdEquals(DirectBuffer other, int index) {
        if (!valid) {
            return false;
        }
        int base = offset + TRANSACTION_ID_OFFSET;
        return buffer.getLong(base, ORDER) == other.getLong(index, ORDER)
            && buffer.getInt(base + 8, ORDER) == other.getInt(index + 8, ORDER);
    }

    /** Copies the transaction id into {@code dst} at {@code dstOffset}. */
    public void copyTransactionId(byte[] dst, int dstOffset) {
        buffer.getBytes(offset + TRANSACTION_ID_OFFSET, dst, dstOffset, TRANSACTION_ID_LENGTH);
    }

    /** Copies the transaction id into {@code dst} at {@code index}. */
    public void copyTransactionId(MutableDirectBuffer dst, int index) {
        dst.putBytes(index, buffer, offset + TRANSACTION_ID_OFFSET, TRANSACTION_ID_LENGTH);
    }

    /** The first 8 bytes of the transaction id as a big-endian long, with {@link #transactionIdLow()} a map key. */
    public long transactionIdHigh() {
        return buffer.getLong(offset + TRANSACTION_ID_OFFSET, ORDER);
    }

    /** The last 4 bytes of the transaction id as a big-endian int. */
    public int transactionIdLow() {
        return buffer.getInt(offset + TRANSACTION_ID_OFFSET + 8, ORDER);
    }

    // ---------------------------------------------------------------- attribute cursor

    /** Cursor of the first attribute the receiver processes, or -1 if there is none. */
    public int firstAttribute() {
        return valid ? skipIgnored(offset + HEADER_LENGTH) : -1;
    }

    /** Cursor of the processed attribute after {@code cursor}, or -1 at the end. */
    public int nextAttribute(int cursor) {
        if (!valid || cursor < offset + HEADER_LENGTH || cursor >= offset + length) {
            return -1;
        }
        return skipIgnored(cursor + ATTRIBUTE_HEADER_LENGTH + ((attributeValueLength(cursor) + 3) & ~3));
    }

    private int skipIgnored(int at) {
        final int end = offset + length;
        while (at < end) {
            if (at < integrityStart || at == messageIntegrityAt || at == messageIntegritySha256At
                || at == fingerprintAt) {
                return at;
            }
            at += ATTRIBUTE_HEADER_LENGTH + (((buffer.getShort(at + 2, ORDER) & 0xFFFF) + 3) & ~3);
        }
        return -1;
    }

    /** Type of the attribute at {@code cursor}. */
    public int attributeType(int cursor) {
        return buffer.getShort(cursor, ORDER) & 0xFFFF;
    }

    /** Length of the value of the attribute at {@code cursor}, padding excluded. */
    public int attributeValueLength(int cursor) {
        return buffer.getShort(cursor + 2, ORDER) & 0xFFFF;
    }

    /** Buffer index of the value of the attribute at {@code cursor}. */
    public int attributeValueOffset(int cursor) {
        return cursor + ATTRIBUTE_HEADER_LENGTH;
    }

    /** Cursor of the first processed attribute of {@code type}, or -1. */
    public int findAttribute(int type) {
        for (int at = firstAttribute(); at >= 0; at = nextAttribute(at)) {
            if (attributeType(at) == type) {
                return at;
            }
        }
        return -1;
    }

    /** Number of processed comprehension-required attributes this codec does not know. */
    public int unknownComprehensionRequiredCount() {
        return unknownComprehensionRequiredCount;
    }

    /**
     * Copies the types of up to {@code dst.length} unknown comprehension-required attributes into {@code dst}, for
     * a 420 response's UNKNOWN-ATTRIBUTES.
     *
     * @return how many were copied
     */
    public int copyUnknownComprehensionRequired(int[] dst) {
        int count = 0;
        for (int at = firstAttribute(); at >= 0 && count < dst.length; at = nextAttribute(at)) {
            int type = attributeType(at);
            if (StunAttributeType.isComprehensionRequired(type)
                && !StunAttributeType.isKnownComprehensionRequired(type)) {
                dst[count++] = type;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- integrity positions

    /** Whether a MESSAGE-INTEGRITY attribute is present. */
    public boolean hasMessageIntegrity() {
        return messageIntegrityAt >= 0;
    }

    /** Cursor of MESSAGE-INTEGRITY, or -1. */
    public int messageIntegrityCursor() {
        return messageIntegrityAt;
    }

    /** Whether a MESSAGE-INTEGRITY-SHA256 attribute is present. */
    public boolean hasMessageIntegritySha256() {
        return messageIntegritySha256At >= 0;
    }

    /** Cursor of MESSAGE-INTEGRITY-SHA256, or -1. */
    public int messageIntegritySha256Cursor() {
        return messageIntegritySha256At;
    }

    /** Whether a FINGERPRINT attribute is present (always the last one). */
    public boolean hasFingerprint() {
        return fingerprintAt >= 0;
    }

    /** Cursor of FINGERPRINT, or -1. */
    public int fingerprintCursor() {
        return fingerprintAt;
    }

    // ---------------------------------------------------------------- addresses

    /** Decodes XOR-MAPPED-ADDRESS (RFC 8489 §14.2) into {@code dst}; {@code false} if absent or malformed. */
    public boolean xorMappedAddress(StunAddress dst) {
        return decodeAddress(xorMappedAddressAt, dst, true);
    }

    /** Decodes MAPPED-ADDRESS (RFC 8489 §14.1) into {@code dst}; {@code false} if absent or malformed. */
    public boolean mappedAddress(StunAddress dst) {
        return decodeAddress(mappedAddressAt, dst, false);
    }

    /** Decodes the (XOR-)MAPPED-ADDRESS-shaped attribute at {@code cursor}; {@code false} if malformed. */
    public boolean address(int cursor, boolean xor, StunAddress dst) {
        return decodeAddress(cursor, dst, xor);
    }

    private boolean decodeAddress(int at, StunAddress dst, boolean xor) {
        if (at < 0) {
            return false;
        }
        int valueLength = attributeValueLength(at);
        int value = at + ATTRIBUTE_HEADER_LENGTH;
        if (valueLength < 4) {
            return false;
        }
        int family = buffer.getByte(value + 1) & 0xFF;
        int port = buffer.getShort(value + 2, ORDER) & 0xFFFF;
        byte[] ip = dst.addressArray();
        int ipLength;
        if (family == StunAddress.FAMILY_IPV4 && valueLength == 8) {
            ipLength = StunAddress.IPV4_LENGTH;
        } else if (family == StunAddress.FAMILY_IPV6 && valueLength == 20) {
            ipLength = StunAddress.IPV6_LENGTH;
        } else {
            return false;
        }
        buffer.getBytes(value + 4, ip, 0, ipLength);
        if (xor) {
            port ^= MAGIC_COOKIE >>> 16;
            // the cookie and then the transaction id are the 16 bytes at offset 4 of the header
            int key = offset + MAGIC_COOKIE_OFFSET;
            for (int i = 0; i < ipLength; i++) {
                ip[i] ^= buffer.getByte(key + i);
            }
        }
        dst.setDecoded(family, port);
        return true;
    }

    // ---------------------------------------------------------------- USERNAME, SOFTWARE, REALM, NONCE

    /** Whether USERNAME is present. */
    public boolean hasUsername() {
        return usernameAt >= 0;
    }

    /** Buffer index of the USERNAME value, or -1. */
    public int usernameOffset() {
        return usernameAt >= 0 ? usernameAt + ATTRIBUTE_HEADER_LENGTH : -1;
    }

    /** Bytes in the USERNAME value, or -1. */
    public int usernameLength() {
        return usernameAt >= 0 ? attributeValueLength(usernameAt) : -1;
    }

    /** Whether USERNAME is exactly {@code expected} (no allocation). */
    public boolean usernameEquals(byte[] expected) {
        return usernameEquals(expected, 0, expected.length);
    }

    /** Whether USERNAME is exactly {@code length} bytes of {@code expected} at {@code expectedOffset}. */
    public boolean usernameEquals(byte[] expected, int expectedOffset, int length) {
        if (usernameAt < 0 || attributeValueLength(usernameAt) != length) {
            return false;
        }
        return regionEquals(usernameAt + ATTRIBUTE_HEADER_LENGTH, expected, expectedOffset, length);
    }

    /** USERNAME decoded as UTF-8, or {@code null} (cold path). */
    public String username() {
        return utf8(usernameAt);
    }

    /** SOFTWARE decoded as UTF-8, or {@code null} (cold path). */
    public String software() {
        return utf8(softwareAt);
    }

    /** Cursor of SOFTWARE, or -1. */
    public int softwareCursor() {
        return softwareAt;
    }

    /** REALM decoded as UTF-8, or {@code null} (cold path). */
    public String realm() {
        return utf8(realmAt);
    }

    /** NONCE decoded as UTF-8, or {@code null} (cold path). */
    public String nonce() {
        return utf8(nonceAt);
    }

    private String utf8(int at) {
        if (at < 0) {
            return null;
        }
        return buffer.getStringWithoutLengthUtf8(at + ATTRIBUTE_HEADER_LENGTH, attributeValueLength(at));
    }

    /** Whether the {@code length} bytes at buffer index {@code index} equal those of {@code bytes} at {@code from}. */
    public boolean regionEquals(int index, byte[] bytes, int from, int length) {
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(index + i) != bytes[from + i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- ICE (RFC 8445 §7.1)

    /** PRIORITY as an unsigned 32-bit value, or -1 if absent. */
    public long priority() {
        return priorityAt >= 0 ? buffer.getInt(priorityAt + ATTRIBUTE_HEADER_LENGTH, ORDER) & 0xFFFF_FFFFL : -1;
    }

    /** Whether USE-CANDIDATE is present. */
    public boolean useCandidate() {
        return useCandidateAt >= 0;
    }

    /** Whether ICE-CONTROLLING is present. */
    public boolean hasIceControlling() {
        return iceControllingAt >= 0;
    }

    /** The ICE-CONTROLLING tie-breaker, or 0 if absent (see {@link #hasIceControlling()}). */
    public long iceControllingTieBreaker() {
        return iceControllingAt >= 0 ? buffer.getLong(iceControllingAt + ATTRIBUTE_HEADER_LENGTH, ORDER) : 0;
    }

    /** Whether ICE-CONTROLLED is present. */
    public boolean hasIceControlled() {
        return iceControlledAt >= 0;
    }

    /** The ICE-CONTROLLED tie-breaker, or 0 if absent (see {@link #hasIceControlled()}). */
    public long iceControlledTieBreaker() {
        return iceControlledAt >= 0 ? buffer.getLong(iceControlledAt + ATTRIBUTE_HEADER_LENGTH, ORDER) : 0;
    }

    // ---------------------------------------------------------------- ERROR-CODE, UNKNOWN-ATTRIBUTES

    /**
     * ERROR-CODE (RFC 8489 §14.8) as class * 100 + number, or -1 if absent or malformed (class outside 3 to 6,
     * number above 99, or shorter than 4 bytes).
     */
    public int errorCode() {
        if (errorCodeAt < 0 || attributeValueLength(errorCodeAt) < 4) {
            return -1;
        }
        int value = errorCodeAt + ATTRIBUTE_HEADER_LENGTH;
        int errorClass = buffer.getByte(value + 2) & 0x07;
        int number = buffer.getByte(value + 3) & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            return -1;
        }
        return errorClass * 100 + number;
    }

    /** Buffer index of the ERROR-CODE reason phrase, or -1. */
    public int errorReasonOffset() {
        return errorCode() >= 0 ? errorCodeAt + ATTRIBUTE_HEADER_LENGTH + 4 : -1;
    }

    /** Bytes in the ERROR-CODE reason phrase, or -1. */
    public int errorReasonLength() {
        return errorCode() >= 0 ? attributeValueLength(errorCodeAt) - 4 : -1;
    }

    /** The ERROR-CODE reason phrase as UTF-8, or {@code null} (cold path). */
    public String errorReason() {
        if (errorCode() < 0) {
            return null;
        }
        return buffer.getStringWithoutLengthUtf8(errorReasonOffset(), errorReasonLength());
    }

    /** Number of attribute types listed in UNKNOWN-ATTRIBUTES (RFC 8489 §14.13), 0 if absent. */
    public int unknownAttributesCount() {
        return unknownAttributesAt >= 0 ? attributeValueLength(unknownAttributesAt) / 2 : 0;
    }

    /** The {@code index}th attribute type listed in UNKNOWN-ATTRIBUTES. */
    public int unknownAttribute(int index) {
        if (index < 0 || index >= unknownAttributesCount()) {
            throw new IndexOutOfBoundsException("unknown attribute " + index + " of " + unknownAttributesCount());
        }
        return buffer.getShort(unknownAttributesAt + ATTRIBUTE_HEADER_LENGTH + 2 * index, ORDER) & 0xFFFF;
    }

    @Override
    public String toString() {
        if (!valid) {
            return "StunMessage[invalid]";
        }
        StringBuilder text = new StringBuilder("StunMessage[type=0x")
            .append(Integer.toHexString(messageType)).append(", length=").append(length).append(", attributes=");
        for (int at = firstAttribute(); at >= 0; at = nextAttribute(at)) {
            text.append(" 0x").append(Integer.toHexString(attributeType(at))).append('/')
                .append(attributeValueLength(at));
        }
        return text.append(']').toString();
    }
}
