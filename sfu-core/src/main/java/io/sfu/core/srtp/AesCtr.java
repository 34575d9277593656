package io.sfu.core.srtp;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode built from the JCE's {@code AES/ECB/NoPadding} over a preallocated buffer of counter blocks,
 * for AES-CM (RFC 3711 §4.1.1) and the CTR half of GCM.
 *
 * <p>Why ECB: {@code AES/CTR/NoPadding} and {@code AES/GCM/NoPadding} can only take a new IV through
 * {@code Cipher.init}, which allocates (parameter spec, IV and key copies; about 0.1 KB for CTR and 0.9 KB for
 * GCM per packet on JDK 17). ECB is keyed once and its {@code update} into a caller array allocates nothing, and
 * HotSpot runs it on AES-NI. The counter blocks are {@code (high, low + i)}: neither AES-CM (16-bit block
 * counter) nor GCM (32-bit counter starting at 1 or 2) carries out of the low word for SRTP-sized packets.
 *
 * <p>Where the JVM runs its counter-mode intrinsic, the keystream comes from {@link IntrinsicCtr} instead (about
 * three times faster per packet); single blocks (tag masks, the GHASH key) still come from ECB.
 *
 * <p>Not thread-safe: one owner.
 */
final class AesCtr {
    /** Keystream generated per JCE call; longer payloads take several calls. */
    static final int CHUNK_BYTES = 2048;
    static final int BLOCK = 16;

    /**
     * The provider that serves ECB, found once: a lookup by name walks the provider list on every call, which was a
     * fifth of the cost of setting up a transport's SRTP contexts.
     */
    private static final Provider ECB_PROVIDER = ecbProvider();

    private final Cipher ecb;
    /** The keystream on the JDK's counter-mode intrinsic; null where it is unavailable. */
    private final IntrinsicCtr ctr;
    private final byte[] counters;
    private final byte[] keystream;

    /**
     * @param key AES-128 or AES-256 key
     * @param counters scratch of at least {@link #CHUNK_BYTES} octets, may be shared with other instances of the
     *     same owner
     * @param keystream scratch of at least {@link #CHUNK_BYTES} octets, likewise
     */
    AesCtr(byte[] key, byte[] counters, byte[] keystream) {
        if (counters.length < CHUNK_BYTES || keystream.length < CHUNK_BYTES) {
            throw new IllegalArgumentException("scratch must hold " + CHUNK_BYTES + " octets");
        }
        this.ecb = newEcb(key);
        this.ctr = IntrinsicCtr.AVAILABLE ? new IntrinsicCtr(key) : null;
        this.counters = counters;
        this.keystream = keystream;
    }

    private static Provider ecbProvider() {
        try {
            return Cipher.getInstance("AES/ECB/NoPadding").getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is unavailable", e);
        }
    }

    static Cipher newEcb(byte[] key) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding", ECB_PROVIDER);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is unavailable", e);
        }
    }

    /** XORs {@code data[offset .. + length)} with the keystream of counter blocks {@code (high, low + i)}. */
    void xorKeystream(byte[] data, int offset, int length, long high, long low) {
        if (ctr != null) {
            ctr.xorKeystream(data, offset, length, high, low);
            return;
        }
        long counter = low;
        int position = offset;
        int remaining = length;
        while (remaining > 0) {
            int chunk = Math.min(remaining, CHUNK_BYTES);
            int blocks = (chunk + BLOCK - 1) >>> 4;
            for (int i = 0; i < blocks; i++) {
                ByteArrays.putLong(counters, i * BLOCK, high);
                ByteArrays.putLong(counters, i * BLOCK + 8, counter + i);
            }
            encrypt(counters, blocks * BLOCK, keystream);
            ByteArrays.xor(data, position, keystream, 0, chunk);
            counter += blocks;
            position += chunk;
            remaining -= chunk;
        }
    }

    /** Writes the keystream itself, {@code length} octets of it, into {@code out[offset ..)}. */
    void keystream(byte[] out, int offset, int length, long high, long low) {
        Arrays.fill(out, offset, offset + length, (byte) 0);
        xorKeystream(out, offset, length, high, low);
    }

    /** E(K, (high, low)) into {@code out[0 .. 16)}. */
    void encryptBlock(long high, long low, byte[] out) {
        ByteArrays.putLong(counters, 0, high);
        ByteArrays.putLong(counters, 8, low);
        encrypt(counters, BLOCK, out);
    }

    private void encrypt(byte[] in, int length, byte[] out) {
        try {
            ecb.update(in, 0, length, out, 0);
        } catch (GeneralSecurityException e) {
            // the scratch is sized for every call, so this is a bug, not bad input
            throw new IllegalStateException(e);
        }
    }
}
