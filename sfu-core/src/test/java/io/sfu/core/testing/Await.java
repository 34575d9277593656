package io.sfu.core.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread or process makes true, up to a deadline, for state a test can only
 * observe by asking again (a REST resource, a counter); where the code signals, a test waits on the signal instead.
 * The pauses between checks grow from a millisecond to {@link #MAX_PAUSE}, so a quick condition is seen at once.
 */
public final class Await {
    /** The longest pause between two checks. */
    public static final Duration MAX_PAUSE = Duration.ofMillis(50);

    /** A condition to check again until it holds; it may do I/O. */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @param what what is awaited, for the failure message ("the subscriber to receive 50 packets")
     * @throws AssertionError naming it when it still does not hold once {@code timeout} has passed
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        boolean held;
        try {
            held = until(timeout, condition::getAsBoolean);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } catch (Exception e) {
            throw new AssertionError("failed while waiting for " + what, e);
        }
        if (!held) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }

    /** True as soon as {@code check} holds; false when it still does not once {@code timeout} has passed. */
    public static boolean until(Duration timeout, Check check) throws Exception {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        long pauseNs = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            if (check.holds()) {
                return true;
            }
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pauseNs, leftNs));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a condition");
            }
            pauseNs = Math.min(pauseNs * 2, MAX_PAUSE.toNanos());
        }
    }
}
