package io.sfu.bench.tools;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JmhResultsTest {
    @Test
    void readsBenchmarkModeParamsScoreUnitAndAllocation() throws IOException {
        List<JmhResult> results = Fixtures.results("baseline.json");

        assertThat(results).hasSize(6);
        JmhResult srtp = results.get(1);
        assertThat(srtp.benchmark()).isEqualTo("io.sfu.bench.srtp.SrtpBenchmark.protectRtp");
        assertThat(srtp.mode()).isEqualTo("avgt");
        assertThat(srtp.params()).isEqualTo(Map.of("profile", "PROFILE_A"));
        assertThat(srtp.score()).isEqualTo(1000.0);
        assertThat(srtp.scoreError()).isEqualTo(20.0);
        assertThat(srtp.unit()).isEqualTo("ns/op");
        assertThat(srtp.allocBytesPerOp()).isEqualTo(0.0001);
        assertThat(srtp.settings()).isEqualTo("forks=1 warmup=3x1 s measurement=5x1 s");
        assertThat(srtp.key()).isEqualTo("io.sfu.bench.srtp.SrtpBenchmark.protectRtp [profile=PROFILE_A] avgt");
    }

    @Test
    void missingGcProfilerAndNanErrorReadAsNaN() throws IOException {
        List<JmhResult> results = Fixtures.results("allocation.json");

        JmhResult withoutProfiler = results.get(3);
        assertThat(withoutProfiler.hasAllocation()).isFalse();
        assertThat(withoutProfiler.scoreError()).isNaN();
        assertThat(withoutProfiler.params()).isEmpty();
        assertThat(withoutProfiler.paramsText()).isEmpty();
    }

    @Test
    void throughputIsTheOnlyModeWhereHigherIsBetter() throws IOException {
        List<JmhResult> results = Fixtures.results("baseline.json");

        assertThat(results.get(3).mode()).isEqualTo("thrpt");
        assertThat(results.get(3).higherIsBetter()).isTrue();
        assertThat(results.get(0).higherIsBetter()).isFalse();
        assertThat(JmhResult.of("b", "sample", Map.of(), 1, 0, "ns/op", 0).higherIsBetter()).isFalse();
        assertThat(JmhResult.of("b", "ss", Map.of(), 1, 0, "ns/op", 0).higherIsBetter()).isFalse();
    }

    @Test
    void rejectsAnythingButAnArrayOfResults() {
        assertThatThrownBy(() -> JmhResults.parse("{\"benchmark\":\"x\"}"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> JmhResults.parse("[{\"mode\":\"avgt\"}]"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("benchmark");
        assertThatThrownBy(() -> JmhResults.parse("[{\"benchmark\":\"x\",\"mode\":\"avgt\"}]"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primaryMetric");
        assertThatThrownBy(() -> JmhResults.parse("[1,"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }

    @Test
    void anEmptyRunIsAnEmptyList() {
        assertThat(JmhResults.parse("[]")).isEmpty();
    }
}
