package io.sfu.bench.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that benchmarks of the packet path do not allocate: each result's {@code gc.alloc.rate.norm} must be at
 * most a small threshold. The threshold is not 0 because JMH's own bookkeeping allocates a little per iteration,
 * which shows as 0.001-0.02 B/op spread over millions of operations; an object on every operation costs at least
 * 16 B/op.
 */
public final class AllocationCheck {
    /** The default threshold in bytes per operation. */
    public static final double DEFAULT_MAX_BYTES_PER_OP = 1.0;

    /** What the check found for one benchmark. */
    public enum Verdict {
        /** At most the threshold. */
        OK,
        /** Above the threshold: the benchmark allocates per operation. */
        ALLOCATES,
        /** The run had no GC profiler, so nothing was checked: a failure, not a pass. */
        NOT_MEASURED
    }

    /** One checked benchmark. */
    public record Row(JmhResult result, Verdict verdict) {
    }

    private AllocationCheck() {
    }

    /** Checks every result against {@code maxBytesPerOp}. */
    public static List<Row> check(List<JmhResult> results, double maxBytesPerOp) {
        if (!(maxBytesPerOp >= 0)) {
            throw new IllegalArgumentException("maximum bytes per operation must be >= 0: " + maxBytesPerOp);
        }
        List<Row> rows = new ArrayList<>(results.size());
        for (JmhResult result : results) {
            Verdict verdict;
            if (!result.hasAllocation()) {
                verdict = Verdict.NOT_MEASURED;
            } else if (result.allocBytesPerOp() > maxBytesPerOp) {
                verdict = Verdict.ALLOCATES;
            } else {
                verdict = Verdict.OK;
            }
            rows.add(new Row(result, verdict));
        }
        return rows;
    }

    /** The check passes when it checked at least one benchmark and every one is {@link Verdict#OK}. */
    public static boolean passed(List<Row> rows) {
        if (rows.isEmpty()) {
            return false;
        }
        for (Row row : rows) {
            if (row.verdict() != Verdict.OK) {
                return false;
            }
        }
        return true;
    }
}
