package io.sfu.signaling.api;

import java.util.function.LongSupplier;

/** A token bucket: {@code ratePerSecond} sustained, {@code burst} at once. Single-threaded; the clock is injected. */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private final long nanosPerToken;
    private final long capacityNanos;
    private long emptyAtNanos;

    RateLimiter(int ratePerSecond, int burst, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.nanosPerToken = NANOS_PER_SECOND / ratePerSecond;
        this.capacityNanos = nanosPerToken * burst;
        // start full
        this.emptyAtNanos = nanoClock.getAsLong() - capacityNanos;
    }

    /** Takes one token; false when the bucket is empty (the message is to be dropped). */
    boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        // the bucket is modelled as the instant it was (or will be) empty; compared by subtraction for wrap-around
        if (now - emptyAtNanos > capacityNanos) {
            emptyAtNanos = now - capacityNanos;
        }
        if (now - emptyAtNanos < nanosPerToken) {
            return false;
        }
        emptyAtNanos += nanosPerToken;
        return true;
    }
}
