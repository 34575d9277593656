package io.sfu.client;

import static io.sfu.client.ClientTests.fastConfig;
import static io.sfu.client.ClientTests.get;
import static io.sfu.client.ClientTests.onLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.testing.ManualClock;
import org.junit.jupiter.api.Test;

/** The loop: tasks, timers on its clock, many connections on one thread, and releasing their sockets. */
class ClientIoLoopTest {

    @Test
    void tasksRunOnTheLoopThreadInTheOrderTheyWereHandedOver() throws Exception {
        try (ClientIoLoop loop = ClientIoLoop.start(ClientIoLoopConfig.builder().threadName("loop-under-test").build())) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                loop.execute(() -> {
                    order.add(n);
                    threads.add(Thread.currentThread().getName());
                });
            }
            assertThat(onLoop(loop, loop::inLoopThread)).isTrue();
            assertThat(order).hasSize(100).isSorted();
            assertThat(threads).containsOnly("loop-under-test");
            assertThat(loop.inLoopThread()).isFalse();
        }
    }

    @Test
    void aTaskThatThrowsIsCountedAndTheLoopCarriesOn() throws Exception {
        try (ClientIoLoop loop = ClientIoLoop.start(ClientIoLoopConfig.defaults())) {
            loop.execute(() -> {
                throw new IllegalStateException("task failure on purpose");
            });
            assertThat(onLoop(loop, () -> 42)).isEqualTo(42);
            assertThat(loop.taskFailures()).isEqualTo(1);
        }
    }

    @Test
    void aFullTaskQueueAndAClosedLoopRefuseTasks() {
        ClientIoLoop loop = ClientIoLoop.create(ClientIoLoopConfig.builder().taskQueueCapacity(2).build());
        loop.execute(() -> { });
        loop.execute(() -> { });
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
            .hasMessageContaining("full");
        assertThat(loop.doWork()).isEqualTo(2);
        loop.close();
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(loop::newPeerConnection).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void timersFireInDeadlineOrderWhenTheLoopClockPassesThem() {
        ManualClock clock = new ManualClock(5_000_000_000L);
        try (ClientIoLoop loop = ClientIoLoop.create(ClientIoLoopConfig.builder().clock(clock).build())) {
            List<String> fired = new ArrayList<>();
            LoopTimer a = loop.newTimer(() -> fired.add("a"));
            LoopTimer b = loop.newTimer(() -> fired.add("b"));
            LoopTimer[] periodic = new LoopTimer[1];
            periodic[0] = loop.newTimer(() -> {
                fired.add("p");
                periodic[0].scheduleIn(Duration.ofMillis(10).toNanos());
            });
            long start = clock.nanoTime();
            loop.doWork();
            a.scheduleAt(start + Duration.ofMillis(30).toNanos());
            b.scheduleAt(start + Duration.ofMillis(21).toNanos());
            periodic[0].scheduleAt(start + Duration.ofMillis(10).toNanos());

            loop.doWork();
            assertThat(fired).isEmpty();
            clock.advance(Duration.ofMillis(10));
            loop.doWork();
            assertThat(fired).containsExactly("p");
            clock.advance(Duration.ofMillis(25));
            loop.doWork();
            // the periodic timer (20 ms), b (21 ms) and a (30 ms) were due; the periodic one moved to 45 ms
            assertThat(fired).containsExactly("p", "p", "b", "a");
            b.scheduleIn(Duration.ofMillis(1).toNanos());
            b.cancel();
            assertThat(b.isScheduled()).isFalse();
            clock.advance(Duration.ofMillis(10));
            loop.doWork();
            assertThat(fired).containsExactly("p", "p", "b", "a", "p");
            assertThat(periodic[0].isScheduled()).isTrue();
        }
    }

    @Test
    void aTimerActionThatThrowsIsCountedAndOtherTimersStillFire() {
        ManualClock clock = new ManualClock(5_000_000_000L);
        try (ClientIoLoop loop = ClientIoLoop.create(ClientIoLoopConfig.builder().clock(clock).build())) {
            List<String> fired = new ArrayList<>();
            LoopTimer failing = loop.newTimer(() -> {
                throw new IllegalStateException("timer failure on purpose");
            });
            LoopTimer healthy = loop.newTimer(() -> fired.add("ok"));
            loop.doWork();
            failing.scheduleIn(1);
            healthy.scheduleIn(2);
            clock.advance(Duration.ofMillis(1));

            loop.doWork();

            assertThat(fired).containsExactly("ok");
            assertThat(loop.taskFailures()).isEqualTo(1);
        }
    }

    @Test
    void reportsGoOutOnceEachIntervalOfTheLoopClock() throws Exception {
        ManualClock clock = new ManualClock(5_000_000_000L);
        try (MiniSfu sfu = new MiniSfu();
             ClientIoLoop loop = ClientIoLoop.create(ClientIoLoopConfig.builder().clock(clock).build())) {
            MiniSfu.Transport transport = sfu.newTransport();
            ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), null);
            pc.applyAnswer(transport.answer(pc.createOffer(List.of(TrackSpec.audio("mic")))));
            long deadline = System.nanoTime() + ClientTests.TIMEOUT.toNanos();
            while (!pc.connected().isDone() && System.nanoTime() < deadline) {
                loop.doWork();
            }
            assertThat(pc.state()).isEqualTo(ClientState.CONNECTED);
            // the fixture keys its SRTP a moment after the client: until then it would drop the reports unread
            ClientTests.get(transport.handshake);
            assertThat(pc.sender("mic").send(new byte[40], 0, 40, false, 960)).isTrue();

            clock.advance(Duration.ofMillis(999));
            loop.doWork();
            assertThat(pc.stats().rtcpPacketsSent()).isZero();
            clock.advance(Duration.ofMillis(1));
            loop.doWork();
            assertThat(pc.stats().rtcpPacketsSent()).isEqualTo(1);
            clock.advance(Duration.ofMillis(500));
            loop.doWork();
            assertThat(pc.stats().rtcpPacketsSent()).isEqualTo(1);
            clock.advance(Duration.ofMillis(500));
            loop.doWork();
            assertThat(pc.stats().rtcpPacketsSent()).isEqualTo(2);
            byte[] report = ClientTests.takeUntil(transport.receivedRtcp,
                b -> (b[1] & 0xFF) == RtcpHeader.SENDER_REPORT);
            assertThat(report.length).isPositive();
        }
    }

    @Test
    void fiftyConnectionsOnOneLoopConnectConcurrentlyAndClosingThemReleasesEverySocket() throws Exception {
        int count = 50;
        try (MiniSfu sfu = new MiniSfu(); ClientIoLoop loop = ClientIoLoop.start(ClientIoLoopConfig.defaults())) {
            List<ClientPeerConnection> pcs = new ArrayList<>();
            List<CompletableFuture<Void>> connected = new ArrayList<>();
            long startNs = System.nanoTime();
            for (int i = 0; i < count; i++) {
                MiniSfu.Transport transport = sfu.newTransport();
                // each connection generates its own certificate, as by default
                ClientPeerConnection pc = loop.newPeerConnection(fastConfig().certificate(null).build(), null);
                pc.applyAnswer(transport.answer(pc.createOffer(List.of(TrackSpec.audio("mic"),
                    TrackSpec.video("cam")))));
                pcs.add(pc);
                connected.add(pc.connected());
            }
            get(CompletableFuture.allOf(connected.toArray(new CompletableFuture<?>[0])));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            System.out.println(count + " client connections (ICE + DTLS + SRTP) on one loop in " + elapsedMs + " ms");

            assertThat(pcs).allMatch(pc -> pc.state() == ClientState.CONNECTED);
            assertThat(pcs).extracting(pc -> pc.localAddress().getPort()).doesNotHaveDuplicates();
            assertThat(pcs).extracting(ClientPeerConnection::localFingerprint).doesNotHaveDuplicates();
            assertThat(loop.channelCount()).isEqualTo(count);
            assertThat(get(loop.registeredKeyCount())).isEqualTo(count);

            List<CompletableFuture<Void>> closed = new ArrayList<>();
            for (ClientPeerConnection pc : pcs) {
                closed.add(pc.closeAsync());
            }
            get(CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0])));

            assertThat(loop.channelCount()).isZero();
            assertThat(get(loop.registeredKeyCount())).isZero();
            assertThat(pcs).noneMatch(ClientPeerConnection::isChannelOpen);
            assertThat(pcs).allMatch(pc -> pc.state() == ClientState.CLOSED);
        }
    }

    @Test
    void closingTheLoopClosesItsConnections() throws Exception {
        ClientIoLoop loop = ClientIoLoop.start(ClientIoLoopConfig.defaults());
        ClientPeerConnection a = loop.newPeerConnection(fastConfig().build(), null);
        ClientPeerConnection b = loop.newPeerConnection(fastConfig().build(), null);
        assertThat(onLoop(loop, loop::channelCount)).isEqualTo(2);

        loop.close();

        assertThat(a.closedFuture()).isDone();
        assertThat(b.state()).isEqualTo(ClientState.CLOSED);
        assertThat(a.isChannelOpen()).isFalse();
        assertThat(loop.channelCount()).isZero();
        assertThat(b.connected()).isCompletedExceptionally();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheLoop() throws Exception {
        try (MiniSfu sfu = new MiniSfu(); ClientIoLoop loop = ClientIoLoop.start(ClientIoLoopConfig.defaults())) {
            ClientPeerConnection.Listener throwing = new ClientPeerConnection.Listener() {
                @Override
                public void onStateChange(ClientPeerConnection pc, ClientState state) {
                    throw new IllegalStateException("listener failure on purpose");
                }
            };
            ClientTests.Publisher p = ClientTests.publish(loop, sfu, List.of(TrackSpec.audio("mic")),
                fastConfig().build(), null);
            MiniSfu.Transport transport = sfu.newTransport();
            ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), throwing);
            pc.applyAnswer(transport.answer(pc.createOffer(List.of(TrackSpec.audio("mic")))));
            get(pc.connected());
            assertThat(p.pc().state()).isEqualTo(ClientState.CONNECTED);
            assertThat(pc.state()).isEqualTo(ClientState.CONNECTED);
        }
    }
}
