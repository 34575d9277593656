package io.sfu.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Loss, jitter and reordering as the loop applies them: rates, bounds, order, determinism, no allocation. */
class ImpairmentQueueTest {
    private static final long MS = 1_000_000L;

    private record Released(int id, long arrivalNs, long releaseNs, int length) {
    }

    /** Offers {@code count} 4-byte datagrams (their id) one per ms and releases everything; returns what came out. */
    private static List<Released> run(ImpairmentQueue queue, int count, int[] dropped, List<Integer> passed) {
        UnsafeBuffer packet = new UnsafeBuffer(new byte[64]);
        List<Released> out = new ArrayList<>();
        ImpairmentQueue.Sink sink = (buffer, byteBuffer, offset, length, releaseNs) -> {
            int id = buffer.getInt(offset);
            out.add(new Released(id, buffer.getLong(offset + 4), releaseNs, length));
        };
        long now = 0;
        for (int i = 0; i < count; i++) {
            now = i * MS;
            queue.releaseDue(now, sink);
            packet.putInt(0, i);
            packet.putLong(4, now);
            int fate = queue.offer(packet, 0, 12, now);
            if (fate == ImpairmentQueue.DROP) {
                dropped[0]++;
            } else if (fate == ImpairmentQueue.PASS) {
                passed.add(i);
            }
        }
        queue.releaseDue(now + 100_000 * MS, sink);
        return out;
    }

    @Test
    void lossDropsAboutTheConfiguredShareAndPassesTheRestAtOnce() {
        long seed = 99;
        ImpairmentQueue queue = new ImpairmentQueue(Impairment.builder().lossRate(0.2).seed(seed).build(), 64);
        int[] dropped = {0};
        List<Integer> passed = new ArrayList<>();

        List<Released> delayed = run(queue, 10_000, dropped, passed);

        assertThat(delayed).isEmpty();
        assertThat(dropped[0] + passed.size()).isEqualTo(10_000);
        assertThat(dropped[0]).as("seed %d", seed).isBetween(1800, 2200);
        assertThat(queue.droppedCount()).isEqualTo(dropped[0]);
        assertThat(passed).isSorted();
    }

    @Test
    void jitterDelaysWithinItsBoundAndReleasesInTimeOrder() {
        long seed = 5;
        ImpairmentQueue queue = new ImpairmentQueue(Impairment.builder().jitterNs(20 * MS).seed(seed).build(), 64);
        int[] dropped = {0};
        List<Integer> passed = new ArrayList<>();

        List<Released> delayed = run(queue, 2_000, dropped, passed);

        assertThat(delayed.size() + passed.size()).isEqualTo(2_000);
        assertThat(dropped[0]).isZero();
        long previousRelease = Long.MIN_VALUE;
        int inversions = 0;
        int previousId = -1;
        for (Released r : delayed) {
            assertThat(r.length()).isEqualTo(12);
            long wantedRelease = r.arrivalNs() + 1;
            assertThat(r.releaseNs()).as("seed %d", seed).isBetween(wantedRelease, r.arrivalNs() + 20 * MS);
            assertThat(r.releaseNs()).isGreaterThanOrEqualTo(previousRelease);
            previousRelease = r.releaseNs();
            if (r.id() < previousId) {
                inversions++;
            }
            previousId = r.id();
        }
        assertThat(inversions).as("seed %d: jitter of 20 packet times reorders", seed).isPositive();
    }

    @Test
    void reorderingHoldsSomePacketsBackSoThatLaterOnesOvertakeThem() {
        long seed = 11;
        Impairment reorder = Impairment.builder().reorderRate(0.1).reorderDelayNs(5 * MS).seed(seed).build();
        ImpairmentQueue queue = new ImpairmentQueue(reorder, 64);
        int[] dropped = {0};
        List<Integer> passed = new ArrayList<>();

        List<Released> held = run(queue, 1_000, dropped, passed);

        assertThat(held.size()).as("seed %d", seed).isBetween(60, 140);
        assertThat(held).allMatch(r -> r.releaseNs() - r.arrivalNs() == 5 * MS);
        assertThat(held.size() + passed.size()).isEqualTo(1_000);
    }

    @Test
    void theSameSeedMakesTheSameDecisions() {
        Impairment settings = Impairment.builder().lossRate(0.1).jitterNs(3 * MS).reorderRate(0.05).seed(42).build();
        int[] droppedA = {0};
        int[] droppedB = {0};
        List<Integer> passedA = new ArrayList<>();
        List<Integer> passedB = new ArrayList<>();

        List<Released> a = run(new ImpairmentQueue(settings, 64), 3_000, droppedA, passedA);
        List<Released> b = run(new ImpairmentQueue(settings, 64), 3_000, droppedB, passedB);

        assertThat(a).isEqualTo(b);
        assertThat(passedA).isEqualTo(passedB);
        assertThat(droppedA[0]).isEqualTo(droppedB[0]).isPositive();
    }

    @Test
    void aFullQueueLetsPacketsThroughAtOnceAndCountsThem() {
        Impairment settings = Impairment.builder().reorderRate(1.0).reorderDelayNs(1000 * MS).queueCapacity(4).build();
        ImpairmentQueue queue = new ImpairmentQueue(settings, 64);
        UnsafeBuffer packet = new UnsafeBuffer(new byte[16]);
        int queued = 0;
        int passed = 0;
        for (int i = 0; i < 10; i++) {
            int fate = queue.offer(packet, 0, 16, 0);
            queued += fate == ImpairmentQueue.QUEUED ? 1 : 0;
            passed += fate == ImpairmentQueue.PASS ? 1 : 0;
        }
        assertThat(queued).isEqualTo(4);
        assertThat(passed).isEqualTo(6);
        assertThat(queue.overflowCount()).isEqualTo(6);
        assertThat(queue.offer(new UnsafeBuffer(new byte[100]), 0, 100, 0)).isEqualTo(ImpairmentQueue.PASS);
        queue.clear();
        assertThat(queue.hasQueued()).isFalse();
    }

    @Test
    void offeringAndReleasingAllocateNothing() {
        Impairment settings = Impairment.builder().lossRate(0.05).jitterNs(2 * MS).reorderRate(0.05).seed(3).build();
        ImpairmentQueue queue = new ImpairmentQueue(settings, 1500);
        UnsafeBuffer packet = new UnsafeBuffer(new byte[1200]);
        long[] now = {0};
        long[] released = {0};
        ImpairmentQueue.Sink sink = (buffer, byteBuffer, offset, length, releaseNs) -> released[0] += length;

        double bytes = Allocations.bytesPerRun(() -> {
            now[0] += MS / 4;
            queue.offer(packet, 0, 1200, now[0]);
            queue.releaseDue(now[0], sink);
        });

        assertThat(bytes).isZero();
        assertThat(released[0]).isPositive();
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> Impairment.builder().lossRate(1.5).build()).hasMessageContaining("impairment.lossRate");
        assertThatThrownBy(() -> Impairment.builder().reorderRate(-0.1).build())
            .hasMessageContaining("impairment.reorderRate");
        assertThatThrownBy(() -> Impairment.builder().jitterNs(-1).build()).hasMessageContaining("impairment.jitterNs");
        assertThatThrownBy(() -> Impairment.builder().reorderDelayNs(0).build())
            .hasMessageContaining("impairment.reorderDelayNs");
        assertThatThrownBy(() -> Impairment.builder().queueCapacity(0).build())
            .hasMessageContaining("impairment.queueCapacity");
        assertThatThrownBy(() -> Impairment.builder().lossRate(Double.NaN).build())
            .hasMessageContaining("impairment.lossRate");
        assertThat(Impairment.NONE.isActive()).isFalse();
    }

    @Test
    void aRateLimitSpacesDatagramsAtTheLinksRateAndDropsWhatItsQueueCannotHold() {
        // 1,000-byte datagrams every ms (8 Mbit/s) into a 1 Mbit/s link with a 20 ms queue, limited from 100 ms
        // to 300 ms after the first datagram
        ImpairmentQueue queue = new ImpairmentQueue(Impairment.builder()
            .rateLimit(1_000_000, 20 * MS, 100 * MS, 300 * MS).build(), 1500);
        UnsafeBuffer packet = new UnsafeBuffer(new byte[1000]);
        List<Long> releases = new ArrayList<>();
        ImpairmentQueue.Sink sink = (buffer, byteBuffer, offset, length, releaseNs) -> releases.add(releaseNs);
        int passed = 0;
        int dropped = 0;
        for (int i = 0; i < 400; i++) {
            long now = i * MS;
            queue.releaseDue(now, sink);
            int fate = queue.offer(packet, 0, 1000, now);
            if (fate == ImpairmentQueue.PASS) {
                passed++;
            } else if (fate == ImpairmentQueue.DROP) {
                dropped++;
            }
        }
        queue.releaseDue(Long.MAX_VALUE / 2, sink);

        assertThat(passed).as("before and after the limit").isEqualTo(200);
        // 200 ms at 1 Mbit/s carries 25 datagrams of 8,000 bits, and the queue holds what 20 ms more would
        assertThat(releases).hasSizeBetween(25, 29);
        for (int i = 1; i < releases.size(); i++) {
            assertThat(releases.get(i) - releases.get(i - 1)).as("spaced at the link's rate")
                .isGreaterThanOrEqualTo(8 * MS);
        }
        assertThat(dropped).isEqualTo(200 - releases.size());
        assertThat(queue.rateLimitDroppedCount()).isEqualTo(dropped);
    }
}
