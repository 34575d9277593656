package io.sfu.core.dtls;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small bounded pool, as the endpoint's documentation asks for, that knows how many of its tasks are still
 * running, so a test can check that a handshake gave its thread back.
 */
final class TrackingExecutor implements Executor, AutoCloseable {

    private final ExecutorService pool;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final AtomicInteger started = new AtomicInteger();
    private int running;

    TrackingExecutor(int threads) {
        AtomicInteger names = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "dtls-test-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            running++;
        } finally {
            lock.unlock();
        }
        started.incrementAndGet();
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                lock.lock();
                try {
                    running--;
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    /** Waits until no submitted task is queued or running; false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remainingNs = timeout.toNanos();
        lock.lock();
        try {
            while (running > 0) {
                if (remainingNs <= 0) {
                    return false;
                }
                remainingNs = idle.awaitNanos(remainingNs);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int tasksStarted() {
        return started.get();
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
