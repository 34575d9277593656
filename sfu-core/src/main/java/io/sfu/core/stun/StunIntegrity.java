package io.sfu.core.stun;

import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;

import static io.sfu.core.stun.StunMessage.ATTRIBUTE_HEADER_LENGTH;
import static io.sfu.core.stun.StunMessage.HEADER_LENGTH;
import static io.sfu.core.stun.StunMessage.MESSAGE_LENGTH_OFFSET;
import static io.sfu.core.stun.StunMessage.ORDER;

/**
 * The checksum engine for STUN: verifies and computes MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5),
 * MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, §14.6) and FINGERPRINT (CRC-32 XOR 0x5354554e, §14.7) over messages in
 * place. It holds its digests and scratch space, so that a check allocates nothing; keys come either prepared
 * ({@link StunKey}) or as raw bytes, in which case the last key is cached and only a different key is prepared
 * again (in place, still without allocating). Not thread-safe: one per thread.
 */
public final class StunIntegrity {
    /** FINGERPRINT's CRC-32 is XORed with this, "STUN" in ASCII, to tell it apart from other CRCs (§14.7). */
    public static final int FINGERPRINT_XOR = 0x5354554E;
    /** Bytes of an HMAC-SHA256 output. */
    public static final int SHA256_LENGTH = 32;

    private static final int SHA1_LENGTH = 20;

    private final MessageDigest sha1 = StunKey.digest("SHA-1");
    private final MessageDigest sha256 = StunKey.digest("SHA-256");
    private final CRC32 crc = new CRC32();
    private final byte[] lengthField = new byte[2];
    private final byte[] innerHash = new byte[SHA256_LENGTH];
    private final byte[] mac = new byte[SHA256_LENGTH];
    private byte[] offHeapCopy = new byte[0];
    private byte[] regionArray;

    private final StunKey cachedKey = new StunKey();
    private byte[] cachedKeyBytes = new byte[64];
    private int cachedKeyLength = -1;

    /** An engine with its own digests (cold: looks up the JCE providers). */
    public StunIntegrity() {
    }

    // ---------------------------------------------------------------- checks

    /**
     * Whether MESSAGE-INTEGRITY is present and is the HMAC-SHA1 under {@code key} of the message up to it, with
     * the header length counting up to and including it (RFC 8489 §14.5). Constant-time in the MAC comparison.
     */
    public boolean checkMessageIntegrity(StunMessage message, StunKey key) {
        int at = message.messageIntegrityCursor();
        if (at < 0) {
            return false;
        }
        int start = message.offset();
        int covered = at - start;
        int lengthValue = covered - HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH + SHA1_LENGTH;
        hmac(sha1, key.sha1InnerPad, key.sha1OuterPad, message.buffer(), start, covered, lengthValue, mac);
        return macEquals(mac, message.buffer(), at + ATTRIBUTE_HEADER_LENGTH, SHA1_LENGTH);
    }

    /** {@link #checkMessageIntegrity(StunMessage, StunKey)} with raw key bytes (the last key is cached). */
    public boolean checkMessageIntegrity(StunMessage message, byte[] key) {
        return checkMessageIntegrity(message, key(key, 0, key.length));
    }

    /**
     * Whether MESSAGE-INTEGRITY-SHA256 is present and equals the leading bytes of the HMAC-SHA256 under {@code key}
     * of the message up to it, with the header length counting up to and including it (RFC 8489 §14.6).
     */
    public boolean checkMessageIntegritySha256(StunMessage message, StunKey key) {
        int at = message.messageIntegritySha256Cursor();
        if (at < 0) {
            return false;
        }
        int start = message.offset();
        int covered = at - start;
        int macLength = message.attributeValueLength(at);
        int lengthValue = covered - HEADER_LENGTH + ATTRIBUTE_HEADER_LENGTH + macLength;
        hmac(sha256, key.sha256InnerPad, key.sha256OuterPad, message.buffer(), start, covered, lengthValue, mac);
        return macEquals(mac, message.buffer(), at + ATTRIBUTE_HEADER_LENGTH, macLength);
    }

    /** {@link #checkMessageIntegritySha256(StunMessage, StunKey)} with raw key bytes (the last key is cached). */
    public boolean checkMessageIntegritySha256(StunMessage message, byte[] key) {
        return checkMessageIntegritySha256(message, key(key, 0, key.length));
    }

    /** Whether FINGERPRINT is present and matches the CRC-32 of the message before it, XOR 0x5354554e (§14.7). */
    public boolean checkFingerprint(StunMessage message) {
        int at = message.fingerprintCursor();
        if (at < 0) {
            return false;
        }
        int expected = crc32(message.buffer(), message.offset(), at - message.offset()) ^ FINGERPRINT_XOR;
        return message.buffer().getInt(at + ATTRIBUTE_HEADER_LENGTH, ORDER) == expected;
    }

    /** The key for raw bytes: the cached one, prepared again in place only when the bytes differ from last time. */
    StunKey key(byte[] key, int offset, int length) {
        if (length != cachedKeyLength
            || !Arrays.equals(cachedKeyBytes, 0, length, key, offset, offset + length)) {
            if (cachedKeyBytes.length < length) {
                cachedKeyBytes = new byte[length];
            }
            System.arraycopy(key, offset, cachedKeyBytes, 0, length);
            cachedKeyLength = length;
            cachedKey.set(key, offset, length, sha1, sha256);
        }
        return cachedKey;
    }

    // ---------------------------------------------------------------- computations shared with the writer

    /** HMAC-SHA1 of {@code length} bytes at {@code start}, the message length field read as {@code lengthValue}. */
    byte[] hmacSha1(StunKey key, DirectBuffer buffer, int start, int length, int lengthValue) {
        hmac(sha1, key.sha1InnerPad, key.sha1OuterPad, buffer, start, length, lengthValue, mac);
        return mac;
    }

    /** HMAC-SHA256 (32 bytes, in a shared scratch array) of the bytes, the length field read as given. */
    byte[] hmacSha256(StunKey key, DirectBuffer buffer, int start, int length, int lengthValue) {
        hmac(sha256, key.sha256InnerPad, key.sha256OuterPad, buffer, start, length, lengthValue, mac);
        return mac;
    }

    /** CRC-32 (ISO-HDLC, as in zlib) of {@code length} bytes at {@code start}. */
    int crc32(DirectBuffer buffer, int start, int length) {
        int from = region(buffer, start, length);
        crc.reset();
        crc.update(regionArray, from, length);
        return (int) crc.getValue();
    }

    private void hmac(
        MessageDigest hash, byte[] innerPad, byte[] outerPad, DirectBuffer buffer, int start, int length,
        int lengthValue, byte[] out) {
        int hashLength = hash.getDigestLength();
        hash.reset();
        hash.update(innerPad);
        update(hash, buffer, start, MESSAGE_LENGTH_OFFSET);
        lengthField[0] = (byte) (lengthValue >>> 8);
        lengthField[1] = (byte) lengthValue;
        hash.update(lengthField);
        int afterLength = MESSAGE_LENGTH_OFFSET + 2;
        update(hash, buffer, start + afterLength, length - afterLength);
        try {
            hash.digest(innerHash, 0, hashLength);
            hash.update(outerPad);
            hash.update(innerHash, 0, hashLength);
            hash.digest(out, 0, hashLength);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(MessageDigest hash, DirectBuffer buffer, int index, int length) {
        int from = region(buffer, index, length);
        hash.update(regionArray, from, length);
    }

    /**
     * Points {@link #regionArray} at the bytes at {@code index}: the buffer's own array when it has one (packet
     * memory is heap), else a copy in scratch space for off-heap buffers. Returns the offset in that array.
     */
    private int region(DirectBuffer buffer, int index, int length) {
        byte[] array = buffer.byteArray();
        if (array != null) {
            regionArray = array;
            return buffer.wrapAdjustment() + index;
        }
        if (offHeapCopy.length < length) {
            offHeapCopy = new byte[Math.max(length, 2 * offHeapCopy.length)];
        }
        buffer.getBytes(index, offHeapCopy, 0, length);
        regionArray = offHeapCopy;
        return 0;
    }

    private static boolean macEquals(byte[] computed, DirectBuffer buffer, int index, int length) {
        int difference = 0;
        for (int i = 0; i < length; i++) {
            difference |= computed[i] ^ buffer.getByte(index + i);
        }
        return difference == 0;
    }
}
