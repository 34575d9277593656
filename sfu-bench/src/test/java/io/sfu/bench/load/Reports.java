package io.sfu.bench.load;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Report fixtures for the merge and HTML tests. */
final class Reports {
    static final LoadReport.Objective OBJECTIVE = new LoadReport.Objective(1.0, 50.0);

    private Reports() {
    }

    static LoadReport.Step step(int index, int shard, Histogram latencyUs, long expected, long received,
        double cpuPct, int clients) {
        LoadReport.Latency summary = Histograms.summaryMs(latencyUs);
        double loss = expected == 0 ? 0 : 100.0 * (expected - received) / expected;
        List<String> failures = StepVerdict.failures(OBJECTIVE, clients, clients, 0, 1, received, loss,
            summary.p99(), 0);
        return new LoadReport.Step(index, clients, 1, 1, clients - 1, clients, 0, 10.0, summary,
            Histograms.encode(latencyUs), loss, 1000, expected, received, expected - received, 2, 3, 4, 0.5,
            received / 10.0, 2.5, 10.0 * clients, cpuPct, 50.0, 900.0, 20.0, 40, cpuPct / 40, 3.0, 5, 4, 1, 3, 0,
            clients * 2L, 0, 120.0, 300.0, 1.5, failures.isEmpty(), failures, List.of(), List.of(shard));
    }

    static LoadReport report(int shard, int shardCount, List<LoadReport.Step> steps) {
        return new LoadReport(LoadReport.FORMAT, "run1", "2024-01-01T00:00:00Z", List.of(shard), shardCount,
            Map.of("rooms", 1), Map.of("cpus", 2), OBJECTIVE, LoadReport.lastPassing(steps), "shard " + shard, null,
            steps, List.of(new LoadReport.TimelinePoint(1, 0, "measure", 3, 3, 100, 0, 1, 2, 1, 2, 10.0, 50.0, 5.0)));
    }

    static Histogram latencies(long seed, int count, long maxUs) {
        Histogram h = LoopMetrics.newLatencyHistogram();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            h.recordValue(1 + random.nextLong(maxUs));
        }
        return h;
    }
}
