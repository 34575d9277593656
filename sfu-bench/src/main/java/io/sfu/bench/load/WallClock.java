package io.sfu.bench.load;

import java.time.Instant;

/**
 * Unix-epoch nanoseconds that advance with {@link System#nanoTime()}: the send time written into every probe and
 * the arrival time it is compared with. Every process on a machine derives the same epoch from the system clock
 * (to a few microseconds), so a packet sent by one harness process and received by another on the same machine
 * still gives a true one-way latency; across machines it is as good as their clock synchronisation.
 */
public final class WallClock implements TimeSource {
    /** The process-wide clock. */
    public static final WallClock INSTANCE = new WallClock();

    private final long offsetNs;

    private WallClock() {
        // the offset with the smallest gap between the two readings is the most exact of a few tries
        long best = 0;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < 16; i++) {
            long before = System.nanoTime();
            Instant now = Instant.now();
            long after = System.nanoTime();
            long gap = after - before;
            if (gap < bestGap) {
                bestGap = gap;
                long epochNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                best = epochNs - (before + gap / 2);
            }
        }
        this.offsetNs = best;
    }

    @Override
    public long epochNanos() {
        return System.nanoTime() + offsetNs;
    }

    /** The epoch time of a {@link System#nanoTime()} reading. */
    public long toEpochNanos(long nanoTime) {
        return nanoTime + offsetNs;
    }
}
