package io.sfu.core.buffer;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketPoolTest {

    @Test
    void exhaustedPoolReturnsNullAndCountsIt() {
        PacketPool pool = new PacketPool(4);
        List<PacketSlot> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(pool.acquire());
        }
        assertThat(taken).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(pool.acquire()).isNull();
        assertThat(pool.exhaustedCount()).isEqualTo(1);
        assertThat(pool.inUse()).isEqualTo(4);
        taken.forEach(PacketSlot::release);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void secondReleaseOfTheSameAcquisitionThrows() {
        PacketPool pool = new PacketPool(2);
        PacketSlot slot = pool.acquire();
        slot.release();
        assertThatThrownBy(slot::release).isInstanceOf(IllegalStateException.class);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void acquiredSlotStartsEmptyAndForgetsItsContext() {
        PacketPool pool = new PacketPool(2);
        PacketSlot slot = pool.acquire();
        slot.data(12, 100).context("transport");
        slot.release();
        PacketSlot again = pool.acquire();
        PacketSlot other = pool.acquire();
        for (PacketSlot s : new PacketSlot[] {again, other}) {
            assertThat(s.length()).isZero();
            assertThat(s.context()).isNull();
        }
    }

    @Test
    void acquireAndReleaseAllocateNothing() {
        PacketPool pool = new PacketPool(8);
        assertThat(Allocations.bytesPerRun(() -> pool.acquire().release())).isLessThan(1.0);
    }

    @Test
    void slotsMoveBetweenThreadsWithoutLoss() throws Exception {
        PacketPool pool = new PacketPool(64);
        org.jctools.queues.SpscArrayQueue<PacketSlot> handoff = new org.jctools.queues.SpscArrayQueue<>(64);
        int count = 200_000;
        Thread consumer = new Thread(() -> {
            int seen = 0;
            while (seen < count) {
                PacketSlot s = handoff.poll();
                if (s != null) {
                    s.release();
                    seen++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        consumer.start();
        int sent = 0;
        while (sent < count) {
            PacketSlot s = pool.acquire();
            if (s == null) {
                Thread.onSpinWait();
                continue;
            }
            while (!handoff.offer(s)) {
                Thread.onSpinWait();
            }
            sent++;
        }
        consumer.join(30_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(pool.inUse()).isZero();
    }
}
