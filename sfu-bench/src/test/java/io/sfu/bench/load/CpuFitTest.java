package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CpuFitTest {
    private static LoadReport.Step step(int index, long streams, Double cpu, Double harness) {
        LoadReport.Step s = Reports.step(index, 0, Reports.latencies(index, 10, 100), 10, 10, 0, 3);
        return new LoadReport.Step(s.index(), s.clients(), s.rooms(), s.publishers(), s.subscribers(),
            s.clientsReady(), s.clientsFailed(), s.durationSeconds(), s.latencyMs(), s.latencyHistogram(), s.lossPct(),
            s.sentPackets(), s.expectedPackets(), s.receivedPackets(), s.lostPackets(), s.duplicates(), s.outOfOrder(),
            s.recovered(), s.jitterMs(), s.receivedPacketsPerSecond(), s.mbpsIn(), s.mbpsOut(), cpu, s.heapMb(),
            s.sfuPacketsForwardedPerSecond(), harness, streams, null, null, 0, 0, 0, 0, 0, 0, 0, null, null, 0, true,
            List.of(), List.of(), List.of(0));
    }

    @Test
    void aLinearCostIsFoundExactlyAndProjectedToOneCore() {
        List<LoadReport.Step> steps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long streams = 20 + 20L * i;
            steps.add(step(i, streams, 4.0 + 0.24 * streams, 2.0 + 0.3 * streams));
        }

        CpuFit fit = CpuFit.of(steps);

        assertThat(fit.steps()).isEqualTo(5);
        assertThat(fit.sfuPctPerStream()).isEqualTo(0.24);
        assertThat(fit.sfuIdlePct()).isEqualTo(4.0);
        assertThat(fit.streamsPerSfuCore()).isEqualTo(400);
        assertThat(fit.harnessPctPerStream()).isEqualTo(0.3);
        assertThat(fit.streamsPerHarnessCore()).isEqualTo(327);
    }

    @Test
    void oneStepOrNoCpuReadingsGiveNoFit() {
        assertThat(CpuFit.of(List.of(step(0, 20, 10.0, 5.0)))).isNull();
        assertThat(CpuFit.of(List.of(step(0, 20, null, null), step(1, 40, null, null)))).isNull();
        assertThat(CpuFit.of(List.of(step(0, 20, 10.0, null), step(1, 20, 12.0, null)))).isNull();
    }
}
