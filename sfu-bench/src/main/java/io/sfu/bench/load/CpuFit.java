package io.sfu.bench.load;

import java.util.List;

/**
 * The SFU's CPU cost per forwarded stream, fitted by least squares over the steps of a run (CPU % of one core
 * against forwarded streams): the slope is the marginal cost of a stream, the intercept the cost of an idle SFU
 * (metrics, timers, signaling), and their quotient the number of streams that would fill one core. A projection,
 * not a measurement: it assumes the cost stays linear, and it is only as good as the CPU readings (other processes
 * on the machine do not count in them, but they do slow the SFU down). The same fit is given for the harness.
 *
 * @param steps                  steps with a CPU reading
 * @param sfuPctPerStream        marginal SFU CPU per forwarded stream, % of one core
 * @param sfuIdlePct             fitted SFU CPU at no streams
 * @param streamsPerSfuCore      streams at 100% of one core, from the fit
 * @param harnessPctPerStream    marginal harness CPU per forwarded stream (it receives every one)
 * @param streamsPerHarnessCore  streams one harness core would receive at 100%
 */
public record CpuFit(int steps, Double sfuPctPerStream, Double sfuIdlePct, Long streamsPerSfuCore,
                     Double harnessPctPerStream, Long streamsPerHarnessCore) {

    /** The fit over {@code steps}, or null when fewer than two steps with different loads have CPU readings. */
    public static CpuFit of(List<LoadReport.Step> steps) {
        double[] sfu = fit(steps, true);
        double[] harness = fit(steps, false);
        if (sfu == null && harness == null) {
            return null;
        }
        int n = (int) steps.stream().filter(s -> s.cpuPct() != null).count();
        return new CpuFit(n, sfu == null ? null : LoadRunner.round4(sfu[0]), sfu == null ? null
            : LoadRunner.round2(sfu[1]), sfu == null ? null : perCore(sfu),
            harness == null ? null : LoadRunner.round4(harness[0]), harness == null ? null : perCore(harness));
    }

    private static Long perCore(double[] fit) {
        return fit[0] <= 0 ? null : Math.max(0, Math.round((100 - Math.max(0, fit[1])) / fit[0]));
    }

    /** Slope and intercept of CPU % against forwarded streams, or null. */
    private static double[] fit(List<LoadReport.Step> steps, boolean sfu) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (LoadReport.Step s : steps) {
            Double y = sfu ? s.cpuPct() : s.harnessCpuPct();
            if (y == null || s.forwardedStreams() <= 0) {
                continue;
            }
            double x = s.forwardedStreams();
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        if (n < 2 || denominator <= 1e-9) {
            return null;
        }
        double slope = (n * sxy - sx * sy) / denominator;
        double intercept = (sy - slope * sx) / n;
        return new double[] {slope, intercept};
    }
}
