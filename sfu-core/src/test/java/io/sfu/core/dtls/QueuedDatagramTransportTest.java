package io.sfu.core.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sfu.core.testing.Allocations;
import io.sfu.core.testing.ManualClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueuedDatagramTransportTest {

    private final List<byte[]> sent = new ArrayList<>();
    private final ManualClock clock = new ManualClock();

    private QueuedDatagramTransport transport(int capacity) {
        return new QueuedDatagramTransport((data, off, len) -> {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            sent.add(copy);
        }, 1200, 64, capacity, clock);
    }

    @Test
    void deliversCopiesInOrder() throws IOException {
        QueuedDatagramTransport transport = transport(4);
        byte[] source = {9, 1, 2, 3, 9};

        assertThat(transport.offer(source, 1, 3)).isTrue();
        source[1] = 7;
        assertThat(transport.offer(new UnsafeBuffer(new byte[] {4, 5}), 0, 2)).isTrue();

        byte[] buf = new byte[64];
        assertThat(transport.receive(buf, 0, buf.length, 10)).isEqualTo(3);
        assertThat(buf).startsWith(1, 2, 3);
        assertThat(transport.receive(buf, 10, buf.length - 10, 10)).isEqualTo(2);
        assertThat(buf[10]).isEqualTo((byte) 4);
        assertThat(transport.queuedDatagrams()).isEqualTo(2);
    }

    @Test
    void dropsAndCountsWhenFullOrOversized() {
        QueuedDatagramTransport transport = transport(2);
        byte[] datagram = new byte[10];

        assertThat(transport.offer(datagram, 0, 10)).isTrue();
        assertThat(transport.offer(datagram, 0, 10)).isTrue();
        assertThat(transport.offer(datagram, 0, 10)).isFalse();
        assertThat(transport.offer(new byte[65], 0, 65)).isFalse();

        assertThat(transport.droppedQueueFull()).isEqualTo(1);
        assertThat(transport.droppedOversized()).isEqualTo(1);
        assertThat(transport.size()).isEqualTo(2);
    }

    @Test
    void slotsAreReusedAroundTheRing() throws IOException {
        QueuedDatagramTransport transport = transport(3);
        byte[] buf = new byte[64];
        for (int i = 0; i < 100; i++) {
            assertThat(transport.offer(new byte[] {(byte) i, (byte) (i + 1)}, 0, 2)).isTrue();
            assertThat(transport.receive(buf, 0, buf.length, 10)).isEqualTo(2);
            assertThat(buf[0]).isEqualTo((byte) i);
        }
        assertThat(transport.droppedQueueFull()).isZero();
    }

    @Test
    void receiveTimesOutWithMinusOne() throws IOException {
        QueuedDatagramTransport transport = transport(2);

        assertThat(transport.receive(new byte[64], 0, 64, 1)).isEqualTo(-1);
    }

    @Test
    void receiveFailsOncePastTheDeadlineOnTheInjectedClock() throws IOException {
        QueuedDatagramTransport transport = transport(2);
        transport.setDeadline(clock.nanoTime() + Duration.ofSeconds(5).toNanos());

        assertThat(transport.receive(new byte[64], 0, 64, 1)).isEqualTo(-1);
        assertThat(transport.deadlineExpired()).isFalse();

        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> transport.receive(new byte[64], 0, 64, 1000))
            .isInstanceOf(QueuedDatagramTransport.DeadlineExpiredException.class);
        assertThat(transport.deadlineExpired()).isTrue();

        transport.clearDeadline();
        assertThat(transport.receive(new byte[64], 0, 64, 1)).isEqualTo(-1);
    }

    @Test
    void pastTheDeadlineReceiveFailsEvenWhenDatagramsKeepComing() {
        QueuedDatagramTransport transport = transport(2);
        transport.setDeadline(clock.nanoTime() + Duration.ofSeconds(5).toNanos());
        transport.offer(new byte[] {22}, 0, 1);

        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(() -> transport.receive(new byte[64], 0, 64, 1000))
            .isInstanceOf(QueuedDatagramTransport.DeadlineExpiredException.class);
    }

    @Test
    void theTimeWaitedForATurnToComputeMovesTheDeadlineBack() throws Exception {
        QueuedDatagramTransport transport = transport(2);
        HandshakeGate gate = new HandshakeGate(1);
        transport.takeTurnsAt(gate);
        transport.setDeadline(clock.nanoTime() + Duration.ofSeconds(5).toNanos());
        gate.enter(0);
        transport.offer(new byte[] {22}, 0, 1);

        CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> receive(transport, 1000));
        io.sfu.core.testing.Await.until("the receiver to wait for a turn", Duration.ofSeconds(10),
            () -> gate.waiting() == 1);
        // the server was busy for ten seconds: not the peer's fault
        clock.advance(Duration.ofSeconds(10));
        gate.leave();

        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(gate.available()).as("the receiver holds the turn").isZero();
        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(transport.receive(new byte[64], 0, 64, 1)).as("waiting for the network again").isEqualTo(-1);
        assertThat(gate.available()).as("gave the turn back").isEqualTo(1);
        clock.advance(Duration.ofNanos(1));
        assertThatThrownBy(() -> transport.receive(new byte[64], 0, 64, 1))
            .isInstanceOf(QueuedDatagramTransport.DeadlineExpiredException.class);
    }

    @Test
    void theTurnIsGivenBackWhenTheHandshakeEnds() throws Exception {
        QueuedDatagramTransport transport = transport(2);
        HandshakeGate gate = new HandshakeGate(1);
        transport.takeTurnsAt(gate);
        transport.offer(new byte[] {22}, 0, 1);

        assertThat(transport.receive(new byte[64], 0, 64, 1)).isEqualTo(1);
        assertThat(gate.available()).isZero();
        transport.endTurn();
        transport.endTurn();

        assertThat(gate.available()).isEqualTo(1);
    }

    private static int receive(QueuedDatagramTransport transport, int waitMillis) {
        try {
            return transport.receive(new byte[64], 0, 64, waitMillis);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void closeWakesABlockedReceiverAndDropsLaterOffers() throws Exception {
        QueuedDatagramTransport transport = transport(2);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                transport.receive(new byte[64], 0, 64, 0);
                return null;
            } catch (IOException e) {
                return e;
            }
        });

        transport.close();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(QueuedDatagramTransport.TransportClosedException.class);
        assertThat(transport.isClosed()).isTrue();
        assertThat(transport.offer(new byte[4], 0, 4)).isFalse();
        assertThat(transport.droppedClosed()).isEqualTo(1);
    }

    @Test
    void nonBlockingModeThrowsAnInterruptedIoExceptionOnAnEmptyQueue() throws IOException {
        QueuedDatagramTransport transport = transport(2);
        transport.setNonBlocking(true);
        transport.offer(new byte[] {1}, 0, 1);

        assertThat(transport.receive(new byte[64], 0, 64, 1000)).isEqualTo(1);
        assertThatThrownBy(() -> transport.receive(new byte[64], 0, 64, 1000))
            .isInstanceOf(InterruptedIOException.class)
            .isNotInstanceOf(java.net.SocketTimeoutException.class);
    }

    @Test
    void sendsThroughTheSenderUntilClosedAndCountsSenderFailuresAsLosses() {
        QueuedDatagramTransport transport = transport(2);
        transport.send(new byte[] {0, 1, 2}, 1, 2);
        transport.close();
        transport.send(new byte[] {3}, 0, 1);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsExactly(1, 2);
        assertThat(transport.sentDatagrams()).isEqualTo(1);
        assertThat(transport.getSendLimit()).isEqualTo(1200);
        assertThat(transport.getReceiveLimit()).isEqualTo(64 + QueuedDatagramTransport.CIPHER_HEADROOM_BYTES);

        QueuedDatagramTransport failing = new QueuedDatagramTransport((data, off, len) -> {
            throw new IllegalStateException("socket closed");
        }, 1200, 64, 2, clock);
        failing.send(new byte[1], 0, 1);
        assertThat(failing.failedSends()).isEqualTo(1);
    }

    @Test
    void offeringFromTheIoThreadAllocatesNothingOnceTheSlotsExist() {
        QueuedDatagramTransport transport = transport(4);
        UnsafeBuffer packet = new UnsafeBuffer(new byte[64]);
        byte[] buf = new byte[64];

        double bytesPerRun = Allocations.bytesPerRun(() -> {
            transport.offer(packet, 0, 48);
            try {
                transport.receive(buf, 0, buf.length, 1);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(bytesPerRun).isLessThan(1.0);
    }

    @Test
    void rejectsOutOfBoundsOffers() {
        QueuedDatagramTransport transport = transport(2);
        assertThatThrownBy(() -> transport.offer(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> transport.offer(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
