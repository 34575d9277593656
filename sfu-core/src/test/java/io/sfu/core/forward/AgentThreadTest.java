package io.sfu.core.forward;

import org.jctools.queues.MpscArrayQueue;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AgentThreadTest {

    /** Counts what it drains; never asks to be woken for timers. */
    static final class DrainingAgent implements WakeableAgent {
        final MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(1024);
        final AtomicInteger drained = new AtomicInteger();
        volatile boolean closed;

        @Override
        public int doWork() {
            int n = 0;
            while (queue.poll() != null) {
                n++;
            }
            drained.addAndGet(n);
            return n;
        }

        @Override
        public boolean hasPendingWork() {
            return !queue.isEmpty();
        }

        @Override
        public long nextDeadlineNs(long nowNs) {
            return nowNs + 3_600_000_000_000L;
        }

        @Override
        public void onClose() {
            closed = true;
        }

        @Override
        public String roleName() {
            return "test-agent";
        }
    }

    @Test
    void aParkedAgentIsWokenByEveryProducerWithoutLosingWork() throws Exception {
        DrainingAgent agent = new DrainingAgent();
        try (AgentThread runner = new AgentThread(agent).start()) {
            int total = 0;
            for (int round = 0; round < 200; round++) {
                // let it reach the parked state between rounds, so each wake() really matters
                while (runner.thread().getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                }
                agent.queue.offer(round);
                runner.wake();
                total++;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (agent.drained.get() < total && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(agent.drained.get()).as("round %d", round).isEqualTo(total);
            }
        }
        assertThat(agent.closed).isTrue();
    }
}
