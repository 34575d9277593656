package io.sfu.bench.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a run with a baseline, benchmark by benchmark (same method, parameters and mode), and flags every one
 * slower than its baseline by more than a threshold: a throughput score that dropped, or a time per operation
 * that grew, by more than that fraction of the baseline score.
 */
public final class JmhComparison {
    /** What a comparison found for one benchmark. */
    public enum Verdict {
        /** Within the threshold of the baseline. */
        OK,
        /** Faster than the baseline by more than the threshold; not a failure, but the baseline may be stale. */
        FASTER,
        /** Slower than the baseline by more than the threshold. */
        REGRESSION,
        /** Not in the baseline: reported, not a failure. */
        NOT_IN_BASELINE,
        /** In the baseline, but with a unit that does not convert or a score of zero: reported, not a failure. */
        INCOMPARABLE
    }

    /**
     * One compared benchmark.
     *
     * @param current the result of this run
     * @param baseline the baseline result with the same key, or {@code null}
     * @param baselineScore the baseline score in the current result's unit, {@code NaN} when there is none
     * @param change (current - baseline) / baseline, {@code NaN} when there is no baseline score
     * @param verdict what the comparison found
     */
    public record Row(JmhResult current, JmhResult baseline, double baselineScore, double change, Verdict verdict) {
        /** Whether the two runs used different forks, warmup or measurement settings. */
        public boolean settingsDiffer() {
            return baseline != null && !baseline.settings().isEmpty() && !current.settings().isEmpty()
                && !baseline.settings().equals(current.settings());
        }
    }

    private JmhComparison() {
    }

    /**
     * Compares every result of {@code current} with the baseline entry of the same key.
     *
     * @param thresholdFraction for example {@code 0.10}: more than 10% slower is a regression
     */
    public static List<Row> compare(List<JmhResult> baseline, List<JmhResult> current, double thresholdFraction) {
        if (!(thresholdFraction >= 0)) {
            throw new IllegalArgumentException("threshold must be a non-negative fraction: " + thresholdFraction);
        }
        Map<String, JmhResult> byKey = new LinkedHashMap<>();
        for (JmhResult result : baseline) {
            byKey.put(result.key(), result);
        }
        List<Row> rows = new ArrayList<>(current.size());
        for (JmhResult result : current) {
            rows.add(row(result, byKey.get(result.key()), thresholdFraction));
        }
        return rows;
    }

    /** Whether any row is a regression. */
    public static boolean hasRegression(List<Row> rows) {
        for (Row row : rows) {
            if (row.verdict() == Verdict.REGRESSION) {
                return true;
            }
        }
        return false;
    }

    private static Row row(JmhResult current, JmhResult baseline, double threshold) {
        if (baseline == null) {
            return new Row(current, null, Double.NaN, Double.NaN, Verdict.NOT_IN_BASELINE);
        }
        double base = ScoreUnits.convert(baseline.score(), baseline.unit(), current.unit());
        if (Double.isNaN(base) || base == 0 || Double.isInfinite(base)) {
            return new Row(current, baseline, base, Double.NaN, Verdict.INCOMPARABLE);
        }
        double change = (current.score() - base) / base;
        double slowdown = current.higherIsBetter() ? -change : change;
        Verdict verdict;
        if (slowdown > threshold) {
            verdict = Verdict.REGRESSION;
        } else if (-slowdown > threshold) {
            verdict = Verdict.FASTER;
        } else {
            verdict = Verdict.OK;
        }
        return new Row(current, baseline, base, change, verdict);
    }
}
