package io.sfu.core.forward;

import java.util.Arrays;

/**
 * A consumer's own sequence-number and timestamp spaces: forwarded packets are numbered {@code in + delta}, and
 * each time the consumer starts a layer (at its first packet, or on a simulcast switch) the deltas are set so the
 * subscriber sees one continuous stream, without a jump in either space.
 *
 * <p>A packet the consumer does not forward (a temporal layer it drops) takes no number: each one dropped in order
 * lowers the delta of the packets after it. From the first drop on, the numbers given to the last
 * {@value #DROP_WINDOW} incoming sequence numbers are remembered both ways, so a packet that arrives late (reordered,
 * or recovered by the publisher's retransmission) takes the number kept for it, and a subscriber's NACK finds the
 * packet it names. A late packet that is dropped leaves its number unused.
 */
final class OutputSpace {
    /** How far behind the newest forwarded packet the switch point may trail: far beyond any useful NACK. */
    static final int SWITCH_WINDOW = 0x1000;
    /** Incoming sequence numbers whose mapping is remembered once packets are dropped (a power of two). */
    static final int DROP_WINDOW = 512;
    private static final int DROP_MASK = DROP_WINDOW - 1;
    private static final long MAPPED = 1L << 32;
    private static final long DROPPED = 1L << 33;

    private boolean started;
    /** Where numbering starts when it starts: after this outgoing sequence number; -1 for the incoming one. */
    private int continueAfter = -1;
    private int switchInSequence;
    /** The newest incoming sequence number of the current layer, forwarded or dropped. */
    private int highestInSequence;
    private int sequenceDelta;
    private long timestampDelta;
    private int highestOutSequence;
    private long highestOutTimestamp;
    private long lastOutNs;
    /**
     * By incoming sequence number modulo the window: {@code MAPPED | in << 16 | out}, with {@code DROPPED} when the
     * packet was not forwarded; null until the first drop (until then the delta alone maps both ways).
     */
    private long[] outByIn;
    /** By outgoing sequence number modulo the window: {@code MAPPED | out << 16 | in}. */
    private long[] inByOut;

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
            sequenceDelta = continueAfter < 0 ? 0 : (continueAfter + 1 - inSequence) & 0xFFFF;
            timestampDelta = 0;
            highestOutSequence = (inSequence + sequenceDelta - 1) & 0xFFFF;
            highestOutTimestamp = inTimestamp;
            started = true;
        }
        switchInSequence = inSequence;
        highestInSequence = (inSequence - 1) & 0xFFFF;
        if (outByIn != null) {
            // the numbers of the layer before belong to another incoming space
            Arrays.fill(outByIn, 0);
            Arrays.fill(inByOut, 0);
        }
    }

    /**
     * Makes the first packet go out numbered after {@code sequence} instead of as it came (a stream that goes on
     * where an earlier one under the same SSRC and key stopped); timestamps still go out as they came.
     */
    void continueAfter(int sequence) {
        this.continueAfter = sequence & 0xFFFF;
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

    /**
     * The number the packet {@code inSequence} of the current layer goes out with, without taking it: -1 for a
     * packet that was dropped, or is too old to be known since packets were dropped.
     */
    int outSequence(int inSequence) {
        if (outByIn == null || isNewer(inSequence)) {
            return (inSequence + sequenceDelta) & 0xFFFF;
        }
        long entry = outByIn[inSequence & DROP_MASK];
        if ((entry & MAPPED) == 0 || (entry & DROPPED) != 0 || (int) (entry >>> 16 & 0xFFFF) != inSequence) {
            return -1;
        }
        return (int) (entry & 0xFFFF);
    }

    /**
     * Takes the packet {@code inSequence} of the current layer for forwarding: the number it goes out with, or -1
     * when it has none (dropped earlier, or too old to be known since packets were dropped).
     */
    int take(int inSequence) {
        if (!isNewer(inSequence)) {
            return outSequence(inSequence);
        }
        advanceTo(inSequence);
        int outSequence = (inSequence + sequenceDelta) & 0xFFFF;
        if (outByIn != null) {
            map(inSequence, outSequence, false);
        }
        return outSequence;
    }

    /**
     * Drops the packet {@code inSequence} of the current layer: in order, the packets after it are numbered one
     * lower, and this returns -1; late, the number kept for it is returned, for the caller to fill (the first time
     * only; -1 after).
     */
    int drop(int inSequence) {
        if (outByIn == null) {
            rememberMappings();
        }
        if (isNewer(inSequence)) {
            advanceTo(inSequence);
            map(inSequence, (inSequence + sequenceDelta) & 0xFFFF, true);
            sequenceDelta = (sequenceDelta - 1) & 0xFFFF;
            return -1;
        }
        int slot = inSequence & DROP_MASK;
        long entry = outByIn[slot];
        if ((entry & MAPPED) == 0 || (entry & DROPPED) != 0 || (int) (entry >>> 16 & 0xFFFF) != inSequence) {
            return -1;
        }
        outByIn[slot] = entry | DROPPED;
        inByOut[(int) (entry & DROP_MASK)] = 0;
        return (int) (entry & 0xFFFF);
    }

    /** The incoming sequence number the subscriber's {@code outSequence} stands for; -1 when none (dropped, too old). */
    int inSequence(int outSequence) {
        if (inByOut == null) {
            return (outSequence - sequenceDelta) & 0xFFFF;
        }
        long entry = inByOut[outSequence & DROP_MASK];
        if ((entry & MAPPED) == 0 || (int) (entry >>> 16 & 0xFFFF) != outSequence) {
            return -1;
        }
        return (int) (entry & 0xFFFF);
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
            if (inSequence >= 0 && ((inSequence - switchInSequence) & 0xFFFF) > 2 * SWITCH_WINDOW) {
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

    private boolean isNewer(int inSequence) {
        int ahead = (inSequence - highestInSequence) & 0xFFFF;
        return ahead != 0 && ahead < 0x8000;
    }

    /**
     * Makes {@code inSequence} the newest incoming packet; the ones skipped on the way (lost, or yet to come late)
     * keep the numbers they would have had now, so that they fit in when they come.
     */
    private void advanceTo(int inSequence) {
        if (outByIn != null) {
            int skipped = Math.min(DROP_WINDOW, ((inSequence - highestInSequence) & 0xFFFF) - 1);
            for (int i = skipped; i > 0; i--) {
                int missing = (inSequence - i) & 0xFFFF;
                map(missing, (missing + sequenceDelta) & 0xFFFF, false);
            }
        }
        highestInSequence = inSequence;
    }

    /** At the first drop: the window behind the newest packet, mapped by the delta so far. */
    private void rememberMappings() {
        outByIn = new long[DROP_WINDOW];
        inByOut = new long[DROP_WINDOW];
        int known = Math.min(DROP_WINDOW, ((highestInSequence - switchInSequence) & 0xFFFF) + 1);
        if (isNewer(switchInSequence)) {
            known = 0; // the layer's first packet has not come yet
        }
        for (int i = known - 1; i >= 0; i--) {
            int inSequence = (highestInSequence - i) & 0xFFFF;
            map(inSequence, (inSequence + sequenceDelta) & 0xFFFF, false);
        }
    }

    private void map(int inSequence, int outSequence, boolean dropped) {
        outByIn[inSequence & DROP_MASK] = MAPPED | (dropped ? DROPPED : 0) | (long) inSequence << 16 | outSequence;
        if (!dropped) {
            inByOut[outSequence & DROP_MASK] = MAPPED | (long) outSequence << 16 | inSequence;
        }
    }
}
