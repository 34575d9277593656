package io.sfu.core.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures heap bytes allocated by the current thread, for tests that assert a hot path allocates nothing.
 * The work is warmed up first so that the JIT has compiled it (escape analysis included) before measuring.
 */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Runs {@code work} {@code warmup} times, then returns the bytes allocated by {@code iterations} more runs. */
    public static long bytesAllocated(Runnable work, int warmup, int iterations) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Bytes per run of {@code work}, after a warm-up long enough for C2 to compile it: the least of up to five
     * measurements. On a loaded machine a one-off JVM event (a late compilation) can add a few kilobytes to one
     * measurement that the work never allocates; a real per-run allocation shows in every measurement.
     */
    public static double bytesPerRun(Runnable work) {
        return bytesPerRun(work, 50_000, 100_000);
    }

    /** As {@link #bytesPerRun(Runnable)}, for slower work: {@code warmup} runs, then measurements of {@code iterations}. */
    public static double bytesPerRun(Runnable work, int warmup, int iterations) {
        double least = Double.MAX_VALUE;
        for (int i = 0; i < 5 && least > 0; i++) {
            least = Math.min(least, (double) bytesAllocated(work, warmup, iterations) / iterations);
        }
        return least;
    }
}
