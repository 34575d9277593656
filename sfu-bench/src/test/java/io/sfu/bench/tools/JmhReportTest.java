package io.sfu.bench.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JmhReportTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void tablePrintsBenchmarkParamsScoreErrorUnitAndAllocation() {
        int code = run("table", file("baseline.json"));

        assertThat(code).isEqualTo(JmhReport.PASS);
        assertThat(out()).contains("benchmark", "alloc B/op")
            .containsPattern("srtp\\.SrtpBenchmark\\.protectRtp +profile=PROFILE_A +avgt +1000\\.000 +± 20\\.000 "
                + "+ns/op +0\\.000")
            .containsPattern("queue\\.QueueBenchmark\\.offerPoll .* ops/us +n/a");
    }

    @Test
    void compareExitsOneAndNamesEachRegression() {
        int code = run("compare", file("baseline.json"), file("regressed.json"));

        assertThat(code).isEqualTo(JmhReport.FLAGGED);
        assertThat(out())
            .contains("REGRESSION io.sfu.bench.rtp.RtpRewriteBenchmark.wrapFindAndRewrite [] avgt: 55.250 ns/op, "
                + "baseline 50.000 (+10.5%)")
            .contains("REGRESSION io.sfu.bench.queue.QueueBenchmark.offerPoll [capacity=1024] thrpt")
            .doesNotContain("REGRESSION io.sfu.bench.queue.QueueBenchmark.drain")
            .contains("NOT_IN_BASELINE");
    }

    @Test
    void compareWithinTheThresholdPassesEvenWithANewBenchmark() {
        int code = run("compare", file("baseline.json"), file("within-threshold.json"));

        assertThat(code).isEqualTo(JmhReport.PASS);
        assertThat(out()).contains("NOT_IN_BASELINE", "no regression").doesNotContain("REGRESSION ")
            .contains("threshold: more than 10% slower")
            .containsPattern("srtp\\.SrtpBenchmark\\.protectRtp +profile=PROFILE_A +avgt +1000\\.000 +1095\\.000 "
                + "+± 20\\.000 +ns/op +\\+9\\.5% +0\\.000 +OK");
    }

    @Test
    void compareThresholdIsAnOption() {
        int code = run("compare", file("baseline.json"), file("within-threshold.json"), "--threshold-percent", "5");

        assertThat(code).isEqualTo(JmhReport.FLAGGED);
        assertThat(out()).contains("REGRESSION io.sfu.bench.srtp.SrtpBenchmark.protectRtp [profile=PROFILE_A]");
    }

    @Test
    void allocCheckNamesTheAllocatingBenchmarkAndItsValue() {
        int code = run("alloc-check", file("allocation.json"), "--include", "protectRtp");

        assertThat(code).isEqualTo(JmhReport.FLAGGED);
        assertThat(out())
            .contains("ALLOCATES io.sfu.bench.srtp.SrtpBenchmark.protectRtp [profile=PROFILE_B] avgt: 24.000 B/op "
                + "(limit 1 B/op)")
            .doesNotContain("PROFILE_A] avgt: 0.018")
            .doesNotContain("referenceJceAesGcm")
            .contains("alloc-check FAILED");
    }

    @Test
    void allocCheckPassesWhenTheSelectionOnlyShowsNoise() {
        int code = run("alloc-check", file("allocation.json"), "--include", "RtpRewrite|PROFILE_A|protectRtp",
            "--max-bytes-per-op", "30");

        assertThat(code).isEqualTo(JmhReport.PASS);
        assertThat(out()).contains("alloc-check passed: 3 benchmarks at most 30 B/op");
    }

    @Test
    void allocCheckFailsWhenTheSelectionIsEmpty() {
        int code = run("alloc-check", file("allocation.json"), "--include", "NoSuchBenchmark");

        assertThat(code).isEqualTo(JmhReport.FLAGGED);
        assertThat(out()).contains("no benchmark selected by NoSuchBenchmark");
    }

    @Test
    void allocCheckFailsWithoutTheGcProfiler() {
        int code = run("alloc-check", file("allocation.json"), "--include", "referenceJceAesGcm");

        assertThat(code).isEqualTo(JmhReport.FLAGGED);
        assertThat(out()).contains("NOT MEASURED io.sfu.bench.srtp.SrtpBenchmark.referenceJceAesGcm");
    }

    @Test
    void mergeReplacesEntriesOfTheSameKeyAndAppendsNewOnes(@TempDir Path dir) throws IOException {
        Path merged = dir.resolve("merged.json");

        int code = run("merge", file("baseline.json"), file("regressed.json"), merged.toString());

        assertThat(code).isEqualTo(JmhReport.PASS);
        assertThat(out()).contains("4 replaced, 1 added, 2 kept");
        List<JmhResult> results = JmhResults.read(merged);
        assertThat(results).hasSize(7);
        assertThat(results.get(0).score()).isEqualTo(55.25);
        assertThat(results.get(1).score()).isEqualTo(1000.0);
        assertThat(results.get(6).benchmark()).isEqualTo("io.sfu.bench.forward.ForwardBenchmark.fanOut");
    }

    @Test
    void mergeIntoAMissingBaselineCreatesIt(@TempDir Path dir) throws IOException {
        Path baseline = dir.resolve("new-baseline.json");

        assertThat(run("merge", baseline.toString(), file("within-threshold.json"), baseline.toString()))
            .isEqualTo(JmhReport.PASS);
        assertThat(JmhResults.read(baseline)).hasSize(4);
    }

    @Test
    void badUsageAndUnreadableFilesExitTwo(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"not\": \"an array\"}");

        assertThat(run()).isEqualTo(JmhReport.USAGE);
        assertThat(run("frobnicate", file("baseline.json"))).isEqualTo(JmhReport.USAGE);
        assertThat(run("compare", file("baseline.json"))).isEqualTo(JmhReport.USAGE);
        assertThat(run("table", dir.resolve("absent.json").toString())).isEqualTo(JmhReport.USAGE);
        assertThat(run("table", broken.toString())).isEqualTo(JmhReport.USAGE);
        assertThat(run("compare", file("baseline.json"), file("regressed.json"), "--threshold-percent", "ten"))
            .isEqualTo(JmhReport.USAGE);
        assertThat(run("table", file("baseline.json"), "--include", "x")).isEqualTo(JmhReport.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:", "broken.json");
    }

    private int run(String... args) {
        return JmhReport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String file(String name) {
        return Fixtures.path(name).toString();
    }
}
