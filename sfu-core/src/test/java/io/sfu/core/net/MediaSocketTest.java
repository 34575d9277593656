package io.sfu.core.net;

import io.sfu.core.buffer.PacketPool;
import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.testing.Await;
import io.sfu.core.testing.ShapedLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MediaSocketTest {
    private static final int ROUND_DATAGRAMS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void receivesWithTheRealSourceAddressAndAnswersIt() throws Exception {
        PacketPool pool = new PacketPool(16);
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(4);
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            socket.start(slot -> {
                seen.add(slot.source() + " " + new String(slot.array(), slot.offset(), slot.length(),
                    StandardCharsets.US_ASCII));
                ByteBuffer reply = ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII));
                socket.send(reply, slot.source());
                return false;
            });
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(ping, ping.length, socket.localAddress()));
            peer.setSoTimeout(5_000);
            DatagramPacket in = new DatagramPacket(new byte[16], 16);
            peer.receive(in);

            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(peer.getLocalSocketAddress() + " ping");
            assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII)).isEqualTo("pong");
            assertThat(socket.receivedCount()).isEqualTo(1);
        }
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aQuietSocketLetsItsHandlerRunWhatWaitsForItsThreadWithoutADatagram() throws Exception {
        PacketPool pool = new PacketPool(4);
        Semaphore idle = new Semaphore(0);
        AtomicLong datagrams = new AtomicLong();
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool)) {
            socket.start(new DatagramHandler() {
                @Override
                public boolean onDatagram(PacketSlot slot) {
                    datagrams.incrementAndGet();
                    return false;
                }

                @Override
                public void onIdle() {
                    idle.release();
                }
            });

            assertThat(idle.tryAcquire(2, 10, TimeUnit.SECONDS)).as("idle turns with nothing received").isTrue();
            assertThat(datagrams.get()).isZero();
            assertThat(socket.receivedCount()).isZero();
        }
    }

    /**
     * Starts {@code socket} with a handler that throws what {@code failure} makes for a one-byte datagram and queues
     * the length of any other.
     */
    private static BlockingQueue<Integer> failOnOneByte(MediaSocket socket,
                                                        java.util.function.Supplier<Throwable> failure) {
        BlockingQueue<Integer> lengths = new ArrayBlockingQueue<>(4);
        socket.start(slot -> {
            if (slot.length() == 1) {
                Throwable thrown = failure.get();
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) thrown;
            }
            lengths.add(slot.length());
            return false;
        });
        return lengths;
    }

    @Test
    void aHandlerThatThrowsLosesOnlyThatDatagram() throws Exception {
        PacketPool pool = new PacketPool(4);
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            BlockingQueue<Integer> lengths = failOnOneByte(socket, () -> new IllegalStateException("boom"));
            peer.send(new DatagramPacket(new byte[1], 1, socket.localAddress()));
            peer.send(new DatagramPacket(new byte[7], 7, socket.localAddress()));
            assertThat(lengths.poll(5, TimeUnit.SECONDS)).isEqualTo(7);
        }
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aHandlerThatThrowsAnErrorLosesOnlyThatDatagramAndIsCounted() throws Exception {
        PacketPool pool = new PacketPool(4);
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            BlockingQueue<Integer> lengths = failOnOneByte(socket,
                () -> new StackOverflowError("a parser recursed too deep"));
            peer.send(new DatagramPacket(new byte[1], 1, socket.localAddress()));
            peer.send(new DatagramPacket(new byte[7], 7, socket.localAddress()));

            assertThat(lengths.poll(5, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(socket.handlerFailureCount()).isEqualTo(1);
            assertThat(socket.restartReceiverIfStopped()).as("the receive thread still runs").isFalse();
        }
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aReceiveThreadThatEndedIsRestartedAndReceivesAgain() throws Exception {
        PacketPool pool = new PacketPool(4);
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            BlockingQueue<Integer> lengths = failOnOneByte(socket, ThreadDeath::new);
            peer.send(new DatagramPacket(new byte[1], 1, socket.localAddress()));
            Await.until("the supervisor to find the receive thread ended and restart it", WAIT,
                socket::restartReceiverIfStopped);
            peer.send(new DatagramPacket(new byte[7], 7, socket.localAddress()));

            assertThat(lengths.poll(5, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(socket.receiverRestartCount()).isEqualTo(1);
        }
        assertThat(pool.inUse()).as("the slot of the datagram that ended the thread was released").isZero();
    }

    @Test
    // a socket that blocked would wait for the link for the better part of an hour: fail instead
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDatagramTheKernelHasNoRoomForIsRefusedAtOnceAndCounted() throws Exception {
        // 8 kbit/s drains a 1,200-byte datagram in over a second: the socket's send buffer (at most 8 MB) fills after
        // a few thousand, which the shaper holds (up to 32 MB) charged to the socket instead of dropping them
        try (ShapedLink link = ShapedLink.create(8, 32 << 20);
             MediaSocket socket = MediaSocket.bind(new InetSocketAddress(link.localAddress(), 0), new PacketPool(4))) {
            socket.start(slot -> false);
            InetSocketAddress slowPeer = new InetSocketAddress(link.remoteAddress(), 9);
            ByteBuffer datagram = ByteBuffer.allocate(1200);
            int sent = 0;
            int refused = 0;
            // a blocking socket would wait here for the link; this one refuses the datagram and returns
            for (int i = 0; i < 50_000 && refused < 100; i++) {
                datagram.clear();
                if (socket.send(datagram, slowPeer)) {
                    sent++;
                } else {
                    refused++;
                }
            }

            assertThat(refused).isEqualTo(100);
            assertThat(sent).isPositive();
            assertThat(socket.sendFailureCount()).isEqualTo(refused);
        }
    }

    @Test
    void wildcardAnnouncesLoopbackAmongItsHostAddresses() throws Exception {
        assertThat(MediaSocket.hostAddresses(InetAddress.getByName("0.0.0.0")))
            .contains(InetAddress.getByName("127.0.0.1"));
        assertThat(MediaSocket.hostAddresses(InetAddress.getByName("127.0.0.1")))
            .containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void slotCapacityFitsAFullMtuDatagram() {
        assertThat(PacketSlot.CAPACITY).isGreaterThanOrEqualTo(1500 + 16 + 4);
    }

    @Test
    void receivingFromASteadyPeerAllocatesNothingPerDatagram() throws Exception {
        PacketPool pool = new PacketPool(64);
        AtomicLong received = new AtomicLong();
        AtomicLong rxThread = new AtomicLong();
        // the receive thread signals the end of each round: the test waits on that, not on time
        AtomicLong roundEnd = new AtomicLong(ROUND_DATAGRAMS);
        Semaphore roundReceived = new Semaphore(0);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
             java.nio.channels.DatagramChannel peer = java.nio.channels.DatagramChannel.open()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.start(slot -> {
                rxThread.set(Thread.currentThread().getId());
                if (received.incrementAndGet() == roundEnd.get()) {
                    roundReceived.release();
                }
                return false;
            });
            ByteBuffer datagram = ByteBuffer.allocateDirect(1200);
            long[] allocated = new long[2];
            for (int round = 0; round < 2; round++) {
                long roundStart = (long) round * ROUND_DATAGRAMS;
                roundEnd.set(roundStart + ROUND_DATAGRAMS);
                for (int i = 0; i < ROUND_DATAGRAMS; i++) {
                    datagram.clear();
                    peer.send(datagram, socket.localAddress());
                    if ((i & 63) == 0) {
                        // at most 256 datagrams in flight, so the socket's receive buffer never overflows
                        long caughtUp = roundStart + i - 256;
                        assertThat(Await.until(WAIT, () -> received.get() >= caughtUp))
                            .as("round %d: the receiver reaches datagram %d", round, caughtUp).isTrue();
                    }
                }
                assertThat(roundReceived.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("round %d: every datagram received", round).isTrue();
                allocated[round] = threads.getThreadAllocatedBytes(rxThread.get());
            }
            long second = allocated[1] - allocated[0];
            assertThat(received.get()).isEqualTo(2L * ROUND_DATAGRAMS);
            assertThat((double) second / ROUND_DATAGRAMS).as("bytes per datagram on the receive thread")
                .isLessThan(1.0);
        }
    }

    @Test
    void sendingToASteadyPeerAllocatesNothingPerDatagram() throws Exception {
        PacketPool pool = new PacketPool(8);
        try (MediaSocket socket = MediaSocket.bind(new InetSocketAddress("127.0.0.1", 0), pool);
             java.nio.channels.DatagramChannel peer = java.nio.channels.DatagramChannel.open()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress target = (InetSocketAddress) peer.getLocalAddress();
            PacketSlot slot = pool.acquire();
            ByteBuffer drain = ByteBuffer.allocateDirect(2048);
            peer.configureBlocking(false);
            double bytes = io.sfu.core.testing.Allocations.bytesPerRun(() -> {
                socket.send(slot, 0, 1200, target);
                drain.clear();
                try {
                    peer.receive(drain);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(bytes).as("bytes per datagram sent and drained").isLessThan(1.0);
            slot.release();
        }
    }
}
