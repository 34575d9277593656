package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiveStatisticsTest {
    private static final int VIDEO_CLOCK = 90_000;
    private static final long MS = 1_000_000L;
    /** 20 ms of video at 90 kHz. */
    private static final int FRAME_TICKS = 1800;

    private long now = 5_000 * MS;

    /** Feeds a packet that arrives exactly at its timestamp's pace (no jitter). */
    private boolean paced(ReceiveStatistics stats, int seq, int frame) {
        return stats.onPacket(seq, frame * FRAME_TICKS, now + frame * 20 * MS, 1000);
    }

    @Test
    void firstPacketIsOnProbationUntilASecondArrivesInSequence() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK);
        assertThat(paced(stats, 100, 0)).isFalse();
        assertThat(stats.hasReceived()).isFalse();
        assertThat(stats.expected()).isZero();
        assertThat(paced(stats, 101, 1)).isTrue();
        assertThat(stats.hasReceived()).isTrue();
        assertThat(stats.packetsReceived()).isEqualTo(1);
        assertThat(stats.extendedHighestSequence()).isEqualTo(101);
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void outOfSequencePacketDuringProbationStartsItAgain() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK);
        paced(stats, 100, 0);
        assertThat(paced(stats, 105, 1)).isFalse();
        assertThat(paced(stats, 106, 2)).isTrue();
        assertThat(stats.extendedHighestSequence()).isEqualTo(106);
    }

    @Test
    void minSequentialOfOneAcceptsTheFirstPacket() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        assertThat(paced(stats, 7, 0)).isTrue();
        assertThat(stats.hasReceived()).isTrue();
        assertThat(stats.expected()).isEqualTo(1);
    }

    @Test
    void sequenceWrapAddsACycleToTheExtendedHighestSequence() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        int[] seqs = {65534, 65535, 0, 1};
        for (int i = 0; i < seqs.length; i++) {
            assertThat(paced(stats, seqs[i], i)).isTrue();
        }
        assertThat(stats.extendedHighestSequence()).isEqualTo(65536 + 1);
        assertThat(stats.expected()).isEqualTo(4);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void lossIsCountedCumulativelyAndAsAFractionOfEachInterval() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 7) {
                paced(stats, seq, seq);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(2);
        assertThat(stats.fractionLost()).isEqualTo(2 * 256 / 10);
        stats.onReportSent();
        assertThat(stats.fractionLost()).isZero();
        for (int seq = 10; seq < 20; seq++) {
            paced(stats, seq, seq);
        }
        assertThat(stats.fractionLost()).isZero();
        assertThat(stats.cumulativeLost()).isEqualTo(2);
        paced(stats, 3, 20); // a late arrival fills one hole
        assertThat(stats.cumulativeLost()).isEqualTo(1);
    }

    @Test
    void duplicatesCountAsReceivedSoCumulativeLossGoesNegativeButFractionStaysZero() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        int[] seqs = {0, 1, 2, 2, 2};
        for (int i = 0; i < seqs.length; i++) {
            paced(stats, seqs[i], i);
        }
        assertThat(stats.cumulativeLost()).isEqualTo(-2);
        assertThat(stats.fractionLost()).isZero();
    }

    @Test
    void cumulativeLossIsClampedToTwentyFourSignedBits() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        int seq = 0;
        for (int i = 0; i < 3000; i++) {
            stats.onPacket(seq, i * FRAME_TICKS, now + i * 20 * MS, 100);
            seq = (seq + ReceiveStatistics.MAX_DROPOUT - 1) & 0xFFFF; // the largest jump still taken as loss
        }
        assertThat(stats.expected() - stats.packetsReceived()).isGreaterThan(0x7FFFFF);
        assertThat(stats.cumulativeLost()).isEqualTo(0x7FFFFF);
        assertThat(stats.fractionLost()).isEqualTo(255);
    }

    @Test
    void isolatedLargeJumpIsDroppedAndTwoInSequenceRestartTheSource() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        for (int seq = 0; seq < 10; seq++) {
            paced(stats, seq, seq);
        }
        assertThat(paced(stats, 20_000, 10)).isFalse();
        assertThat(stats.extendedHighestSequence()).isEqualTo(9);
        assertThat(paced(stats, 20_001, 11)).isTrue();
        assertThat(stats.extendedHighestSequence()).isEqualTo(20_001);
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void reorderedPacketWithinTheMisorderLimitCountsAsReceived() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        int[] seqs = {10, 11, 13, 12, 14};
        for (int i = 0; i < seqs.length; i++) {
            assertThat(paced(stats, seqs[i], i)).isTrue();
        }
        assertThat(stats.extendedHighestSequence()).isEqualTo(14);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void jitterIsZeroWhenPacketsArriveAtTheirTimestampsPace() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        for (int i = 0; i < 100; i++) {
            paced(stats, i, i);
        }
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void jitterFollowsTheRfcEstimatorForAlternatingDelays() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        double expected = 0;
        for (int i = 0; i < 200; i++) {
            long delayNs = (i % 2) * 10 * MS; // every other packet 10 ms late: |D| = 900 ticks from the second on
            stats.onPacket(i, i * FRAME_TICKS, now + i * 20 * MS + delayNs, 1000);
            if (i > 0) {
                expected += (900 - expected) / 16; // RFC 3550 §6.4.1: J += (|D| - J) / 16
            }
            // the RFC's integer form (A.8) rounds each step and truncates the report: within two ticks
            assertThat((double) stats.jitter()).as("packet %d", i).isCloseTo(expected, Offset.offset(2.0));
        }
        assertThat(stats.jitter()).isBetween(890L, 900L);
    }

    @Test
    void jitterIsUnaffectedByRtpTimestampWrap() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        int base = -5 * FRAME_TICKS; // wraps through 2^32 after five frames
        for (int i = 0; i < 20; i++) {
            stats.onPacket(i, base + i * FRAME_TICKS, now + i * 20 * MS, 1000);
        }
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void jitterStaysExactAfterHundredsOfHoursOfArrivalTime() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        long pauseNs = 400L * 3600 * 1_000_000_000L; // arrival time × 90 kHz would overflow a long
        int pauseTicks = (int) (400L * 3600 * VIDEO_CLOCK);
        for (int i = 0; i < 10; i++) {
            stats.onPacket(i, i * FRAME_TICKS, now + i * 20 * MS, 1000);
        }
        for (int i = 10; i < 20; i++) {
            stats.onPacket(i, pauseTicks + i * FRAME_TICKS, now + pauseNs + i * 20 * MS, 1000);
        }
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void retransmittedPacketCountsAsReceivedButNotForJitter() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 5) {
                paced(stats, seq, seq);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(1);
        assertThat(stats.onRetransmittedPacket(5, now + 500 * MS, 1000)).isTrue();
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.jitter()).isZero();
        assertThat(stats.packetsReceived()).isEqualTo(10);
        assertThat(stats.bytesReceived()).isEqualTo(10_000);
    }

    @Test
    void lastSenderReportFieldsComeFromTheLastSenderReport() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK, 1);
        assertThat(stats.lastSenderReport()).isZero();
        assertThat(stats.delaySinceLastSenderReport(now)).isZero();
        stats.onSenderReport(0x1234_5678_9ABC_DEF0L, now);
        assertThat(stats.lastSenderReport()).isEqualTo(0x5678_9ABC);
        assertThat(stats.delaySinceLastSenderReport(now + 1_500 * MS)).isEqualTo(3 * 65536 / 2);
        assertThat(stats.delaySinceLastSenderReport(now - MS)).isZero();
    }

    @Test
    void settingsAreValidatedByName() {
        assertThatThrownBy(() -> new ReceiveStatistics(0)).hasMessageContaining("clockRateHz");
        assertThatThrownBy(() -> new ReceiveStatistics(VIDEO_CLOCK, 0)).hasMessageContaining("minSequential");
    }

    @Test
    void recordingAndReportingAllocateNothing() {
        ReceiveStatistics stats = new ReceiveStatistics(VIDEO_CLOCK);
        stats.onSenderReport(0x1234_5678_9ABC_DEF0L, now);
        long[] state = {0, now};
        long[] sink = new long[1];
        double bytes = Allocations.bytesPerRun(() -> {
            int i = (int) state[0]++;
            if (i % 17 != 0) {
                stats.onPacket(i, i * FRAME_TICKS, state[1] += 20 * MS, 1200);
            }
            sink[0] += stats.extendedHighestSequence() + stats.cumulativeLost() + stats.fractionLost()
                + stats.jitter() + stats.lastSenderReport() + stats.delaySinceLastSenderReport(state[1]);
            if (i % 50 == 0) {
                stats.onReportSent();
            }
        });
        assertThat(bytes).isLessThan(0.01);
    }

    @Test
    void theReportBlockCarriesTheStatisticsAndStartsTheNextLossInterval() {
        ReceiveStatistics statistics = new ReceiveStatistics(90_000, 1);
        long now = 1_000_000_000L;
        for (int seq = 10; seq < 20; seq++) {
            if (seq != 13 && seq != 14) {
                statistics.onPacket(seq, 3000 * seq, now, 100);
            }
        }
        statistics.onSenderReport(0x0001_0002_0003_0004L, now);
        org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);

        int length = statistics.writeReportBlock(buffer, io.sfu.core.rtcp.ReceiverReport.length(0), 0xABCD,
            now + 500_000_000L);
        int reportLength = io.sfu.core.rtcp.ReceiverReport.write(buffer, 0, 1, 1);

        io.sfu.core.rtcp.ReceiverReport report = new io.sfu.core.rtcp.ReceiverReport();
        assertThat(report.wrap(buffer, 0, reportLength)).isTrue();
        io.sfu.core.rtcp.ReportBlock block = report.reportBlock(0, new io.sfu.core.rtcp.ReportBlock());
        assertThat(length).isEqualTo(io.sfu.core.rtcp.ReportBlock.LENGTH);
        assertThat(block.ssrc()).isEqualTo(0xABCD);
        assertThat(block.cumulativeLost()).isEqualTo(2);
        assertThat(block.fractionLost()).isEqualTo(2 * 256 / 10);
        assertThat(block.extendedHighestSequence()).isEqualTo(19);
        assertThat(block.lastSenderReport()).isEqualTo(0x0002_0003L);
        assertThat(block.delaySinceLastSenderReport()).isEqualTo(1L << 15);
        assertThat(statistics.fractionLost()).as("the next interval starts empty").isZero();
    }
}
