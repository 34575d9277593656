package io.sfu.signaling.metrics;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class MediaThreadAllocationTest {
    private static final int ARRAY_BYTES = 1 << 20;
    private static volatile byte[] sink;

    private final MediaThreadAllocation allocation =
        new MediaThreadAllocation((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean());

    private static void runNamed(String name, int arrays) throws InterruptedException {
        Thread thread = new Thread(() -> {
            for (int i = 0; i < arrays; i++) {
                sink = new byte[ARRAY_BYTES];
            }
        }, name);
        thread.start();
        thread.join();
    }

    /** Runs a thread that allocates, and keeps it alive until {@code release} counts down. */
    private static Thread holdNamed(String name, int arrays, java.util.concurrent.CountDownLatch allocated,
                                    java.util.concurrent.CountDownLatch release) {
        Thread thread = new Thread(() -> {
            for (int i = 0; i < arrays; i++) {
                sink = new byte[ARRAY_BYTES];
            }
            allocated.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.start();
        return thread;
    }

    @Test
    void countsWhatAPacketThreadAllocatesAndKeepsItAfterTheThreadIsGone() throws Exception {
        long before = allocation.allocatedBytes();
        var allocated = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread agent = holdNamed("sfu-forward-7", 8, allocated, release);
        allocated.await();

        long during = allocation.allocatedBytes();
        release.countDown();
        agent.join();
        long after = allocation.allocatedBytes();

        assertThat(during - before).isGreaterThanOrEqualTo(8L * ARRAY_BYTES);
        assertThat(after).as("a thread that ended still counts").isGreaterThanOrEqualTo(during);
    }

    @Test
    void leavesOutThreadsThatCarryNoPackets() throws Exception {
        long before = allocation.allocatedBytes();
        runNamed("vert.x-eventloop-thread-9", 16);
        runNamed("sfu-media-timer", 16);

        assertThat(allocation.allocatedBytes() - before).isLessThan(ARRAY_BYTES);
        assertThat(MediaThreadAllocation.isPacketThread("sfu-media-rx")).isTrue();
        assertThat(MediaThreadAllocation.isPacketThread("sfu-relay-rx")).isTrue();
        assertThat(MediaThreadAllocation.isPacketThread("dtls-handshake-3")).isFalse();
    }
}
