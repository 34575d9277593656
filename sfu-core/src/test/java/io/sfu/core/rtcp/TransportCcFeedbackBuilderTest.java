package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class TransportCcFeedbackBuilderTest {
    private static final int CHUNK_OFFSET = TransportCcFeedback.CHUNKS_OFFSET;
    private static final long REFERENCE_TIME_PERIOD_US = (1L << 24) * TransportCcFeedback.REFERENCE_TIME_TICK_US;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder(1024, 1200);

    /** Reported arrival time (µs) by sequence number of every packet reported received. */
    private final Map<Integer, Long> received = new TreeMap<>();
    private final List<Integer> notReceived = new ArrayList<>();

    private int build(int capacity, int feedbackCount) {
        int length = builder.build(buffer, 0, capacity, 0x51, 0x52, feedbackCount);
        assertThat(length).isPositive();
        assertThat(length % 4).isZero();
        assertThat(length).isLessThanOrEqualTo(capacity);
        assertThat(feedback.wrap(buffer, 0, length)).as("builder output parses").isTrue();
        assertThat(feedback.senderSsrc()).isEqualTo(0x51);
        assertThat(feedback.mediaSsrc()).isEqualTo(0x52);
        assertThat(feedback.feedbackPacketCount()).isEqualTo(feedbackCount & 0xFF);
        long[] arrivalUs = {feedback.referenceTimeUs()};
        feedback.forEachPacket((seq, status, deltaUs) -> {
            if (status == TransportCcFeedback.STATUS_NOT_RECEIVED) {
                notReceived.add(seq);
            } else {
                if (status == TransportCcFeedback.STATUS_RECEIVED_NO_DELTA) {
                    fail("the builder never omits a delta");
                }
                arrivalUs[0] += deltaUs;
                if (received.put(seq, arrivalUs[0]) != null) {
                    fail("seq " + seq + " reported received twice");
                }
            }
        });
        return length;
    }

    private int chunk(int index) {
        return buffer.getShort(CHUNK_OFFSET + 2 * index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    @Test
    void encodesConsecutiveArrivalsAsOneRunLengthChunk() {
        for (int i = 0; i < 20; i++) {
            builder.addPacket(100 + i, 5_000_000 + 1000L * i);
        }

        int length = build(1200, 3);

        assertThat(chunk(0)).isEqualTo(0x2000 | 20);
        assertThat(length).isEqualTo(44);
        assertThat(feedback.baseSequenceNumber()).isEqualTo(100);
        assertThat(feedback.packetStatusCount()).isEqualTo(20);
        assertThat(feedback.referenceTime()).isEqualTo(78);
        assertThat(received).hasSize(20).containsEntry(100, 5_000_000L).containsEntry(119, 5_019_000L);
        assertThat(builder.pendingPackets()).isZero();
    }

    @Test
    void encodesScatteredLossesAsAOneBitVector() {
        for (int seq : new int[] {0, 1, 3, 4, 5, 8, 13}) {
            builder.addPacket(seq, 1000L * seq);
        }

        build(1200, 0);

        assertThat(chunk(0)).isEqualTo(0xB721);
        assertThat(feedback.packetStatusCount()).isEqualTo(14);
        assertThat(notReceived).containsExactly(2, 6, 7, 9, 10, 11, 12);
        assertThat(received.keySet()).containsExactly(0, 1, 3, 4, 5, 8, 13);
    }

    @Test
    void packetsLostRightAfterOneFeedbackAreReportedLostInTheNext() {
        for (int seq = 10; seq < 15; seq++) {
            builder.addPacket(seq, 1000L * seq);
        }
        build(1200, 0);
        builder.addPacket(18, 18_000);
        builder.addPacket(19, 19_000);

        build(1200, 1);

        assertThat(feedback.baseSequenceNumber()).isEqualTo(15);
        assertThat(notReceived).containsExactly(15, 16, 17);
        assertThat(received.keySet()).containsExactly(10, 11, 12, 13, 14, 18, 19);
    }

    @Test
    void aLongGapBetweenFeedbacksIsAPauseNotALoss() {
        builder.addPacket(1, 1000);
        build(1200, 0);
        int after = 2 + TransportCcFeedbackBuilder.MAX_UNREPORTED_GAP + 1;
        builder.addPacket(after, 900_000);

        build(1200, 1);

        assertThat(feedback.baseSequenceNumber()).isEqualTo(after);
        assertThat(notReceived).isEmpty();
    }

    @Test
    void encodesALargeDeltaInATwoBitVector() {
        builder.addPacket(7, 64_000);
        builder.addPacket(8, 164_000);
        builder.addPacket(9, 165_000);

        build(1200, 0);

        assertThat(chunk(0)).isEqualTo(0xD900);
        assertThat(received).containsEntry(7, 64_000L).containsEntry(8, 164_000L).containsEntry(9, 165_000L);
    }

    @Test
    void reportsReorderedArrivalsWithNegativeDeltas() {
        builder.addPacket(1, 1_010_000);
        builder.addPacket(0, 1_020_000);
        builder.addPacket(2, 1_005_000);

        build(1200, 0);

        assertThat(received).containsEntry(0, 1_020_000L).containsEntry(1, 1_010_000L).containsEntry(2, 1_005_000L);
    }

    @Test
    void keepsALongLossRunCompact() {
        builder.addPacket(10, 0);
        builder.addPacket(20_010, 1_000);

        int length = build(1200, 0);

        assertThat(feedback.packetStatusCount()).isEqualTo(20_001);
        assertThat(length).isLessThanOrEqualTo(CHUNK_OFFSET + 2 * 5 + 2);
        assertThat(notReceived).hasSize(19_999);
        assertThat(received.keySet()).containsExactly(10, 20_010);
    }

    @Test
    void continuesAcrossTheSequenceNumberWrap() {
        for (int i = 0; i < 12; i++) {
            builder.addPacket((65530 + i) & 0xFFFF, 2000L * i);
        }

        build(1200, 0);

        assertThat(feedback.baseSequenceNumber()).isEqualTo(65530);
        assertThat(feedback.packetStatusCount()).isEqualTo(12);
        assertThat(received.keySet()).contains(65535, 0, 5);
    }

    @Test
    void startsANewFeedbackWhereTheDeltaDoesNotFitSixteenBits() {
        builder.addPacket(1, 0);
        builder.addPacket(2, 10_000_000);

        build(1200, 0);
        assertThat(feedback.packetStatusCount()).isEqualTo(1);
        assertThat(builder.pendingPackets()).isEqualTo(1);
        build(1200, 1);

        assertThat(feedback.baseSequenceNumber()).isEqualTo(2);
        assertThat(received).containsEntry(1, 0L).containsEntry(2, 10_000_000L);
    }

    @Test
    void reportsALateArrivalInTheNextFeedback() {
        builder.addPacket(10, 0);
        builder.addPacket(12, 2_000);
        build(1200, 0);
        assertThat(notReceived).containsExactly(11);

        builder.addPacket(11, 3_000);
        build(1200, 1);

        assertThat(feedback.baseSequenceNumber()).isEqualTo(11);
        assertThat(feedback.packetStatusCount()).isEqualTo(1);
        assertThat(received).containsEntry(11, 3_000L);
    }

    @Test
    void dropsDuplicatesAndRefusesPacketsBeyondItsCapacity() {
        TransportCcFeedbackBuilder small = new TransportCcFeedbackBuilder(2, 100);

        assertThat(small.addPacket(5, 0)).isTrue();
        assertThat(small.addPacket(5, 1)).isFalse();
        assertThat(small.addPacket(6, 2)).isTrue();
        assertThat(small.addPacket(7, 3)).isFalse();
        assertThat(small.pendingPackets()).isEqualTo(2);
        small.clear();
        assertThat(small.pendingPackets()).isZero();
    }

    @Test
    void writesNothingWithoutPacketsOrRoom() {
        assertThat(builder.build(buffer, 0, 1200, 1, 2, 0)).isZero();
        builder.addPacket(1, 0);
        assertThat(builder.build(buffer, 0, 23, 1, 2, 0)).isEqualTo(-1);
        assertThat(builder.pendingPackets()).isEqualTo(1);
        assertThatThrownBy(() -> new TransportCcFeedbackBuilder(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportCcFeedbackBuilder(1, 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitsIntoPacketsThatFitAndReportsEveryArrivalOnceWithin250Us() {
        long seed = 0x7C_C0FFEEL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            String context = "seed " + seed + " round " + round;
            received.clear();
            notReceived.clear();
            builder.clear();
            Map<Integer, Long> sent = new HashMap<>();
            int start = random.nextInt(65536);
            long timeUs = random.nextLong(0, 1L << 40);
            int count = random.nextInt(1, 600);
            int lossPercent = random.nextInt(0, 90);
            for (int i = 0; i < count; i++) {
                timeUs += random.nextInt(100) < 2 ? random.nextLong(0, 12_000_000) : random.nextLong(0, 20_000);
                if (random.nextInt(100) < lossPercent) {
                    continue;
                }
                int seq = (start + i) & 0xFFFF;
                long arrival = timeUs - (random.nextInt(10) == 0 ? random.nextLong(0, 80_000) : 0);
                sent.put(seq, arrival);
            }
            List<Map.Entry<Integer, Long>> shuffled = new ArrayList<>(sent.entrySet());
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Map.Entry<Integer, Long> swap = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, swap);
            }
            for (Map.Entry<Integer, Long> packet : shuffled) {
                assertThat(builder.addPacket(packet.getKey(), packet.getValue())).as(context).isTrue();
            }
            int capacity = random.nextInt(24, 1200);
            int feedbackCount = 0;
            while (builder.pendingPackets() > 0) {
                assertThat(feedbackCount).as(context + ": terminates").isLessThan(1000);
                build(capacity, feedbackCount++);
            }

            assertThat(received.keySet()).as(context).isEqualTo(sent.keySet());
            for (Map.Entry<Integer, Long> packet : sent.entrySet()) {
                // the 24-bit reference time wraps, so arrival times are only known modulo its period
                long error = Math.floorMod(packet.getValue() - received.get(packet.getKey()), REFERENCE_TIME_PERIOD_US);
                if (error >= 250) {
                    fail(context + " seq " + packet.getKey() + " reported " + error + " us early");
                }
            }
            assertThat(Collections.disjoint(notReceived, sent.keySet())).as(context + ": lost means not sent").isTrue();
        }
    }
}
