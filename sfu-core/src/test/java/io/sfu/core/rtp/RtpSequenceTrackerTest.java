package io.sfu.core.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtpSequenceTrackerTest {

    @Test
    void acceptsANewSourceAfterTwoSequentialPackets() {
        RtpSequenceTracker tracker = new RtpSequenceTracker(1000);

        assertThat(tracker.update(1000)).isFalse();
        assertThat(tracker.isOnProbation()).isTrue();
        assertThat(tracker.update(1001)).isTrue();
        assertThat(tracker.isOnProbation()).isFalse();
        assertThat(tracker.update(1002)).isTrue();
        assertThat(tracker.received()).isEqualTo(2);
        assertThat(tracker.expected()).isEqualTo(2);
        assertThat(tracker.extendedHighestSequence()).isEqualTo(1002);
    }

    @Test
    void restartsProbationOnANonSequentialPacket() {
        RtpSequenceTracker tracker = new RtpSequenceTracker(10);
        tracker.update(10);

        assertThat(tracker.update(20)).isFalse();
        assertThat(tracker.update(21)).isTrue();
    }

    @Test
    void countsCyclesAcrossTheWrap() {
        RtpSequenceTracker tracker = valid(65534);

        tracker.update(65535);
        tracker.update(0);
        tracker.update(1);

        assertThat(tracker.extendedHighestSequence()).isEqualTo(65536 + 1);
        assertThat(tracker.expected()).isEqualTo(4);
        assertThat(tracker.lost()).isZero();
    }

    @Test
    void countsLossAndTheFractionLostPerInterval() {
        RtpSequenceTracker tracker = valid(100);
        for (int seq = 101; seq < 200; seq++) {
            if (seq % 4 != 1) {
                tracker.update(seq);
            }
        }

        assertThat(tracker.expected()).isEqualTo(100);
        assertThat(tracker.lost()).isEqualTo(25);
        assertThat(tracker.takeFractionLost()).isEqualTo(64);
        assertThat(tracker.takeFractionLost()).as("a new, empty interval").isZero();
    }

    @Test
    void ignoresOneLargeJumpButRestartsAfterTwoSequentialPacketsThere() {
        RtpSequenceTracker tracker = valid(100);

        assertThat(tracker.update(30000)).isFalse();
        assertThat(tracker.extendedHighestSequence()).isEqualTo(100);
        assertThat(tracker.update(30001)).isTrue();
        assertThat(tracker.extendedHighestSequence()).isEqualTo(30001);
        assertThat(tracker.received()).isEqualTo(1);
    }

    @Test
    void countsReorderedAndDuplicatePacketsAsReceived() {
        RtpSequenceTracker tracker = valid(500);
        tracker.update(502);

        assertThat(tracker.update(501)).isTrue();
        assertThat(tracker.update(501)).isTrue();
        assertThat(tracker.extendedHighestSequence()).isEqualTo(502);
        assertThat(tracker.lost()).isEqualTo(-1);
        assertThat(tracker.takeFractionLost()).as("duplicates never report negative loss").isZero();
    }

    /** A tracker whose source became valid with {@code first - 1}, {@code first}. */
    private static RtpSequenceTracker valid(int first) {
        int previous = (first - 1) & 0xFFFF;
        RtpSequenceTracker tracker = new RtpSequenceTracker(previous);
        tracker.update(previous);
        assertThat(tracker.update(first)).isTrue();
        return tracker;
    }
}
