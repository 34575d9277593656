package io.sfu.core.dtls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sfu.core.testing.Await;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Turns to compute: a fixed number at once, the handshake that started first served first. */
class HandshakeGateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void atMostTheGivenNumberComputeAtOnce() throws Exception {
        HandshakeGate gate = new HandshakeGate(2);
        gate.enter(gate.ticket());
        gate.enter(gate.ticket());
        assertThat(gate.available()).isZero();

        Thread third = new Thread(() -> enter(gate, gate.ticket(), null));
        third.start();
        Await.until("the third to wait", WAIT, () -> gate.waiting() == 1);
        gate.leave();
        third.join(WAIT.toMillis());

        assertThat(third.isAlive()).isFalse();
        assertThat(gate.available()).isZero();
    }

    @Test
    void theHandshakeThatStartedFirstGetsTheNextTurnWhateverTheOrderOfWaiting() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        long first = gate.ticket();
        long second = gate.ticket();
        long third = gate.ticket();
        gate.enter(0);
        List<Long> served = new CopyOnWriteArrayList<>();
        Thread[] waiters = new Thread[3];
        long[] order = {third, first, second};
        for (int i = 0; i < 3; i++) {
            long ticket = order[i];
            waiters[i] = new Thread(() -> {
                enter(gate, ticket, served);
                gate.leave();
            });
            waiters[i].start();
            int waiting = i + 1;
            Await.until("waiter " + i + " to queue", WAIT, () -> gate.waiting() == waiting);
        }

        gate.leave();
        for (Thread waiter : waiters) {
            waiter.join(WAIT.toMillis());
        }

        assertThat(served).containsExactly(first, second, third);
        assertThat(gate.available()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaiterLeavesTheQueue() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        gate.enter(0);
        Thread waiter = new Thread(() -> enter(gate, 1, null));
        waiter.start();
        Await.until("the waiter to queue", WAIT, () -> gate.waiting() == 1);

        waiter.interrupt();
        waiter.join(WAIT.toMillis());
        gate.leave();

        assertThat(gate.waiting()).isZero();
        assertThat(gate.available()).isEqualTo(1);
    }

    @Test
    void aGateNeedsATurn() {
        assertThatThrownBy(() -> new HandshakeGate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HandshakeGate.perProcessor(1).concurrent()).isEqualTo(1);
    }

    private static void enter(HandshakeGate gate, long ticket, List<Long> served) {
        try {
            gate.enter(ticket);
            if (served != null) {
                served.add(ticket);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
