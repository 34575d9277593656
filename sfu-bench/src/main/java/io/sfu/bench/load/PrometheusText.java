package io.sfu.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition ({@code /metrics}), keyed by series ({@code name{labels}} as
 * written). Comments and malformed lines are skipped; this reads what the SFU exposes, not every corner of the
 * format.
 */
public final class PrometheusText {
    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('}') >= 0 ? line.indexOf('}') + 1 : line.indexOf(' ');
            if (end <= 0 || end >= line.length()) {
                continue;
            }
            String series = line.substring(0, end).strip();
            String rest = line.substring(end).strip();
            int space = rest.indexOf(' ');
            String value = space < 0 ? rest : rest.substring(0, space);
            try {
                samples.put(series, Double.parseDouble(value));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return new PrometheusText(samples);
    }

    /** The value of a series without labels, or NaN. */
    public double value(String name) {
        Double v = samples.get(name);
        return v == null ? Double.NaN : v;
    }

    /**
     * The sum over every series of metric {@code name} whose labels contain {@code labelFilter} (e.g.
     * {@code area="heap"}; empty for all), or NaN when there is none.
     */
    public double sum(String name, String labelFilter) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String series = e.getKey();
            boolean sameName = series.equals(name) || (series.startsWith(name + "{")
                && series.substring(name.length()).contains(labelFilter));
            if (sameName && (labelFilter.isEmpty() || series.contains(labelFilter))) {
                sum += e.getValue();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    /** Whether any series of the metric exists. */
    public boolean has(String name) {
        return !Double.isNaN(sum(name, ""));
    }
}
