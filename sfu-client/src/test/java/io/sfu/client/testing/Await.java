package io.sfu.client.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition instead of sleeping for a guessed time: polls it until it holds, and fails naming what was
 * awaited once the deadline has passed. The deadline only bounds a broken run; a healthy one goes on as soon as the
 * condition holds.
 */
public final class Await {
    private static final long POLL_INTERVAL_NS = 1_000_000L;

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure message ("the subscriber to receive 50 packets")
     * @throws AssertionError if it still does not hold after {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs >= 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(POLL_INTERVAL_NS);
        }
    }
}
