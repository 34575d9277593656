package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitrateEstimatorTest {
    private static final long MS = 1_000_000L;

    private final long start = -2_000 * MS; // nanoTime may be negative

    @Test
    void steadyTrafficIsMeasuredOverTheWindow() {
        BitrateEstimator estimator = new BitrateEstimator();
        long t = start;
        for (int i = 0; i < 300; i++) { // 1250 bytes every 10 ms = 1 Mbit/s, for 3 s
            estimator.onBytes(1250, t);
            t += 10 * MS;
        }
        assertThat(estimator.bitrateBps(t - 10 * MS)).isEqualTo(1_000_000);
    }

    @Test
    void beforeAFullWindowTheRateIsOverTheTimeElapsed() {
        BitrateEstimator estimator = new BitrateEstimator();
        estimator.onBytes(12_500, start);
        assertThat(estimator.bitrateBps(start + 50 * MS)).as("one 100 ms bucket").isEqualTo(1_000_000);
        assertThat(estimator.bitrateBps(start + 150 * MS)).as("two buckets").isEqualTo(500_000);
    }

    @Test
    void oldBucketsLeaveTheWindowAndSilenceDecaysToZero() {
        BitrateEstimator estimator = new BitrateEstimator();
        long t = start;
        for (int i = 0; i < 100; i++) {
            estimator.onBytes(1250, t);
            t += 10 * MS;
        }
        long last = t - 10 * MS;
        assertThat(estimator.bitrateBps(last + 500 * MS)).isEqualTo(500_000);
        assertThat(estimator.bitrateBps(last + 1_000 * MS)).isZero();
        assertThat(estimator.bitrateBps(last + 100_000 * MS)).isZero();
    }

    @Test
    void nothingSeenMeansZero() {
        BitrateEstimator estimator = new BitrateEstimator();
        assertThat(estimator.bitrateBps(start)).isZero();
        estimator.onBytes(1000, start);
        estimator.reset();
        assertThat(estimator.bitrateBps(start)).isZero();
    }

    @Test
    void settingsAreValidatedByName() {
        assertThatThrownBy(() -> new BitrateEstimator(1000, 0)).hasMessageContaining("buckets");
        assertThatThrownBy(() -> new BitrateEstimator(5, 10)).hasMessageContaining("windowNs");
    }

    @Test
    void countingAndReadingAllocateNothing() {
        BitrateEstimator estimator = new BitrateEstimator();
        long[] t = {start};
        long[] sink = new long[1];
        assertThat(Allocations.bytesPerRun(() -> {
            t[0] += 300_000;
            estimator.onBytes(1200, t[0]);
            sink[0] += estimator.bitrateBps(t[0]);
        })).isLessThan(0.01);
    }
}
