package io.sfu.core.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a JCE {@code MessageDigest}, for the SRTP/SRTCP authentication transform
 * (RFC 3711 §4.2.1).
 *
 * <p>{@code javax.crypto.Mac.doFinal(byte[], int)} copies out of a freshly allocated result (40 bytes per packet
 * on JDK 17); {@code MessageDigest.digest(byte[], int, int)} writes into the caller's array, and HotSpot runs
 * SHA-1 on the SHA extensions where the CPU has them. The pads are precomputed once. Not thread-safe.
 */
final class HmacSha1 {
    static final int MAC_LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] word = new byte[Integer.BYTES];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Starts a new MAC. */
    void start() {
        sha1.reset();
        sha1.update(innerPad, 0, BLOCK);
    }

    void update(byte[] data, int offset, int length) {
        sha1.update(data, offset, length);
    }

    /** Absorbs {@code value} as four big-endian octets. */
    void updateInt(int value) {
        ByteArrays.putInt(word, 0, value);
        sha1.update(word, 0, Integer.BYTES);
    }

    /** Writes the 20-octet MAC into {@code out[0 .. 20)}. */
    void finish(byte[] out) {
        try {
            sha1.digest(out, 0, MAC_LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(out, 0, MAC_LENGTH);
            sha1.digest(out, 0, MAC_LENGTH);
        } catch (DigestException e) {
            // out is always long enough, so this is a bug, not bad input
            throw new IllegalStateException(e);
        }
    }
}
