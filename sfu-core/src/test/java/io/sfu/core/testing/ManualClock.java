package io.sfu.core.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * The one settable clock of the tests: time moves only when the test moves it, so deadlines and timers are checked
 * without sleeping. It serves as the monotonic clock and, where the code takes one, as the wall clock (both read the
 * same value); a test whose code runs on another thread can wait until that code has read the clock.
 */
public final class ManualClock implements NanoClock, EpochNanoClock {
    /** Where a clock made without a start begins: far enough from zero that "now minus a timeout" stays positive. */
    public static final long DEFAULT_START_NS = 1_000_000_000L;

    private final AtomicLong nowNs;
    private final AtomicLong reads = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition read = lock.newCondition();
    /** Threads inside {@link #awaitReads}: a read signals them only then, so reading alone takes no lock. */
    private volatile int waiters;

    public ManualClock() {
        this(DEFAULT_START_NS);
    }

    public ManualClock(long startNs) {
        nowNs = new AtomicLong(startNs);
    }

    @Override
    public long nanoTime() {
        reads.incrementAndGet();
        if (waiters > 0) {
            lock.lock();
            try {
                read.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return nowNs.get();
    }

    /** Moves the clock forward by {@code duration}; returns the new time. */
    public long advance(Duration duration) {
        return advanceNs(duration.toNanos());
    }

    /** Moves the clock forward by {@code ms} milliseconds; returns the new time. */
    public long advanceMs(long ms) {
        return advanceNs(Duration.ofMillis(ms).toNanos());
    }

    /** Moves the clock forward by {@code ns} nanoseconds; returns the new time. */
    public long advanceNs(long ns) {
        return nowNs.addAndGet(ns);
    }

    /** Sets the clock to {@code ns}, forward or back. */
    public void setNs(long ns) {
        nowNs.set(ns);
    }

    /** How often the code (or the test) has read the clock so far. */
    public long reads() {
        return reads.get();
    }

    /** Waits until the clock has been read at least {@code count} times in all; false on timeout. */
    public boolean awaitReads(long count, Duration timeout) throws InterruptedException {
        long remainingNs = timeout.toNanos();
        lock.lock();
        try {
            waiters++;
            // counted as a waiter before checking, so a read after the check cannot miss this thread
            while (reads.get() < count) {
                if (remainingNs <= 0) {
                    return false;
                }
                remainingNs = read.awaitNanos(remainingNs);
            }
            return true;
        } finally {
            waiters--;
            lock.unlock();
        }
    }
}
