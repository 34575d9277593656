package io.sfu.core.sctp;

/**
 * Reused byte blocks for chunk payloads, in three sizes (small messages, medium, a full fragment), so that
 * queueing or reassembling a message allocates nothing once the pool has grown to the association's working
 * set. A payload larger than a full fragment (a peer's large chunk) gets an exact array, not kept.
 * One thread uses it.
 */
final class BlockPool {
    static final int SMALL = 64;
    static final int MEDIUM = 256;
    static final int LARGE = SctpPacketWriter.MAX_PACKET;
    /** Free blocks kept per size; more are left to the collector. */
    private static final int KEEP = 1024;

    private final byte[][] small = new byte[KEEP][];
    private final byte[][] medium = new byte[KEEP][];
    private final byte[][] large = new byte[KEEP][];
    private int smallCount;
    private int mediumCount;
    private int largeCount;

    /** A block of at least {@code length} bytes. */
    byte[] take(int length) {
        if (length <= SMALL) {
            return smallCount > 0 ? small[--smallCount] : new byte[SMALL];
        }
        if (length <= MEDIUM) {
            return mediumCount > 0 ? medium[--mediumCount] : new byte[MEDIUM];
        }
        if (length <= LARGE) {
            return largeCount > 0 ? large[--largeCount] : new byte[LARGE];
        }
        return new byte[length];
    }

    /** Returns a block taken from this pool. */
    void give(byte[] block) {
        switch (block.length) {
            case SMALL -> {
                if (smallCount < KEEP) {
                    small[smallCount++] = block;
                }
            }
            case MEDIUM -> {
                if (mediumCount < KEEP) {
                    medium[mediumCount++] = block;
                }
            }
            case LARGE -> {
                if (largeCount < KEEP) {
                    large[largeCount++] = block;
                }
            }
            default -> {
                // an exact array for an oversized chunk: not kept
            }
        }
    }

    /** The memory a block for {@code length} bytes takes, for the buffer bounds. */
    static int footprint(int length) {
        return length <= SMALL ? SMALL : length <= MEDIUM ? MEDIUM : Math.max(length, LARGE);
    }
}
