package io.sfu.bench.forward;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Measures each measurement iteration in CPU time of the benchmark thread as well as in wall time, and at the end
 * of the trial prints operations per CPU-second: on a machine shared with other work the thread is off its core
 * part of the time, which lowers ops/s but not ops per CPU-second. Allocates nothing between {@link #start} and
 * {@link #stop}, so {@code -prof gc} stays clean. Call it on the benchmark thread (JMH runs the fixtures of a
 * thread-scoped state on the thread that owns it).
 */
final class CpuMeter {
    /** Prefix of the printed line, to find it in JMH's log. */
    static final String PREFIX = "[cpu]";
    private static final int MAX_ITERATIONS = 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String label;
    private final long[] cpuNs = new long[MAX_ITERATIONS];
    private final long[] wallNs = new long[MAX_ITERATIONS];
    private final long[] ops = new long[MAX_ITERATIONS];
    private int iterations;
    private boolean measuring;
    private long cpuStartNs;
    private long wallStartNs;
    private long opsAtStart;

    CpuMeter(String label) {
        this.label = label;
    }

    /** At the start of an iteration, with the benchmark's operation count so far. */
    void start(IterationParams iteration, long opsSoFar) {
        measuring = iteration.getType() == IterationType.MEASUREMENT && iterations < MAX_ITERATIONS;
        opsAtStart = opsSoFar;
        wallStartNs = System.nanoTime();
        cpuStartNs = THREADS.getCurrentThreadCpuTime();
    }

    /** At the end of an iteration. */
    void stop(long opsSoFar) {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuStartNs;
        long wall = System.nanoTime() - wallStartNs;
        if (measuring) {
            cpuNs[iterations] = cpu;
            wallNs[iterations] = wall;
            ops[iterations] = opsSoFar - opsAtStart;
            iterations++;
        }
    }

    /** At the end of the trial: ops per CPU-second over the measurement iterations, and per iteration. */
    void report() {
        long totalCpu = 0;
        long totalWall = 0;
        long totalOps = 0;
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < iterations; i++) {
            totalCpu += cpuNs[i];
            totalWall += wallNs[i];
            totalOps += ops[i];
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", ops[i] * 1e9 / cpuNs[i]));
        }
        if (totalCpu <= 0 || totalOps <= 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "%n%s %s: %.1f ops per CPU-second, %.1f ns CPU per op, thread on CPU %.0f%%"
                + " of the time (%d measurement iterations: %s)%n", PREFIX, label, totalOps * 1e9 / totalCpu,
            (double) totalCpu / totalOps, 100.0 * totalCpu / totalWall, iterations, each);
    }
}
