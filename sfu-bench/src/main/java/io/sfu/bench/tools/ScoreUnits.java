package io.sfu.bench.tools;

import java.util.Map;

/**
 * Converts JMH scores between the units JMH writes: time per operation ({@code ns/op}, {@code us/op}, ...) and
 * operations per time ({@code ops/ns}, {@code ops/s}, ...), so a baseline taken with another
 * {@code @OutputTimeUnit} still compares.
 */
public final class ScoreUnits {
    /** JMH's short names of {@link java.util.concurrent.TimeUnit}, in seconds. */
    private static final Map<String, Double> SECONDS = Map.of(
        "ns", 1e-9, "us", 1e-6, "ms", 1e-3, "s", 1.0, "min", 60.0, "hr", 3600.0, "day", 86_400.0);

    private ScoreUnits() {
    }

    /**
     * The score {@code value}, given in {@code from}, expressed in {@code to}; {@code NaN} when the two units are
     * not both time per operation or both operations per time.
     */
    public static double convert(double value, String from, String to) {
        if (from.equals(to)) {
            return value;
        }
        double fromPerOp = secondsOf(from, "/op", true);
        double toPerOp = secondsOf(to, "/op", true);
        if (!Double.isNaN(fromPerOp) && !Double.isNaN(toPerOp)) {
            return value * fromPerOp / toPerOp;
        }
        double fromOps = secondsOf(from, "ops/", false);
        double toOps = secondsOf(to, "ops/", false);
        if (!Double.isNaN(fromOps) && !Double.isNaN(toOps)) {
            return value * toOps / fromOps;
        }
        return Double.NaN;
    }

    private static double secondsOf(String unit, String affix, boolean suffix) {
        String time;
        if (suffix && unit.endsWith(affix)) {
            time = unit.substring(0, unit.length() - affix.length());
        } else if (!suffix && unit.startsWith(affix)) {
            time = unit.substring(affix.length());
        } else {
            return Double.NaN;
        }
        Double seconds = SECONDS.get(time);
        return seconds == null ? Double.NaN : seconds;
    }
}
