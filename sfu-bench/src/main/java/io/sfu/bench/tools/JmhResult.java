package io.sfu.bench.tools;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of a JMH JSON result file: a benchmark method with its parameters and mode, its primary score and,
 * when the run had {@code -prof gc}, the bytes it allocated per operation.
 *
 * @param benchmark fully qualified benchmark method name, for example
 *     {@code io.sfu.bench.rtp.RtpRewriteBenchmark.wrapFindAndRewrite}
 * @param mode JMH mode: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param params the {@code @Param} values, sorted by name; empty when the benchmark has none
 * @param score the primary score
 * @param scoreError half-width of the 99.9% confidence interval, {@code NaN} when JMH could not compute it
 * @param unit the primary score's unit, for example {@code ns/op} or {@code ops/s}
 * @param allocBytesPerOp {@code gc.alloc.rate.norm}, {@code NaN} when the run had no GC profiler
 * @param settings forks, warmup and measurement settings of the run, for spotting runs that are not comparable
 */
public record JmhResult(
    String benchmark,
    String mode,
    SortedMap<String, String> params,
    double score,
    double scoreError,
    String unit,
    double allocBytesPerOp,
    String settings) {

    /** Mode name JMH writes for throughput, the only mode where a higher score is better. */
    public static final String THROUGHPUT = "thrpt";

    public JmhResult {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unit, "unit");
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        settings = settings == null ? "" : settings;
    }

    /** A result without run settings, for tests and hand-made entries. */
    public static JmhResult of(String benchmark, String mode, Map<String, String> params, double score,
                               double scoreError, String unit, double allocBytesPerOp) {
        return new JmhResult(benchmark, mode, new TreeMap<>(params), score, scoreError, unit, allocBytesPerOp, "");
    }

    /** Identifies the same measurement across runs: benchmark, parameters and mode. */
    public String key() {
        return benchmark + " [" + paramsText() + "] " + mode;
    }

    /** Parameters as {@code name=value,name=value}, or an empty string. */
    public String paramsText() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(param.getKey()).append('=').append(param.getValue());
        }
        return text.toString();
    }

    /** Throughput scores improve upwards; average, sample and single-shot times improve downwards. */
    public boolean higherIsBetter() {
        return THROUGHPUT.equals(mode);
    }

    /** Whether the run measured allocation ({@code -prof gc}). */
    public boolean hasAllocation() {
        return !Double.isNaN(allocBytesPerOp);
    }

    /** The benchmark name without the common {@code io.sfu.bench.} prefix, for tables. */
    public String shortName() {
        String prefix = "io.sfu.bench.";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }
}
