package io.sfu.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

/** The loop's deadline heap: order, moving and cancelling entries, and a seeded comparison with a plain model. */
class TimerQueueTest {

    private static final class Recording extends TimerQueue.Entry {
        final int id;
        final List<Integer> log;
        long firedAt = -1;

        Recording(int id, List<Integer> log) {
            this.id = id;
            this.log = log;
        }

        @Override
        void onTimer(long nowNs) {
            firedAt = nowNs;
            log.add(id);
        }
    }

    @Test
    void entriesFireEarliestFirstAndOnlyOnceDue() {
        TimerQueue queue = new TimerQueue();
        List<Integer> log = new ArrayList<>();
        Recording a = new Recording(1, log);
        Recording b = new Recording(2, log);
        Recording c = new Recording(3, log);
        queue.schedule(a, 300);
        queue.schedule(b, 100);
        queue.schedule(c, 200);

        assertThat(queue.poll(99, 10)).isZero();
        assertThat(queue.earliestDeadlineNs()).isEqualTo(100);
        assertThat(queue.poll(250, 10)).isEqualTo(2);
        assertThat(log).containsExactly(2, 3);
        assertThat(b.isQueued()).isFalse();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.poll(1000, 10)).isEqualTo(1);
        assertThat(log).containsExactly(2, 3, 1);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void movingAnEntryEarlierOrLaterAndCancellingIt() {
        TimerQueue queue = new TimerQueue();
        List<Integer> log = new ArrayList<>();
        Recording a = new Recording(1, log);
        Recording b = new Recording(2, log);
        Recording c = new Recording(3, log);
        queue.schedule(a, 100);
        queue.schedule(b, 200);
        queue.schedule(c, 300);
        queue.schedule(c, 50);
        queue.schedule(a, 400);
        queue.cancel(b);
        queue.cancel(b);

        assertThat(queue.poll(1000, 10)).isEqualTo(2);
        assertThat(log).containsExactly(3, 1);
    }

    @Test
    void deadlinesCompareBySubtractionAcrossTheSignFlipOfTheClock() {
        TimerQueue queue = new TimerQueue();
        List<Integer> log = new ArrayList<>();
        long near = Long.MAX_VALUE - 10;
        queue.schedule(new Recording(1, log), near + 20);
        queue.schedule(new Recording(2, log), near);

        assertThat(queue.poll(near + 30, 10)).isEqualTo(2);
        assertThat(log).containsExactly(2, 1);
    }

    @Test
    void pollFiresAtMostTheLimit() {
        TimerQueue queue = new TimerQueue();
        List<Integer> log = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queue.schedule(new Recording(i, log), i);
        }
        assertThat(queue.poll(100, 4)).isEqualTo(4);
        assertThat(queue.size()).isEqualTo(6);
    }

    @Test
    void randomOperationsMatchAPlainModel() {
        long seed = 20_240_611L;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            TimerQueue queue = new TimerQueue();
            List<Integer> log = new ArrayList<>();
            List<Recording> entries = new ArrayList<>();
            Map<Integer, Long> model = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                entries.add(new Recording(i, log));
            }
            long now = 0;
            for (int op = 0; op < 300; op++) {
                Recording e = entries.get(random.nextInt(entries.size()));
                int kind = random.nextInt(10);
                if (kind < 6) {
                    long deadline = now + random.nextLong(1000);
                    queue.schedule(e, deadline);
                    model.put(e.id, deadline);
                } else if (kind < 8) {
                    queue.cancel(e);
                    model.remove(e.id);
                } else {
                    now += random.nextLong(500);
                    log.clear();
                    queue.poll(now, Integer.MAX_VALUE);
                    List<Integer> due = new ArrayList<>();
                    for (Map.Entry<Integer, Long> m : model.entrySet()) {
                        if (m.getValue() <= now) {
                            due.add(m.getKey());
                        }
                    }
                    assertThat(log).as("seed %d round %d op %d", seed, round, op).containsExactlyInAnyOrderElementsOf(due);
                    for (int k = 1; k < log.size(); k++) {
                        assertThat(model.get(log.get(k - 1))).as("seed %d: fired out of order", seed)
                            .isLessThanOrEqualTo(model.get(log.get(k)));
                    }
                    due.forEach(model::remove);
                }
                assertThat(queue.size()).as("seed %d", seed).isEqualTo(model.size());
            }
        }
    }

    @Test
    void reschedulingAndFiringAllocateNothing() {
        TimerQueue queue = new TimerQueue();
        List<TimerQueue.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            TimerQueue.Entry e = new TimerQueue.Entry() {
                @Override
                void onTimer(long nowNs) {
                }
            };
            entries.add(e);
            queue.schedule(e, i);
        }
        long[] now = {0};
        int[] next = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            TimerQueue.Entry e = entries.get(next[0]++ & 63);
            queue.schedule(e, now[0] + 64);
            now[0]++;
            queue.poll(now[0], 4);
        });

        assertThat(bytes).isZero();
    }
}
