package io.sfu.core.forward;

import io.sfu.core.testing.Await;
import org.jctools.queues.MpscArrayQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner of an agent: parks when idle, survives a failing duty cycle, and can be restarted when its thread ended. */
class AgentThreadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

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

    /** Throws what it is given from its next duty cycle (or from onStart), once. */
    static final class FailingAgent implements WakeableAgent {
        final DrainingAgent inner = new DrainingAgent();
        volatile Throwable nextFailure;
        volatile RuntimeException startFailure;
        final AtomicInteger starts = new AtomicInteger();

        @Override
        public void onStart() {
            starts.incrementAndGet();
            RuntimeException failure = startFailure;
            startFailure = null;
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public int doWork() {
            Throwable failure = nextFailure;
            if (failure != null) {
                nextFailure = null;
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
            return inner.doWork();
        }

        @Override
        public boolean hasPendingWork() {
            return inner.hasPendingWork() || nextFailure != null;
        }

        @Override
        public long nextDeadlineNs(long nowNs) {
            return inner.nextDeadlineNs(nowNs);
        }

        @Override
        public String roleName() {
            return "failing-agent";
        }
    }

    @Test
    void aDutyCycleThatThrowsAnErrorIsCountedAndTheNextCycleRuns() {
        FailingAgent agent = new FailingAgent();
        try (AgentThread runner = new AgentThread(agent).start()) {
            agent.nextFailure = new StackOverflowError("deep parser");
            runner.wake();
            Await.until("the failed cycle to be counted", WAIT, () -> runner.failedCycles() == 1);

            agent.inner.queue.offer(1);
            runner.wake();

            Await.until("the next cycle to drain the queue", WAIT, () -> agent.inner.drained.get() == 1);
            assertThat(runner.thread().isAlive()).isTrue();
            assertThat(runner.restartIfStopped()).isFalse();
            assertThat(runner.restarts()).isZero();
        }
    }

    @Test
    void anAgentWhoseThreadEndedIsRestartedOnANewThreadWithItsWorkIntact() throws Exception {
        FailingAgent agent = new FailingAgent();
        try (AgentThread runner = new AgentThread(agent).start()) {
            agent.nextFailure = new ThreadDeath();
            runner.wake();
            Thread first = runner.thread();
            first.join(WAIT.toMillis());
            assertThat(first.isAlive()).isFalse();
            // work queued while no thread runs the agent waits for the next one
            agent.inner.queue.offer(1);

            assertThat(runner.restartIfStopped()).isTrue();

            Await.until("the new thread to drain what was queued", WAIT, () -> agent.inner.drained.get() == 1);
            assertThat(runner.thread()).isNotSameAs(first);
            assertThat(runner.restarts()).isEqualTo(1);
            assertThat(agent.starts.get()).as("onStart ran once, on the first thread").isEqualTo(1);
        }
    }

    @Test
    void anAgentThatFailedToStartIsStartedAgainByTheRestart() throws Exception {
        FailingAgent agent = new FailingAgent();
        agent.startFailure = new IllegalStateException("not yet");
        AgentThread runner = new AgentThread(agent).start();
        try {
            runner.thread().join(WAIT.toMillis());
            assertThat(runner.restartIfStopped()).isTrue();
            agent.inner.queue.offer(1);
            runner.wake();

            Await.until("the restarted agent to work", WAIT, () -> agent.inner.drained.get() == 1);
            assertThat(agent.starts.get()).isEqualTo(2);
        } finally {
            runner.close();
        }
    }

    @Test
    void aClosedRunnerIsNotRestarted() {
        AgentThread runner = new AgentThread(new DrainingAgent()).start();
        runner.close();

        assertThat(runner.restartIfStopped()).isFalse();
    }
}
