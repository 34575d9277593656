package io.sfu.bench.forward;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Secondary JMH results: the benchmark thread's CPU time per operation ({@code cpuNsPerOp}) and the share of the
 * iteration it spent on a core ({@code onCpuPercent}). On a machine shared with other work the thread is off
 * its core part of the time, which lowers ops/s but not the CPU time an operation takes; 1e9 / cpuNsPerOp is
 * operations per CPU-second. A benchmark calls {@link #op()} once per operation. Nothing here allocates.
 *
 * <p>JMH adds up event counters over the iterations, so each iteration reports its value divided by the number
 * of iterations of its kind: the score JMH prints is then the mean over the measurement iterations (the raw
 * per-iteration values in a JSON result are those shares, not the iteration's own figure).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of the benchmark thread per operation, over the iteration. */
    public double cpuNsPerOp;
    /** Percentage of the iteration's wall time the benchmark thread was on a core. */
    public double onCpuPercent;

    private long ops;
    private long cpuStartNs;
    private long wallStartNs;
    private int iterations = 1;

    /** Counts one operation. */
    public void op() {
        ops++;
    }

    @Setup(Level.Iteration)
    public void start(IterationParams iteration) {
        iterations = Math.max(1, iteration.getCount());
        ops = 0;
        wallStartNs = System.nanoTime();
        cpuStartNs = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        long cpuNs = THREADS.getCurrentThreadCpuTime() - cpuStartNs;
        long wallNs = System.nanoTime() - wallStartNs;
        cpuNsPerOp = ops == 0 ? 0 : (double) cpuNs / ops / iterations;
        onCpuPercent = wallNs == 0 ? 0 : 100.0 * cpuNs / wallNs / iterations;
    }
}
