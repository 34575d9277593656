package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportCcRecorderTest {
    private static final long MS = 1_000_000L;

    private final long now = 9_000 * MS;
    private final TransportCcFeedback feedback = new TransportCcFeedback(256);

    @Test
    void drainReportsBaseCountReceivedFlagsAndArrivalTimes() {
        TransportCcRecorder recorder = new TransportCcRecorder();
        recorder.onPacket(10, now);
        recorder.onPacket(11, now + 1 * MS);
        recorder.onPacket(13, now + 3 * MS);
        assertThat(recorder.pendingCount()).isEqualTo(4);
        assertThat(recorder.drainFeedback(now + 5 * MS, feedback)).isTrue();
        assertThat(feedback.baseSequenceNumber()).isEqualTo(10);
        assertThat(feedback.packetStatusCount()).isEqualTo(4);
        assertThat(feedback.receivedCount()).isEqualTo(3);
        assertThat(feedback.feedbackPacketCount()).isZero();
        boolean[] received = {true, true, false, true};
        long[] arrivals = {now, now + MS, TransportCcFeedback.NOT_RECEIVED, now + 3 * MS};
        for (int i = 0; i < 4; i++) {
            assertThat(feedback.sequenceNumber(i)).isEqualTo(10 + i);
            assertThat(feedback.received(i)).as("packet %d", i).isEqualTo(received[i]);
            assertThat(feedback.arrivalNs(i)).as("packet %d", i).isEqualTo(arrivals[i]);
        }
    }

    @Test
    void nextDrainStartsAfterWhatWasReportedAndCountsFeedbacks() {
        TransportCcRecorder recorder = new TransportCcRecorder();
        recorder.onPacket(10, now);
        recorder.onPacket(11, now);
        recorder.drainFeedback(now, feedback);
        assertThat(recorder.pendingCount()).isZero();
        assertThat(recorder.drainFeedback(now, feedback)).as("nothing waiting").isFalse();
        assertThat(feedback.baseSequenceNumber()).as("left untouched").isEqualTo(10);
        recorder.onPacket(12, now + MS);
        recorder.onPacket(14, now + MS);
        assertThat(recorder.drainFeedback(now + MS, feedback)).isTrue();
        assertThat(feedback.baseSequenceNumber()).isEqualTo(12);
        assertThat(feedback.packetStatusCount()).isEqualTo(3);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(1);
    }

    @Test
    void packetArrivingAfterBeingReportedLostIsReportedAgainAsReceived() {
        TransportCcRecorder recorder = new TransportCcRecorder();
        recorder.onPacket(10, now);
        recorder.onPacket(12, now);
        recorder.drainFeedback(now, feedback);
        recorder.onPacket(11, now + 2 * MS);
        assertThat(recorder.drainFeedback(now + 2 * MS, feedback)).isTrue();
        assertThat(feedback.baseSequenceNumber()).isEqualTo(11);
        assertThat(feedback.packetStatusCount()).isEqualTo(2);
        assertThat(feedback.arrivalNs(0)).isEqualTo(now + 2 * MS);
        assertThat(feedback.arrivalNs(1)).isEqualTo(now);
    }

    @Test
    void rangeAcrossTheSequenceWrapStaysContiguous() {
        TransportCcRecorder recorder = new TransportCcRecorder();
        int[] seqs = {65534, 65535, 0, 1};
        for (int seq : seqs) {
            recorder.onPacket(seq, now);
        }
        recorder.drainFeedback(now, feedback);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(65534);
        assertThat(feedback.packetStatusCount()).isEqualTo(4);
        assertThat(feedback.receivedCount()).isEqualTo(4);
        assertThat(feedback.sequenceNumber(2)).isZero();
    }

    @Test
    void feedbackIsDueAfterTheIntervalOrOnceEnoughPacketsWait() {
        TransportCcRecorder recorder = new TransportCcRecorder(1024, 100 * MS, 10);
        assertThat(recorder.feedbackDue(now)).as("nothing recorded").isFalse();
        recorder.onPacket(0, now);
        assertThat(recorder.feedbackDue(now + 99 * MS)).isFalse();
        assertThat(recorder.feedbackDue(now + 100 * MS)).isTrue();
        recorder.drainFeedback(now + 100 * MS, feedback);
        assertThat(recorder.feedbackDue(now + 300 * MS)).as("nothing waiting").isFalse();
        for (int seq = 1; seq <= 9; seq++) {
            recorder.onPacket(seq, now + 101 * MS);
        }
        assertThat(recorder.feedbackDue(now + 101 * MS)).isFalse();
        recorder.onPacket(10, now + 101 * MS);
        assertThat(recorder.feedbackDue(now + 101 * MS)).as("ten waiting").isTrue();
    }

    @Test
    void rangeLongerThanOneFeedbackIsDrainedInPieces() {
        TransportCcRecorder recorder = new TransportCcRecorder();
        TransportCcFeedback small = new TransportCcFeedback(4);
        for (int seq = 0; seq < 10; seq++) {
            recorder.onPacket(seq, now + seq * MS);
        }
        int[] bases = new int[3];
        int[] counts = new int[3];
        for (int i = 0; i < 3; i++) {
            assertThat(recorder.drainFeedback(now, small)).isTrue();
            bases[i] = small.baseSequenceNumber();
            counts[i] = small.packetStatusCount();
        }
        assertThat(bases).containsExactly(0, 4, 8);
        assertThat(counts).containsExactly(4, 4, 2);
        assertThat(recorder.drainFeedback(now, small)).isFalse();
    }

    @Test
    void backlogBeyondTheRingIsDroppedAndCounted() {
        TransportCcRecorder recorder = new TransportCcRecorder(16, 100 * MS, 100);
        for (int seq = 0; seq < 40; seq++) {
            recorder.onPacket(seq, now);
        }
        assertThat(recorder.pendingCount()).isEqualTo(16);
        recorder.drainFeedback(now, feedback);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(24);
        assertThat(feedback.receivedCount()).isEqualTo(16);
        assertThat(recorder.droppedCount()).isEqualTo(24);
    }

    @Test
    void jumpOfMoreThanTheRingReportsAtMostOneRingOfLosses() {
        TransportCcRecorder recorder = new TransportCcRecorder(16, 100 * MS, 100);
        recorder.onPacket(0, now);
        recorder.drainFeedback(now, feedback);
        recorder.onPacket(5_000, now);
        assertThat(recorder.pendingCount()).isEqualTo(16);
        recorder.drainFeedback(now, feedback);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(5_000 - 15);
        assertThat(feedback.receivedCount()).isEqualTo(1);
    }

    @Test
    void duplicateKeepsTheFirstArrivalAndOldPacketsAreIgnored() {
        TransportCcRecorder recorder = new TransportCcRecorder(16, 100 * MS, 100);
        recorder.onPacket(100, now);
        recorder.onPacket(100, now + 5 * MS);
        recorder.onPacket(100 - 16, now + 5 * MS);
        recorder.drainFeedback(now, feedback);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(100);
        assertThat(feedback.packetStatusCount()).isEqualTo(1);
        assertThat(feedback.arrivalNs(0)).isEqualTo(now);
        assertThat(recorder.droppedCount()).isEqualTo(2);
    }

    @Test
    void settingsAreValidatedByName() {
        assertThatThrownBy(() -> new TransportCcRecorder(1000, MS, 1)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new TransportCcRecorder(1024, 0, 1)).hasMessageContaining("feedbackIntervalNs");
        assertThatThrownBy(() -> new TransportCcRecorder(1024, MS, 0)).hasMessageContaining("packetThreshold");
        assertThatThrownBy(() -> new TransportCcFeedback(0)).hasMessageContaining("maxPackets");
    }

    @Test
    void everyArrivalIsReportedAsReceivedWithItsTimeAndNothingElseIs() {
        long seed = 0x7CC;
        SplittableRandom random = new SplittableRandom(seed);
        TransportCcRecorder recorder = new TransportCcRecorder(256, 50 * MS, 60);
        TransportCcFeedback out = new TransportCcFeedback(40);
        int steps = 30_000;
        int base = 60_000; // crosses the wrap
        long[] arrival = new long[steps];
        boolean[] reportedReceived = new boolean[steps];
        int held = -1;
        int newest = 0;
        long t = now;
        for (int i = 0; i < steps; i++) {
            t += 200_000;
            if (random.nextInt(20) == 0) {
                continue; // lost
            }
            if (held < 0 && random.nextInt(10) == 0) {
                held = i; // arrives a few packets late
                continue;
            }
            arrival[i] = t;
            recorder.onPacket((base + i) & 0xFFFF, t);
            newest = i;
            if (held >= 0 && random.nextInt(3) == 0) {
                arrival[held] = t;
                recorder.onPacket((base + held) & 0xFFFF, t);
                held = -1;
            }
            while (recorder.feedbackDue(t) && recorder.drainFeedback(t, out)) {
                check(out, base, newest, arrival, reportedReceived, "seed " + seed + ", step " + i);
            }
        }
        while (recorder.drainFeedback(t, out)) {
            check(out, base, newest, arrival, reportedReceived, "seed " + seed + ", at the end");
        }
        for (int i = 0; i < steps; i++) {
            assertThat(reportedReceived[i]).as("seed %d: packet %d", seed, i).isEqualTo(arrival[i] != 0);
        }
        assertThat(recorder.droppedCount()).isZero();
    }

    /** Checks one feedback against the arrivals so far; steps are extended sequence numbers minus base. */
    private static void check(TransportCcFeedback out, int base, int newest, long[] arrival,
        boolean[] reportedReceived, String context) {
        int first = newest - ((base + newest - out.baseSequenceNumber()) & 0xFFFF);
        for (int k = 0; k < out.packetStatusCount(); k++) {
            int step = first + k;
            assertThat(out.received(k)).as("%s, packet %d", context, step).isEqualTo(arrival[step] != 0);
            if (out.received(k)) {
                assertThat(out.arrivalNs(k)).as("%s, packet %d", context, step).isEqualTo(arrival[step]);
                reportedReceived[step] = true;
            }
        }
    }

    @Test
    void recordingAndDrainingAllocateNothing() {
        TransportCcRecorder recorder = new TransportCcRecorder();
        long[] state = {0, now};
        int[] sink = new int[1];
        double bytes = Allocations.bytesPerRun(() -> {
            int i = (int) state[0]++;
            state[1] += 100_000;
            if (i % 13 != 0) {
                recorder.onPacket(i, state[1]);
            }
            if (recorder.feedbackDue(state[1]) && recorder.drainFeedback(state[1], feedback)) {
                sink[0] += feedback.receivedCount();
            }
        });
        assertThat(bytes).isLessThan(0.01);
        assertThat(sink[0]).isPositive();
    }
}
