package io.sfu.core.feedback;

/** What the units keeping a ring indexed by 16-bit sequence numbers share. */
final class SequenceRings {
    /** Half the 16-bit sequence space, so that a signed 16-bit distance still tells older from newer. */
    static final int MAX_CAPACITY = 1 << 15;

    private SequenceRings() {
    }

    /** Returns {@code capacity} if it is a power of two in [{@code min}, 32768], else throws naming the setting. */
    static int requireCapacity(int capacity, int min) {
        if (capacity < min || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in [" + min + ", " + MAX_CAPACITY
                + "]: " + capacity);
        }
        return capacity;
    }
}
