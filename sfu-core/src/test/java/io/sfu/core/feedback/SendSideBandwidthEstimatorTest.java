package io.sfu.core.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.rtcp.TransportCcFeedback;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The estimator against a simulated path: a sender paced at the estimate, 1,200-byte packets, a bottleneck of a
 * given capacity with a queue in front of it (20 ms base delay), optional loss, and the receiver's transport-wide
 * feedback every 100 ms, built with the same builder the SFU sends its own feedback with.
 */
class SendSideBandwidthEstimatorTest {
    private static final int PACKET_BYTES = 1200;
    private static final long FEEDBACK_INTERVAL_NS = 100_000_000L;
    private static final long BASE_DELAY_NS = 20_000_000L;

    private final SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator();
    private final TransportCcFeedbackBuilder receiver = new TransportCcFeedbackBuilder(1024, 1200);
    private final UnsafeBuffer packet = new UnsafeBuffer(new byte[1500]);
    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private long nowNs = 1_000_000_000L;
    private long queueFreeNs;
    private int sequence;
    private long nextSendNs = nowNs;
    private long nextFeedbackNs = nowNs + FEEDBACK_INTERVAL_NS;
    private int feedbackCount;
    /** Every this many packets, one arrives 30 ms late, after several sent after it (0: never). */
    private int reorderEvery;
    /** Every this many packets, a burst of {@link #BURST} consecutive ones is lost (0: never). */
    private int burstEvery;
    private static final int BURST = 8;

    /**
     * Runs the path for {@code seconds} at {@code capacityBps}, losing every {@code lossEvery}-th packet (0: none);
     * the sender sends at the estimate, or at {@code fixedRateBps} when it is positive.
     */
    private void run(double seconds, long capacityBps, int lossEvery, long fixedRateBps) {
        estimator.onTime(nowNs);
        long endNs = nowNs + (long) (seconds * 1e9);
        while (nowNs < endNs) {
            if (nextSendNs <= nextFeedbackNs) {
                nowNs = nextSendNs;
                int seq = sequence++ & 0xFFFF;
                estimator.onPacketSent(seq, PACKET_BYTES, nowNs);
                long serviceNs = PACKET_BYTES * 8L * 1_000_000_000L / capacityBps;
                queueFreeNs = Math.max(queueFreeNs, nowNs) + serviceNs;
                boolean lost = (lossEvery != 0 && sequence % lossEvery == 0)
                    || (burstEvery != 0 && sequence % burstEvery < BURST);
                if (!lost) {
                    long lateNs = reorderEvery != 0 && sequence % reorderEvery == 0 ? 30_000_000L : 0;
                    receiver.addPacket(seq, (queueFreeNs + BASE_DELAY_NS + lateNs) / 1000);
                }
                long rate = fixedRateBps > 0 ? fixedRateBps : estimator.estimateBps();
                nextSendNs = nowNs + PACKET_BYTES * 8L * 1_000_000_000L / rate;
            } else {
                nowNs = nextFeedbackNs;
                nextFeedbackNs += FEEDBACK_INTERVAL_NS;
                deliverFeedback();
            }
        }
    }

    private void deliverFeedback() {
        while (receiver.pendingPackets() > 0) {
            int length = receiver.build(packet, 0, 1200, 1, 2, feedbackCount++ & 0xFF);
            if (length <= 0 || !feedback.wrap(packet, 0, length)) {
                return;
            }
            estimator.onFeedback(feedback, nowNs);
        }
    }

    @Test
    void onAnOpenPathTheEstimateGrowsTowardTheCapacityAndNoFurther() {
        run(25, 5_000_000, 0, 0);

        assertThat(estimator.hasFeedback()).isTrue();
        assertThat(estimator.estimateBps()).isBetween(2_500_000L, 6_500_000L);
    }

    @Test
    void whenTheCapacityDropsTheEstimateFollowsItDownWithinTwoSeconds() {
        run(15, 4_000_000, 0, 0);
        long before = estimator.estimateBps();
        long overusesBefore = estimator.overuseCount();

        run(2, 1_000_000, 0, 0);

        assertThat(before).isGreaterThan(2_000_000L);
        assertThat(estimator.overuseCount()).isGreaterThan(overusesBefore);
        assertThat(estimator.estimateBps()).isLessThanOrEqualTo(1_200_000L);
    }

    @Test
    void whenTheCapacityReturnsTheEstimateClimbsBack() {
        run(10, 4_000_000, 0, 0);
        run(5, 800_000, 0, 0);
        long low = estimator.estimateBps();

        run(15, 4_000_000, 0, 0);

        assertThat(low).isLessThan(1_000_000L);
        assertThat(estimator.estimateBps()).isGreaterThan(2 * low);
    }

    @Test
    void heavyLossBringsTheEstimateDownEvenWithoutQueueing() {
        long start = estimator.estimateBps();
        // one packet in four lost on a path far wider than the sending rate: a cut every half second
        run(4, 50_000_000, 4, 0);

        assertThat(estimator.estimateBps()).isLessThan(start / 2);
    }

    @Test
    void heavyLossCutsTheEstimateFromWhatThePathDeliveredWhenThatIsLess() {
        // 1.5 Mbit/s sent under the initial 10 Mbit/s estimate, one packet in two lost: the cut starts from the
        // 750 kbit/s that arrived, not from the estimate nothing tested
        run(1, 50_000_000, 2, 1_500_000);

        assertThat(estimator.estimateBps()).isLessThan(750_000L);
    }

    @Test
    void aFewPacketsLostAtALowRateDoNotBringTheEstimateDownToThatRate() {
        // 200 kbit/s (21 packets a second), one in five lost: a fifth of a window, but 4 packets, not 12
        run(1.5, 50_000_000, 5, 200_000);

        assertThat(estimator.estimateBps()).as("cut by a share of itself, not to what 200 kbit/s delivered")
            .isGreaterThan(5_000_000L);
    }

    @Test
    void aPathThatDropsManyPacketsIsJudgedBeforeTheHalfSecondWindowEnds() {
        run(5, 50_000_000, 0, 2_000_000);
        long before = estimator.estimateBps();

        // one in three lost, from just before a window opens (they open every 500 ms from the first feedback): with
        // 100 ms feedback of about 21 packets, 14 are lost by its second report, 150 ms before the window would end
        run(0.35, 50_000_000, 3, 2_000_000);

        assertThat(before).isGreaterThan(2_000_000L);
        assertThat(estimator.estimateBps()).isLessThan(2_000_000L);
    }

    @Test
    void whatAFailedProbeLostDoesNotCountAsTheMediaPathLosingIt() {
        long low = narrowThenSendLittle(500_000);
        // the probe's packets beyond the path's 500 kbit/s are lost (every other one), the media around it is not
        estimator.startProbe(1_000_000);
        run(0.3, 50_000_000, 2, 1_000_000);
        estimator.endProbe(nowNs);
        run(1, 50_000_000, 0, 150_000);

        assertThat(estimator.probesFailed()).isEqualTo(1);
        assertThat(estimator.estimateBps()).as("not cut by the probe's loss").isGreaterThanOrEqualTo(low);
    }

    @Test
    void lightLossAloneDoesNotHoldTheEstimateBack() {
        long start = estimator.estimateBps();
        run(5, 50_000_000, 100, 0);

        assertThat(estimator.estimateBps()).isGreaterThan(start);
    }

    @Test
    void aReceiverThatSendsOnlyRembHasItsEstimateTakenUntilTransportWideFeedbackArrives() {
        assertThat(estimator.hasFeedback()).isFalse();

        estimator.onReceiverEstimate(800_000);
        assertThat(estimator.hasFeedback()).isTrue();
        assertThat(estimator.estimateBps()).isEqualTo(800_000L);

        run(1, 50_000_000, 0, 1_000_000);
        assertThat(estimator.feedbackCount()).isPositive();
        assertThat(estimator.estimateBps()).as("the transport-wide estimate takes over").isGreaterThan(800_000L);
    }

    @Test
    void aBurstLostOnceASecondDoesNotHoldTheEstimateDown() {
        run(5, 50_000_000, 0, 2_000_000);
        long before = estimator.estimateBps();
        // at 2 Mbit/s, 208 packets a second: 8 of them lost together is a third of one feedback but 4% of the second
        burstEvery = 208;
        run(10, 50_000_000, 0, 2_000_000);

        assertThat(estimator.estimateBps()).isGreaterThanOrEqualTo(before * 9 / 10);
    }

    @Test
    void packetsArrivingOutOfOrderAreNotReadAsCongestion() {
        reorderEvery = 7;
        run(20, 50_000_000, 0, 3_000_000);

        assertThat(estimator.overuseCount()).isZero();
        assertThat(estimator.estimateBps()).isEqualTo(SendSideBandwidthEstimator.INITIAL_BPS);
    }

    /** Sends a probe cluster of {@code durationMs} at {@code targetBps}, then waits a second for its feedback. */
    private void probe(long targetBps, int durationMs, long capacityBps) {
        estimator.startProbe(targetBps);
        run(durationMs / 1000.0, capacityBps, 0, targetBps);
        estimator.endProbe(nowNs);
        run(1, capacityBps, 0, 150_000);
    }

    /** The path narrows to 500 kbit/s under a sender at the estimate, then only a 150 kbit/s layer is sent. */
    private long narrowThenSendLittle(long capacityAfterBps) {
        run(10, 4_000_000, 0, 0);
        run(5, 500_000, 0, 0);
        long low = estimator.estimateBps();
        run(10, capacityAfterBps, 0, 150_000);
        return low;
    }

    @Test
    void withoutAProbeTheEstimateGrowsNoFurtherThanHalfAgainWhatThePathDelivered() {
        long low = narrowThenSendLittle(50_000_000);

        assertThat(low).isBetween(300_000L, 600_000L);
        assertThat(estimator.estimateBps()).as("150 kbit/s sent for 10 s on a wide path")
            .isLessThanOrEqualTo(Math.max(low, 150_000L * 3 / 2 + 10_000));
    }

    @Test
    void aProbeThePathCarriesSucceedsAndRaisesTheEstimateToItsRate() {
        long low = narrowThenSendLittle(50_000_000);

        probe(2 * low, 300, 50_000_000);

        assertThat(estimator.probesSucceeded()).isEqualTo(1);
        assertThat(estimator.probing()).isFalse();
        assertThat(estimator.lastProbeResultBps()).isBetween(2 * low * 90 / 100, 2 * low * 105 / 100);
        assertThat(estimator.estimateBps()).isGreaterThanOrEqualTo(2 * low * 90 / 100);
    }

    @Test
    void aProbeBeyondTheBottleneckFailsAndFindsWhatThePathDelivers() {
        long low = narrowThenSendLittle(500_000);

        probe(1_000_000, 300, 500_000);

        assertThat(estimator.probesFailed()).isEqualTo(1);
        assertThat(estimator.probesSucceeded()).isZero();
        assertThat(estimator.lastProbeResultBps()).isBetween(400_000L, 500_000L);
        assertThat(estimator.estimateBps()).isLessThanOrEqualTo(Math.max(low, 500_000L));
    }

    @Test
    void aProbeWhoseFeedbackNeverComesFailsOnceItsTimeIsUp() {
        estimator.startProbe(1_000_000);
        for (int i = 0; i < 10; i++) {
            estimator.onPacketSent(i, PACKET_BYTES, nowNs + i * 10_000_000L);
        }
        estimator.endProbe(nowNs + 100_000_000L);
        estimator.onTime(nowNs + 1_000_000_000L);
        assertThat(estimator.probing()).isTrue();

        estimator.onTime(nowNs + 1_700_000_000L);

        assertThat(estimator.probing()).isFalse();
        assertThat(estimator.probesFailed()).isEqualTo(1);
    }

    @Test
    void takingFeedbackAllocatesNothing() {
        run(2, 3_000_000, 0, 1_000_000);
        double bytes = Allocations.bytesPerRun(() -> run(0.1, 3_000_000, 0, 1_000_000));

        assertThat(bytes).isZero();
    }

    @Test
    void feedbackAboutPacketsItNeverSentIsIgnored() {
        // a publisher's leg sends nothing and keeps no history: whatever feedback it is sent changes nothing
        for (int i = 0; i < 50; i++) {
            receiver.addPacket(i, 1_000_000L + i * 1_000L);
        }
        int length = receiver.build(packet, 0, 1200, 0x77, 0x99, 0);
        assertThat(feedback.wrap(packet, 0, length)).isTrue();

        estimator.onFeedback(feedback, nowNs);

        assertThat(estimator.estimateBps()).isEqualTo(SendSideBandwidthEstimator.INITIAL_BPS);
        assertThat(estimator.feedbackCount()).isEqualTo(1);
    }
}
