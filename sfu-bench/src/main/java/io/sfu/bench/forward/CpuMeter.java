package io.sfu.bench.forward;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Measures one benchmark iteration in CPU time of the benchmark thread as well as in wall time, and prints
 * operations per CPU-second: on a machine shared with other work the thread is off its core part of the time,
 * which lowers ops/s but not ops per CPU-second. Call both methods on the benchmark thread (JMH runs
 * iteration-level fixtures of a thread-scoped state on the thread that owns it).
 */
final class CpuMeter {
    /** Prefix of the printed line, to find it in JMH's log. */
    static final String PREFIX = "[cpu]";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String label;
    private long cpuStartNs;
    private long wallStartNs;
    private long opsAtStart;

    CpuMeter(String label) {
        this.label = label;
    }

    void start(long ops) {
        opsAtStart = ops;
        wallStartNs = System.nanoTime();
        cpuStartNs = THREADS.getCurrentThreadCpuTime();
    }

    /** Prints ops per CPU-second and the share of the iteration the thread spent on a core. */
    void stop(long ops) {
        long cpuNs = THREADS.getCurrentThreadCpuTime() - cpuStartNs;
        long wallNs = System.nanoTime() - wallStartNs;
        long count = ops - opsAtStart;
        if (cpuNs <= 0 || wallNs <= 0 || count <= 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "%n%s %s: %.1f ops per CPU-second, %.1f ns CPU per op, on CPU %.0f%% of the"
            + " iteration%n", PREFIX, label, count * 1e9 / cpuNs, (double) cpuNs / count, 100.0 * cpuNs / wallNs);
    }
}
