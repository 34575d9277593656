package io.sfu.core.feedback;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The estimator on feedback recorded from a real run ({@link EstimatorTrace}): the load harness's Java subscriber
 * behind a client-side link of 500 kbit/s with a 50 ms queue from 8 s to 18 s after its first media, receiving a
 * three-layer simulcast track (94, 375 and 1,500 kbit/s) from the SFU. Replayed open loop, the estimate must follow
 * the link down within two seconds, stay near it while it holds, and climb back once it is lifted.
 */
class RecordedTraceTest {
    private static final long SECOND = 1_000_000_000L;

    private record Estimate(long atNs, long bps) {
    }

    private static List<Estimate> replay(String resource) throws Exception {
        List<Estimate> estimates = new ArrayList<>();
        try (InputStream in = RecordedTraceTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                StandardCharsets.US_ASCII));
            EstimatorTrace.replay(reader, new SendSideBandwidthEstimator(),
                (estimator, nowNs) -> estimates.add(new Estimate(nowNs, estimator.estimateBps())));
        }
        return estimates;
    }

    /** The estimates between {@code fromS} and {@code toS} seconds after the first packet sent. */
    private static List<Long> between(List<Estimate> estimates, long startNs, double fromS, double toS) {
        return estimates.stream().filter(e -> e.atNs() - startNs >= fromS * SECOND && e.atNs() - startNs < toS * SECOND)
            .map(Estimate::bps).toList();
    }

    @Test
    void aLinkLimitedTo500KbitPerSecondAndLiftedIsFollowedDownAndBackUp() throws Exception {
        List<Estimate> estimates = replay("/feedback/downlink-500kbps-from-8s-to-18s.trace.gz");
        long start = firstSendNs("/feedback/downlink-500kbps-from-8s-to-18s.trace.gz");

        assertThat(between(estimates, start, 6, 8)).as("before the limit: the top layer's 1.5 Mbit/s and more")
            .isNotEmpty().allSatisfy(bps -> assertThat(bps).isGreaterThan(1_500_000));
        assertThat(between(estimates, start, 10, 18)).as("two seconds into the limit, and while it holds")
            .isNotEmpty().allSatisfy(bps -> assertThat(bps).isBetween(200_000L, 600_000L));
        assertThat(between(estimates, start, 18, 23)).as("within five seconds of the lift (a probe)")
            .isNotEmpty().anySatisfy(bps -> assertThat(bps).isGreaterThan(1_500_000));
        assertThat(between(estimates, start, 25, 30)).as("seven seconds after the lift")
            .isNotEmpty().allSatisfy(bps -> assertThat(bps).isGreaterThan(1_500_000));
    }

    private static long firstSendNs(String resource) throws Exception {
        try (InputStream in = RecordedTraceTest.class.getResourceAsStream(resource)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("s ")) {
                    return Long.parseLong(line.split(" ")[1]);
                }
            }
        }
        throw new AssertionError("no packet sent in " + resource);
    }

    @Test
    void aTraceLineItCannotReadIsNamed() {
        BufferedReader bad = new BufferedReader(new StringReader("s 1 2 3\nx 4\n"));
        assertThatThrownBy(() -> EstimatorTrace.replay(bad, new SendSideBandwidthEstimator(), (e, now) -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        BufferedReader truncated = new BufferedReader(new StringReader("f 1 8f\n"));
        assertThatThrownBy(() -> EstimatorTrace.replay(truncated, new SendSideBandwidthEstimator(), (e, now) -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
