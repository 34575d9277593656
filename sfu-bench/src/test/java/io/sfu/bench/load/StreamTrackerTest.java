package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StreamTrackerTest {
    private final LoopMetrics metrics = new LoopMetrics();

    private long count(LoopMetrics.Counter c) {
        return metrics.get(c);
    }

    @Test
    void countsLossDuplicatesAndReorderingAsAReferenceDoesForRandomDeliveries() {
        for (int round = 0; round < 200; round++) {
            long seed = 1000 + round;
            SplittableRandom random = new SplittableRandom(seed);
            LoopMetrics m = new LoopMetrics();
            StreamTracker tracker = new StreamTracker(1, m);
            int start = random.nextInt(1000);
            int n = 50 + random.nextInt(500);
            List<Integer> deliveries = new ArrayList<>();
            for (int s = start; s < start + n; s++) {
                if (random.nextDouble() < 0.05) {
                    continue;
                }
                deliveries.add(s);
                if (random.nextDouble() < 0.03) {
                    deliveries.add(s);
                }
            }
            // reordering: swap neighbours within a few places
            for (int i = 0; i + 3 < deliveries.size(); i++) {
                if (random.nextDouble() < 0.05) {
                    int j = i + 1 + random.nextInt(3);
                    Integer t = deliveries.get(i);
                    deliveries.set(i, deliveries.get(j));
                    deliveries.set(j, t);
                }
            }
            Set<Integer> seen = new HashSet<>();
            long duplicates = 0;
            long outOfOrder = 0;
            int highest = Integer.MIN_VALUE;
            int lowest = Integer.MAX_VALUE;
            for (int s : deliveries) {
                tracker.onPacket(s, 0, 1_000_000, 100, false);
                if (!seen.add(s)) {
                    duplicates++;
                    continue;
                }
                if (s < highest) {
                    outOfOrder++;
                }
                highest = Math.max(highest, s);
                lowest = Math.min(lowest, s);
            }
            String why = "seed " + seed;
            assertThat(m.get(LoopMetrics.Counter.RECEIVED_PACKETS)).as(why).isEqualTo(seen.size());
            assertThat(m.get(LoopMetrics.Counter.EXPECTED_PACKETS)).as(why).isEqualTo(highest - lowest + 1L);
            assertThat(m.get(LoopMetrics.Counter.DUPLICATES)).as(why).isEqualTo(duplicates);
            assertThat(m.get(LoopMetrics.Counter.OUT_OF_ORDER)).as(why).isEqualTo(outOfOrder);
            assertThat(tracker.expected() - tracker.received()).as(why).isEqualTo(highest - lowest + 1L - seen.size());
            Histogram h = LoopMetrics.newLatencyHistogram();
            m.drainLatencyInto(h);
            assertThat(h.getTotalCount()).as(why).isEqualTo(seen.size());
        }
    }

    @Test
    void aRecoveredPacketCountsAsRecoveredNotAsOutOfOrder() {
        StreamTracker tracker = new StreamTracker(1, metrics);
        tracker.onPacket(0, 0, 1_000, 10, false);
        tracker.onPacket(2, 0, 1_000, 10, false);
        tracker.onPacket(1, 0, 30_000_000, 10, true);

        assertThat(count(LoopMetrics.Counter.RECOVERED)).isEqualTo(1);
        assertThat(count(LoopMetrics.Counter.OUT_OF_ORDER)).isZero();
        assertThat(count(LoopMetrics.Counter.RECEIVED_PACKETS)).isEqualTo(3);
        assertThat(count(LoopMetrics.Counter.EXPECTED_PACKETS)).isEqualTo(3);
    }

    @Test
    void latencyIsArrivalMinusSendTimeAndNegativeOnesAreCounted() {
        StreamTracker tracker = new StreamTracker(1, metrics);
        tracker.onPacket(0, 1_000_000_000L, 1_003_000_000L, 10, false);
        tracker.onPacket(1, 2_000_000_000L, 1_999_000_000L, 10, false);
        Histogram h = LoopMetrics.newLatencyHistogram();
        metrics.drainLatencyInto(h);

        assertThat(h.getMaxValue()).isBetween(2_998L, 3_002L);
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(count(LoopMetrics.Counter.NEGATIVE_LATENCY)).isEqualTo(1);
    }

    @Test
    void jitterFollowsRfc3550FromTheTransitTimes() {
        StreamTracker steady = new StreamTracker(1, metrics);
        for (int i = 0; i < 100; i++) {
            steady.onPacket(i, i * 20_000_000L, i * 20_000_000L + 5_000_000L, 10, false);
        }
        assertThat(steady.jitterNs()).isZero();

        LoopMetrics m = new LoopMetrics();
        StreamTracker alternating = new StreamTracker(2, m);
        for (int i = 0; i < 500; i++) {
            long transit = i % 2 == 0 ? 1_000_000L : 3_000_000L;
            alternating.onPacket(i, i * 20_000_000L, i * 20_000_000L + transit, 10, false);
        }
        // |D| is always 2 ms: the estimate converges to it
        assertThat(alternating.jitterNs()).isBetween(1_990_000L, 2_000_000L);
        assertThat(m.get(LoopMetrics.Counter.JITTER_SUM_NS)).isEqualTo(alternating.jitterNs());
        assertThat(m.get(LoopMetrics.Counter.STREAMS)).isEqualTo(1);
    }

    @Test
    void aPacketFromBeforeTheFirstOneWidensTheExpectedRange() {
        StreamTracker tracker = new StreamTracker(1, metrics);
        tracker.onPacket(10, 0, 1, 10, false);
        tracker.onPacket(11, 0, 1, 10, false);
        tracker.onPacket(8, 0, 1, 10, false);

        assertThat(tracker.expected()).isEqualTo(4);
        assertThat(tracker.received()).isEqualTo(3);
        assertThat(count(LoopMetrics.Counter.EXPECTED_PACKETS)).isEqualTo(4);
    }

    @Test
    void aLongGapIsLossAndACopyFromBeyondTheWindowIsNotTakenForADuplicate() {
        StreamTracker tracker = new StreamTracker(1, metrics);
        tracker.onPacket(0, 0, 1, 10, false);
        tracker.onPacket(5000, 0, 1, 10, false);
        tracker.onPacket(0, 0, 1, 10, false);

        assertThat(count(LoopMetrics.Counter.EXPECTED_PACKETS)).isEqualTo(5001);
        assertThat(count(LoopMetrics.Counter.TOO_OLD)).isEqualTo(1);
        assertThat(count(LoopMetrics.Counter.DUPLICATES)).isZero();
        // bits of the window are cleared as it moves: a sequence number 1024 later is new, not a duplicate
        tracker.onPacket(5000 + StreamTracker.WINDOW, 0, 1, 10, false);
        tracker.onPacket(5001, 0, 1, 10, false);
        assertThat(count(LoopMetrics.Counter.DUPLICATES)).isZero();
        tracker.onPacket(5001, 0, 1, 10, false);
        assertThat(count(LoopMetrics.Counter.DUPLICATES)).isEqualTo(1);
    }
}
