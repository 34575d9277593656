package io.sfu.bench.tools;

import io.sfu.bench.tools.JmhComparison.Row;
import io.sfu.bench.tools.JmhComparison.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JmhComparisonTest {
    private static final double TEN_PERCENT = 0.10;

    @Test
    void averageTimeMoreThanTenPercentHigherIsARegression() throws IOException {
        Row rtp = row(compare("regressed.json"), "RtpRewriteBenchmark");

        assertThat(rtp.baselineScore()).isEqualTo(50.0);
        assertThat(rtp.change()).isCloseTo(0.105, within(1e-9));
        assertThat(rtp.verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void averageTimeLessThanTenPercentHigherIsNotARegression() throws IOException {
        Row srtp = row(compare("within-threshold.json"), "PROFILE_A");

        assertThat(srtp.change()).isCloseTo(0.095, within(1e-9));
        assertThat(srtp.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void throughputMoreThanTenPercentLowerIsARegression() throws IOException {
        Row queue = row(compare("regressed.json"), "offerPoll");

        assertThat(queue.change()).isCloseTo(-0.105, within(1e-9));
        assertThat(queue.verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void throughputLessThanTenPercentLowerIsNotARegression() throws IOException {
        assertThat(row(compare("within-threshold.json"), "offerPoll").verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void directionFollowsTheMode() throws IOException {
        List<Row> rows = compare("regressed.json");

        // a 25% lower average time and a 30% higher throughput are both faster, not regressions
        assertThat(row(rows, "PROFILE_B").change()).isCloseTo(-0.25, within(1e-9));
        assertThat(row(rows, "PROFILE_B").verdict()).isEqualTo(Verdict.FASTER);
        assertThat(row(rows, "drain").change()).isCloseTo(0.30, within(1e-9));
        assertThat(row(rows, "drain").verdict()).isEqualTo(Verdict.FASTER);
    }

    @Test
    void benchmarkMissingFromTheBaselineIsReportedButIsNotARegression() throws IOException {
        List<Row> rows = compare("within-threshold.json");

        Row forward = row(rows, "ForwardBenchmark");
        assertThat(forward.verdict()).isEqualTo(Verdict.NOT_IN_BASELINE);
        assertThat(forward.baseline()).isNull();
        assertThat(JmhComparison.hasRegression(rows)).isFalse();
    }

    @Test
    void baselineInAnotherTimeUnitIsConverted() throws IOException {
        Row rtcp = row(compare("within-threshold.json"), "RtcpCompoundBenchmark");

        assertThat(rtcp.baselineScore()).isCloseTo(400.0, within(1e-9));
        assertThat(rtcp.change()).isCloseTo(0.075, within(1e-9));
        assertThat(rtcp.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void paramsAndModeArePartOfTheIdentity() {
        JmhResult baseline = JmhResult.of("b.M", "avgt", Map.of("size", "1"), 100, 1, "ns/op", 0);
        JmhResult otherParam = JmhResult.of("b.M", "avgt", Map.of("size", "2"), 500, 1, "ns/op", 0);
        JmhResult otherMode = JmhResult.of("b.M", "sample", Map.of("size", "1"), 500, 1, "ns/op", 0);

        List<Row> rows = JmhComparison.compare(List.of(baseline), List.of(otherParam, otherMode), TEN_PERCENT);

        assertThat(rows).extracting(Row::verdict).containsExactly(Verdict.NOT_IN_BASELINE, Verdict.NOT_IN_BASELINE);
    }

    @Test
    void unitsThatDoNotConvertAreIncomparableNotRegressions() {
        JmhResult baseline = JmhResult.of("b.M", "avgt", Map.of(), 100, 1, "ns/op", 0);
        JmhResult current = JmhResult.of("b.M", "avgt", Map.of(), 500, 1, "widgets", 0);

        List<Row> rows = JmhComparison.compare(List.of(baseline), List.of(current), TEN_PERCENT);

        assertThat(rows.get(0).verdict()).isEqualTo(Verdict.INCOMPARABLE);
        assertThat(JmhComparison.hasRegression(rows)).isFalse();
    }

    @Test
    void differentRunSettingsAreNoticed() throws IOException {
        List<Row> rows = JmhComparison.compare(Fixtures.results("baseline.json"),
            Fixtures.results("allocation.json"), TEN_PERCENT);

        assertThat(row(rows, "RtpRewriteBenchmark").settingsDiffer()).isTrue();
        assertThat(row(compare("regressed.json"), "RtpRewriteBenchmark").settingsDiffer()).isFalse();
    }

    @Test
    void rejectsANegativeThreshold() {
        assertThatThrownBy(() -> JmhComparison.compare(List.of(), List.of(), -0.1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Row> compare(String current) throws IOException {
        return JmhComparison.compare(Fixtures.results("baseline.json"), Fixtures.results(current), TEN_PERCENT);
    }

    private static Row row(List<Row> rows, String keyPart) {
        List<Row> matching = rows.stream().filter(row -> row.current().key().contains(keyPart)).toList();
        assertThat(matching).as("rows whose key contains " + keyPart).hasSize(1);
        return matching.get(0);
    }
}
