package io.sfu.core.stun;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A prepared HMAC key for MESSAGE-INTEGRITY (HMAC-SHA1) and MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.5, §14.6): the
 * key already XORed into the HMAC inner and outer pads (RFC 2104), so a check needs no allocation and no per-key
 * setup. Prepare one per credential on the cold path (ICE keeps one per local password) and share it freely;
 * it is immutable once built.
 */
public final class StunKey {
    static final int BLOCK_LENGTH = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5C;

    final byte[] sha1InnerPad = new byte[BLOCK_LENGTH];
    final byte[] sha1OuterPad = new byte[BLOCK_LENGTH];
    final byte[] sha256InnerPad = new byte[BLOCK_LENGTH];
    final byte[] sha256OuterPad = new byte[BLOCK_LENGTH];

    StunKey() {
    }

    /** A key made of {@code key}'s bytes (copied). */
    public static StunKey of(byte[] key) {
        return of(key, 0, key.length);
    }

    /** A key made of {@code length} bytes of {@code key} at {@code offset} (copied). */
    public static StunKey of(byte[] key, int offset, int length) {
        StunKey stunKey = new StunKey();
        stunKey.set(key, offset, length, digest("SHA-1"), digest("SHA-256"));
        return stunKey;
    }

    /**
     * The short-term credential key (RFC 8489 §9.1.1): the password's UTF-8 bytes. ICE passwords are ice-chars
     * (RFC 8445 §5.3), which the OpaqueString profile leaves unchanged.
     */
    public static StunKey shortTerm(String password) {
        return of(password.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The long-term credential key of RFC 5389 §15.4 (MD5 algorithm of RFC 8489 §9.2.2):
     * {@code MD5(username ":" realm ":" SASLprep(password))}.
     *
     * @throws IllegalArgumentException if the password holds a character SASLprep prohibits
     */
    public static StunKey longTermMd5(String username, String realm, String password) {
        return of(longTermMd5Bytes(username, realm, password));
    }

    /** The 16 raw bytes of the RFC 5389 §15.4 long-term key, for tests and diagnostics. */
    public static byte[] longTermMd5Bytes(String username, String realm, String password) {
        String input = username + ":" + realm + ":" + SaslPrep.prepare(password);
        return digest("MD5").digest(input.getBytes(StandardCharsets.UTF_8));
    }

    /** Rebuilds the pads in place for a new key; digests are caller-owned so that nothing is allocated. */
    void set(byte[] key, int offset, int length, MessageDigest sha1, MessageDigest sha256) {
        fillPads(key, offset, length, sha1, sha1InnerPad, sha1OuterPad);
        fillPads(key, offset, length, sha256, sha256InnerPad, sha256OuterPad);
    }

    private static void fillPads(byte[] key, int offset, int length, MessageDigest hash, byte[] inner, byte[] outer) {
        java.util.Arrays.fill(inner, (byte) 0);
        if (length > BLOCK_LENGTH) {
            // RFC 2104 §2: a key longer than the block is replaced by its hash
            hash.reset();
            hash.update(key, offset, length);
            try {
                hash.digest(inner, 0, hash.getDigestLength());
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
        } else {
            System.arraycopy(key, offset, inner, 0, length);
        }
        for (int i = 0; i < BLOCK_LENGTH; i++) {
            byte k = inner[i];
            inner[i] = (byte) (k ^ IPAD);
            outer[i] = (byte) (k ^ OPAD);
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "StunKey[hidden]";
    }
}
