package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMergerTest {
    @TempDir
    Path dir;

    @Test
    void mergingTwoShardsAddsCountsAndHistogramsExactly() throws Exception {
        Histogram a = Reports.latencies(1, 20_000, 5_000);
        Histogram b = Reports.latencies(2, 30_000, 80_000);
        LoadReport shard0 = Reports.report(0, 2, List.of(Reports.step(0, 0, a, 10_000, 9_990, 40, 3)));
        LoadReport shard1 = Reports.report(1, 2, List.of(Reports.step(0, 1, b, 20_000, 19_000, 44, 4)));
        // through the files, as scripts/bench merge does
        shard0.write(dir.resolve("s0/report.json"));
        shard1.write(dir.resolve("s1/report.json"));

        LoadReport merged = ReportMerger.merge(List.of(LoadReport.read(dir.resolve("s0/report.json")),
            LoadReport.read(dir.resolve("s1/report.json"))));

        LoadReport.Step s = merged.steps().get(0);
        Histogram combined = LoopMetrics.newLatencyHistogram();
        combined.add(a);
        combined.add(b);
        Histogram mergedHistogram = Histograms.decode(s.latencyHistogram());
        assertThat(mergedHistogram.getTotalCount()).isEqualTo(50_000);
        assertThat(mergedHistogram).isEqualTo(combined);
        assertThat(s.latencyMs()).isEqualTo(Histograms.summaryMs(combined));
        assertThat(s.clients()).isEqualTo(7);
        assertThat(s.expectedPackets()).isEqualTo(30_000);
        assertThat(s.receivedPackets()).isEqualTo(28_990);
        assertThat(s.sentPackets()).isEqualTo(2000);
        assertThat(s.duplicates()).isEqualTo(4);
        assertThat(s.lossPct()).isEqualTo(Math.round(100.0 * 1010 / 30_000 * 10_000) / 10_000.0);
        assertThat(s.mbpsOut()).isEqualTo(70.0);
        // the same SFU seen twice: its CPU is averaged, the harnesses' adds up
        assertThat(s.cpuPct()).isEqualTo(42.0);
        assertThat(s.harnessCpuPct()).isEqualTo(40.0);
        assertThat(s.forwardedStreams()).isEqualTo(40);
        assertThat(s.shards()).containsExactly(0, 1);
        // judged again: 3.4% loss breaks the objective although shard 0 alone passed
        assertThat(shard0.steps().get(0).passed()).isTrue();
        assertThat(s.passed()).isFalse();
        assertThat(s.failures()).anySatisfy(f -> assertThat(f).startsWith("loss 3.37%"));
        assertThat(merged.lastPassingStep()).isNull();
        assertThat(merged.shards()).containsExactly(0, 1);
    }

    @Test
    void onlyStepsEveryShardReachedAreMerged() {
        Histogram h = Reports.latencies(3, 100, 1000);
        LoadReport shard0 = Reports.report(0, 2, List.of(Reports.step(0, 0, h, 100, 100, 10, 2),
            Reports.step(1, 0, h, 100, 100, 10, 4)));
        LoadReport shard1 = Reports.report(1, 2, List.of(Reports.step(0, 1, h, 100, 100, 10, 2)));

        LoadReport merged = ReportMerger.merge(List.of(shard0, shard1));

        assertThat(merged.steps()).hasSize(1);
        assertThat(merged.lastPassingStep()).isZero();
        assertThat(merged.summary()).contains("left out");
    }

    @Test
    void reportsOfDifferentRunsOrTheSameShardTwiceAreRefused() {
        Histogram h = Reports.latencies(3, 100, 1000);
        LoadReport shard0 = Reports.report(0, 2, List.of(Reports.step(0, 0, h, 100, 100, 10, 2)));
        LoadReport other = new LoadReport(LoadReport.FORMAT, "run2", "x", List.of(1), 2, shard0.scenario(),
            shard0.machine(), shard0.objective(), 0, "", null, shard0.steps(), List.of());

        assertThatThrownBy(() -> ReportMerger.merge(List.of(shard0, other))).hasMessageContaining("different runs");
        assertThatThrownBy(() -> ReportMerger.merge(List.of(shard0, shard0))).hasMessageContaining("shard 0");
    }

    @Test
    void aCorruptHistogramIsRejectedWithOneExceptionType() {
        assertThatThrownBy(() -> Histograms.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histograms.decode("AAAA")).isInstanceOf(IllegalArgumentException.class);
    }
}
