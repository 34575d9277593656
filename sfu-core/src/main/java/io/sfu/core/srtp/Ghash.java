package io.sfu.core.srtp;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D §6.4), over one key H. Bit order follows GCM: the first
 * octet's most significant bit is the coefficient of x^0; a state is two big-endian 64-bit halves.
 *
 * <p>{@link #forKey} gives the JDK's carry-less-multiply intrinsic ({@link IntrinsicGhash}) where this JVM runs it,
 * and the portable table implementation ({@link TableGhash}) elsewhere. Not thread-safe: one owner.
 */
interface Ghash {
    /** The fastest GHASH this JVM offers for {@code hashKey} (H = E(K, 0^128), 16 octets). */
    static Ghash forKey(byte[] hashKey) {
        return IntrinsicGhash.AVAILABLE ? new IntrinsicGhash(hashKey) : new TableGhash(hashKey);
    }

    /** Starts a new message. */
    void reset();

    /** Absorbs {@code data[offset .. + length)}, zero-padding its last partial block (GCM pads A and C apart). */
    void update(byte[] data, int offset, int length);

    /** Absorbs one block given as its two big-endian halves. */
    void updateBlock(long high, long low);

    /** Absorbs the final block: the bit lengths of the associated data and of the ciphertext. */
    default void updateLengths(long associatedDataOctets, long textOctets) {
        updateBlock(associatedDataOctets << 3, textOctets << 3);
    }

    /** High 64 bits of the hash so far. */
    long high();

    /** Low 64 bits of the hash so far. */
    long low();
}
