package io.sfu.core.rtp;

/**
 * Extends 16-bit sequence numbers to a monotonic 64-bit count by tracking wrap-arounds, for loss detection, NACK
 * histories and transport-wide feedback. Each number is placed at the distance (-32768..32767) from the newest
 * number seen so far, so late, reordered packets land before it rather than a whole cycle ahead.
 *
 * <p>The first number unwraps to itself (0..65535); numbers older than that unwrap below it, possibly negative.
 * Single writer, no allocation.
 */
public final class SequenceNumberUnwrapper {
    private boolean started;
    private long highest;

    /** The extended form of {@code sequenceNumber} (only its low 16 bits are used). */
    public long unwrap(int sequenceNumber) {
        int sequence = sequenceNumber & RtpSequenceNumbers.MASK;
        if (!started) {
            started = true;
            highest = sequence;
            return highest;
        }
        long extended = highest + RtpSequenceNumbers.diff(sequence, (int) highest);
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** The extended form of the newest number unwrapped so far; only meaningful once something was unwrapped. */
    public long highest() {
        return highest;
    }

    public boolean hasStarted() {
        return started;
    }

    /** Forgets every number, so the next one starts a fresh count. */
    public void reset() {
        started = false;
        highest = 0;
    }
}
