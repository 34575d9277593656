package io.sfu.core.forward;

/**
 * A consumer's own sequence-number and timestamp spaces: forwarded packets are numbered {@code in + delta}, and
 * each time the consumer starts a layer (at its first packet, or on a simulcast switch) the deltas are set so the
 * subscriber sees one continuous stream, without a jump in either space.
 */
final class OutputSpace {
    /** How far behind the newest forwarded packet the switch point may trail: far beyond any useful NACK. */
    static final int SWITCH_WINDOW = 0x1000;

    private boolean started;
    private int switchInSequence;
    private int sequenceDelta;
    private long timestampDelta;
    private int highestOutSequence;
    private long highestOutTimestamp;
    private long lastOutNs;

    /**
     * Maps a layer that starts at the packet {@code inSequence}/{@code inTimestamp} so that it continues the
     * spaces; the first layer keeps its own numbers. {@code clockRateHz} spaces the timestamps by the time elapsed.
     */
    void switchTo(int inSequence, long inTimestamp, int clockRateHz, long nowNs) {
        if (started) {
            sequenceDelta = (highestOutSequence + 1 - inSequence) & 0xFFFF;
            long elapsedTicks = Math.max(1, (nowNs - lastOutNs) * clockRateHz / 1_000_000_000L);
            timestampDelta = (highestOutTimestamp + elapsedTicks - inTimestamp) & 0xFFFF_FFFFL;
        } else {
            sequenceDelta = 0;
            timestampDelta = 0;
            highestOutSequence = (inSequence - 1) & 0xFFFF;
            highestOutTimestamp = inTimestamp;
            started = true;
        }
        switchInSequence = inSequence;
    }

    /**
     * Takes over the spaces of the consumer this one replaces (same subscription, renegotiated track), so that the
     * subscriber sees the replaced track continue without a jump.
     */
    void continueFrom(OutputSpace previous) {
        if (previous.started) {
            started = true;
            highestOutSequence = previous.highestOutSequence;
            highestOutTimestamp = previous.highestOutTimestamp;
            lastOutNs = previous.lastOutNs;
        }
    }

    /**
     * True when {@code inSequence} comes before the packet the current layer started at, so it belongs to another
     * mapping. The start point trails the stream by at most {@link #SWITCH_WINDOW} packets (see {@link #onSent}),
     * so that a long-lived layer never wraps the 16-bit comparison around.
     */
    boolean precedesSwitch(int inSequence) {
        return ((inSequence - switchInSequence) & 0x8000) != 0;
    }

    int outSequence(int inSequence) {
        return (inSequence + sequenceDelta) & 0xFFFF;
    }

    int inSequence(int outSequence) {
        return (outSequence - sequenceDelta) & 0xFFFF;
    }

    long outTimestamp(long inTimestamp) {
        return (inTimestamp + timestampDelta) & 0xFFFF_FFFFL;
    }

    /** Records a packet sent as {@code outSequence}/{@code outTimestamp}; retransmissions of older ones change nothing. */
    void onSent(int outSequence, long outTimestamp, long nowNs) {
        if (((outSequence - highestOutSequence) & 0xFFFF) < 0x8000) {
            highestOutSequence = outSequence;
            highestOutTimestamp = outTimestamp;
            lastOutNs = nowNs;
            int inSequence = inSequence(outSequence);
            if (((inSequence - switchInSequence) & 0xFFFF) > 2 * SWITCH_WINDOW) {
                switchInSequence = (inSequence - SWITCH_WINDOW) & 0xFFFF;
            }
        }
    }

    /** The timestamp of the newest packet sent. */
    long highestOutTimestamp() {
        return highestOutTimestamp;
    }

    boolean started() {
        return started;
    }

    /** The RTP timestamp the stream is at {@code nowNs}: the last one sent, advanced by the time since. */
    long timestampAt(long nowNs, int clockRateHz) {
        long elapsedTicks = (nowNs - lastOutNs) * clockRateHz / 1_000_000_000L;
        return (highestOutTimestamp + elapsedTicks) & 0xFFFF_FFFFL;
    }
}
