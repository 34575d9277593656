package io.sfu.core.dtls;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.agrona.concurrent.NanoClock;

/** A clock that moves only when the test advances it, and that lets a test wait until the code has read it. */
final class ManualNanoClock implements NanoClock {

    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition read = lock.newCondition();
    private long reads;

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            reads++;
            read.signalAll();
        } finally {
            lock.unlock();
        }
        return nowNs.get();
    }

    void advance(Duration duration) {
        nowNs.addAndGet(duration.toNanos());
    }

    /** Waits until the clock has been read at least {@code count} times in all; false on timeout. */
    boolean awaitReads(long count, Duration timeout) throws InterruptedException {
        long remainingNs = timeout.toNanos();
        lock.lock();
        try {
            while (reads < count) {
                if (remainingNs <= 0) {
                    return false;
                }
                remainingNs = read.awaitNanos(remainingNs);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    long reads() {
        lock.lock();
        try {
            return reads;
        } finally {
            lock.unlock();
        }
    }

    static long millis(long ns) {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }
}
