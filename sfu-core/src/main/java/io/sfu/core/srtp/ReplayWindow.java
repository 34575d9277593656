package io.sfu.core.srtp;

import java.util.Arrays;

/**
 * The replay list of RFC 3711 §3.3.2: which of the last {@code size} indexes (SRTP packet indexes or SRTCP
 * indexes) have been accepted. A ring of 64-bit words with one spare word, after RFC 6479, so that sliding the
 * window forward clears whole words instead of shifting bits. Not thread-safe.
 */
final class ReplayWindow {
    private final long[] words;
    private final int size;
    private long highest = -1;

    ReplayWindow(int size) {
        this.size = size;
        this.words = new long[size / Long.SIZE + 1];
    }

    /** Whether {@code index} is new: above the highest accepted, or inside the window and not yet accepted. */
    boolean isFresh(long index) {
        if (index > highest) {
            return true;
        }
        if (highest - index >= size) {
            return false;
        }
        return (words[slot(index)] & (1L << index)) == 0;
    }

    /** Records {@code index} as accepted, sliding the window forward if it is the highest yet. */
    void accept(long index) {
        if (index > highest) {
            if (highest >= 0) {
                long from = highest >>> 6;
                long steps = Math.min((index >>> 6) - from, words.length);
                for (long i = 1; i <= steps; i++) {
                    words[(int) ((from + i) % words.length)] = 0;
                }
            }
            highest = index;
        }
        words[slot(index)] |= 1L << index;
    }

    /** Forgets every accepted index. */
    void reset() {
        Arrays.fill(words, 0);
        highest = -1;
    }

    private int slot(long index) {
        return (int) ((index >>> 6) % words.length);
    }
}
