package io.sfu.bench.tools;

import io.sfu.bench.tools.AllocationCheck.Row;
import io.sfu.bench.tools.AllocationCheck.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationCheckTest {
    @Test
    void allocationAboveTheThresholdFails() throws IOException {
        List<Row> rows = AllocationCheck.check(Fixtures.results("allocation.json"), 1.0);

        assertThat(rows.get(2).result().paramsText()).isEqualTo("profile=PROFILE_B");
        assertThat(rows.get(2).verdict()).isEqualTo(Verdict.ALLOCATES);
        assertThat(AllocationCheck.passed(rows)).isFalse();
    }

    @Test
    void jmhNoiseBelowTheThresholdPasses() throws IOException {
        List<Row> rows = AllocationCheck.check(Fixtures.results("allocation.json").subList(0, 2), 1.0);

        assertThat(rows).extracting(Row::verdict).containsExactly(Verdict.OK, Verdict.OK);
        assertThat(AllocationCheck.passed(rows)).isTrue();
    }

    @Test
    void aRunWithoutTheGcProfilerFailsRatherThanPasses() throws IOException {
        List<Row> rows = AllocationCheck.check(Fixtures.results("allocation.json").subList(3, 4), 1.0);

        assertThat(rows.get(0).verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(AllocationCheck.passed(rows)).isFalse();
    }

    @Test
    void checkingNothingFails() {
        assertThat(AllocationCheck.passed(AllocationCheck.check(List.of(), 1.0))).isFalse();
    }

    @Test
    void theThresholdItselfPasses() {
        JmhResult atLimit = JmhResult.of("b.M", "avgt", Map.of(), 1, 0, "ns/op", 1.0);
        JmhResult justAbove = JmhResult.of("b.M", "avgt", Map.of(), 1, 0, "ns/op", 1.001);

        assertThat(AllocationCheck.check(List.of(atLimit, justAbove), 1.0)).extracting(Row::verdict)
            .containsExactly(Verdict.OK, Verdict.ALLOCATES);
    }
}
