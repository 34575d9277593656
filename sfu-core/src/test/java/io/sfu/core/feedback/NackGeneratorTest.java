package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NackGeneratorTest {
    private static final long MS = 1_000_000L;
    private static final long RTT = 50 * MS;

    private final int[] words = new int[16];
    private long now = -7_000 * MS; // nanoTime may be negative: only differences count

    private NackGenerator generator(int capacity, int maxRetries) {
        return new NackGenerator(capacity, maxRetries, 1_000 * MS, 10 * MS, 0);
    }

    private static void receive(NackGenerator nacks, long nowNs, int... seqs) {
        for (int seq : seqs) {
            nacks.onPacket(seq, nowNs);
        }
    }

    private static int word(int pid, int blp) {
        return pid << 16 | blp;
    }

    /** The sequence numbers a list of FCI words asks for, in order. */
    private static List<Integer> requested(int[] fci, int count) {
        List<Integer> seqs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int pid = fci[i] >>> 16;
            seqs.add(pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((fci[i] & (1 << bit)) != 0) {
                    seqs.add((pid + bit + 1) & 0xFFFF);
                }
            }
        }
        return seqs;
    }

    @Test
    void gapsAreRequestedAsPidAndBitmask() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 100, 101, 104, 106);
        assertThat(nacks.missingCount()).isEqualTo(3);
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(1);
        // RFC 4585 §6.2.1: PID 102, BLP bit 1 -> 103, bit 3 -> 105
        assertThat(words[0]).isEqualTo(word(102, 0b101));
        assertThat(nacks.requestedCount()).isEqualTo(3);
    }

    @Test
    void latePacketRemovesItsRequest() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 100, 103);
        assertThat(nacks.onPacket(101, now)).isTrue();
        assertThat(nacks.onPacket(101, now)).as("duplicate").isFalse();
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(1);
        assertThat(words[0]).isEqualTo(word(102, 0));
        assertThat(nacks.recoveredCount()).isEqualTo(1);
    }

    @Test
    void noLossWritesNothing() {
        NackGenerator nacks = generator(64, 3);
        for (int seq = 0; seq < 200; seq++) {
            nacks.onPacket(seq, now);
        }
        assertThat(nacks.collectRequests(now, RTT, words)).isZero();
    }

    @Test
    void requestIsRepeatedOnlyAfterARoundTrip() {
        NackGenerator nacks = generator(64, 5);
        receive(nacks, now, 1, 3);
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(1);
        assertThat(nacks.collectRequests(now + RTT - 1, RTT, words)).isZero();
        assertThat(nacks.collectRequests(now + RTT, RTT, words)).isEqualTo(1);
        assertThat(words[0]).isEqualTo(word(2, 0));
    }

    @Test
    void retryFloorAppliesWhenTheRoundTripIsTiny() {
        NackGenerator nacks = generator(64, 5);
        receive(nacks, now, 1, 3);
        assertThat(nacks.collectRequests(now, 0, words)).isEqualTo(1);
        assertThat(nacks.collectRequests(now + 9 * MS, 0, words)).isZero();
        assertThat(nacks.collectRequests(now + 10 * MS, 0, words)).isEqualTo(1);
    }

    @Test
    void givesUpAfterMaxRetries() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 1, 3);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(nacks.collectRequests(now + attempt * RTT, RTT, words)).isEqualTo(1);
        }
        assertThat(nacks.collectRequests(now + 3 * RTT, RTT, words)).isZero();
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.abandonedCount()).isEqualTo(1);
        assertThat(nacks.onPacket(2, now + 4 * RTT)).as("arrives after we gave up").isFalse();
    }

    @Test
    void givesUpOnPacketsMissingLongerThanMaxAge() {
        NackGenerator nacks = new NackGenerator(64, 100, 200 * MS, 10 * MS, 0);
        receive(nacks, now, 1, 3);
        assertThat(nacks.collectRequests(now + 200 * MS, RTT, words)).isEqualTo(1);
        assertThat(nacks.collectRequests(now + 201 * MS, 0, words)).isZero();
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.abandonedCount()).isEqualTo(1);
    }

    @Test
    void reorderDelayHoldsBackTheFirstRequest() {
        NackGenerator nacks = new NackGenerator(64, 3, 1_000 * MS, 10 * MS, 5 * MS);
        receive(nacks, now, 1, 3);
        assertThat(nacks.collectRequests(now + 4 * MS, RTT, words)).isZero();
        assertThat(nacks.collectRequests(now + 5 * MS, RTT, words)).isEqualTo(1);
    }

    @Test
    void gapAcrossTheSequenceWrapIsRequestedWithWrappedNumbers() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 65532, 65533, 1);
        assertThat(nacks.highestSequence()).isEqualTo(1);
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(1);
        assertThat(words[0]).isEqualTo(word(65534, 0b11));
        assertThat(requested(words, 1)).containsExactly(65534, 65535, 0);
    }

    @Test
    void moreThanSixteenFollowingLossesStartANewWord() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 0, 20);
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(2);
        assertThat(words[0]).isEqualTo(word(1, 0xFFFF));
        assertThat(words[1]).isEqualTo(word(18, 0b1));
    }

    @Test
    void requestsThatDoNotFitStayDueForTheNextCall() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 0, 20);
        int[] one = new int[1];
        assertThat(nacks.collectRequests(now, RTT, one)).isEqualTo(1);
        assertThat(one[0]).isEqualTo(word(1, 0xFFFF));
        assertThat(nacks.collectRequests(now, RTT, one)).isEqualTo(1);
        assertThat(one[0]).isEqualTo(word(18, 0b1));
        assertThat(nacks.collectRequests(now, RTT, one)).isZero();
        assertThat(nacks.requestedCount()).isEqualTo(19);
    }

    @Test
    void hugeForwardJumpResetsInsteadOfMarkingEverythingLost() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 0, 10);
        receive(nacks, now, 5_000);
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.resetCount()).isEqualTo(1);
        assertThat(nacks.highestSequence()).isEqualTo(5_000);
        assertThat(nacks.collectRequests(now, RTT, words)).isZero();
        receive(nacks, now, 5_002);
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(1);
        assertThat(words[0]).isEqualTo(word(5_001, 0));
    }

    @Test
    void isolatedPacketFarBehindIsIgnoredButTwoInSequenceRestart() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 1_000, 1_002);
        receive(nacks, now, 40_000);
        assertThat(nacks.highestSequence()).isEqualTo(1_002);
        assertThat(nacks.missingCount()).isEqualTo(1);
        receive(nacks, now, 40_001);
        assertThat(nacks.highestSequence()).isEqualTo(40_001);
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.resetCount()).isEqualTo(1);
    }

    @Test
    void missingPacketPushedOutOfTheWindowIsAbandoned() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 0, 2);
        for (int seq = 3; seq <= 64; seq++) {
            nacks.onPacket(seq, now);
        }
        assertThat(nacks.missingCount()).isEqualTo(1);
        nacks.onPacket(65, now); // 65 takes the ring slot of 1
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.abandonedCount()).isEqualTo(1);
        assertThat(nacks.collectRequests(now, RTT, words)).isZero();
    }

    @Test
    void clearForgetsEverythingMissing() {
        NackGenerator nacks = generator(64, 3);
        receive(nacks, now, 0, 10);
        nacks.clear();
        assertThat(nacks.missingCount()).isZero();
        assertThat(nacks.collectRequests(now, RTT, words)).isZero();
        receive(nacks, now, 12);
        assertThat(nacks.collectRequests(now, RTT, words)).isEqualTo(1);
        assertThat(words[0]).isEqualTo(word(11, 0));
    }

    @Test
    void settingsAreValidatedByName() {
        assertThatThrownBy(() -> new NackGenerator(100, 3, MS, MS, 0)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new NackGenerator(64, 0, MS, MS, 0)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new NackGenerator(64, 3, 0, MS, 0)).hasMessageContaining("maxAgeNs");
        assertThatThrownBy(() -> new NackGenerator(64, 3, MS, -1, 0)).hasMessageContaining("minRetryIntervalNs");
        assertThatThrownBy(() -> new NackGenerator(64, 3, MS, MS, -1)).hasMessageContaining("reorderDelayNs");
    }

    @Test
    void randomLossAndReorderingOnlyEverRequestPacketsNotYetReceived() {
        long seed = 0xA11CEL;
        SplittableRandom random = new SplittableRandom(seed);
        NackGenerator nacks = generator(128, 4);
        int steps = 20_000;
        int base = 65_000; // crosses the wrap
        boolean[] arrived = new boolean[steps]; // by step index, i.e. extended sequence number - base
        int held = -1; // a packet held back to arrive one step late
        int newest = -1;
        long t = now;
        for (int i = 0; i < steps; i++) {
            t += MS;
            if (random.nextInt(10) == 0) {
                continue; // lost for good
            }
            if (held < 0 && random.nextInt(8) == 0) {
                held = i;
                continue;
            }
            newest = deliver(nacks, arrived, base, i, t, newest);
            if (held >= 0) {
                newest = deliver(nacks, arrived, base, held, t, newest);
                held = -1;
            }
            if (random.nextInt(4) == 0) {
                int count = nacks.collectRequests(t, random.nextLong(0, 30 * MS), words);
                for (int asked : requested(words, count)) {
                    int behind = (nacks.highestSequence() - asked) & 0xFFFF;
                    assertThat(behind).as("seed %d, step %d: within the window", seed, i).isBetween(1, 127);
                    assertThat(arrived[newest - behind]).as("seed %d, step %d: %d arrived", seed, i, asked)
                        .isFalse();
                }
            }
            assertThat(nacks.missingCount()).isBetween(0, 128);
        }
        assertThat(nacks.requestedCount()).isPositive();
        assertThat(nacks.recoveredCount()).isPositive();
    }

    private static int deliver(NackGenerator nacks, boolean[] arrived, int base, int step, long t, int newest) {
        arrived[step] = true;
        nacks.onPacket((base + step) & 0xFFFF, t);
        return Math.max(newest, step);
    }

    @Test
    void trackingAndRequestingAllocateNothing() {
        NackGenerator nacks = new NackGenerator();
        long[] state = {0, now};
        int[] sink = new int[1];
        double bytes = Allocations.bytesPerRun(() -> {
            int i = (int) state[0]++;
            state[1] += MS;
            if (i % 7 != 3) {
                nacks.onPacket(i, state[1]);
            }
            if (i % 5 == 0) {
                sink[0] += nacks.collectRequests(state[1], RTT, words);
            }
        });
        assertThat(bytes).isLessThan(0.01);
    }
}
