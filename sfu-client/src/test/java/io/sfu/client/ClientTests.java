package io.sfu.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.rtp.RtpPacket;
import org.agrona.DirectBuffer;

/** Shared pieces of the client tests: settings for fast loopback handshakes, a recording listener, waiting. */
final class ClientTests {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** One certificate for the many connections of a test: generating one per connection only costs time. */
    static final DtlsCertificate CLIENT_CERTIFICATE = DtlsCertificate.generate();

    private ClientTests() {
    }

    static ClientPeerConnectionConfig.Builder fastConfig() {
        return ClientPeerConnectionConfig.builder()
            .certificate(CLIENT_CERTIFICATE)
            .dtlsConfig(DtlsConfig.builder().initialRetransmitMillis(100).handshakeTimeout(Duration.ofSeconds(20))
                .build());
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Runs {@code work} on the loop thread and returns its result. */
    static <T> T onLoop(ClientIoLoop loop, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        return get(result);
    }

    /** Connects a publisher of {@code tracks} to a fresh fixture transport; returns once both sides are up. */
    static Publisher publish(ClientIoLoop loop, MiniSfu sfu, List<TrackSpec> tracks,
        ClientPeerConnectionConfig config, Recorder recorder) throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        ClientPeerConnection pc = loop.newPeerConnection(config, recorder);
        String offer = pc.createOffer(tracks);
        pc.applyAnswer(transport.answer(offer));
        get(pc.connected());
        get(transport.handshake);
        return new Publisher(pc, transport);
    }

    record Publisher(ClientPeerConnection pc, MiniSfu.Transport transport) {
    }

    /** A received packet, copied out of the flyweight. */
    record Received(int ssrc, int sequence, int payloadType, long timestamp, boolean marker, byte[] payload,
                    boolean retransmission) {
    }

    /** Records what a connection tells its listener. */
    static final class Recorder implements ClientPeerConnection.Listener {
        final BlockingQueue<Received> rtp = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();
        final List<RemoteTrack> tracks = new CopyOnWriteArrayList<>();
        final List<RemoteTrack> removedTracks = new CopyOnWriteArrayList<>();
        final BlockingQueue<RtpSender> keyframeRequests = new LinkedBlockingQueue<>();
        final List<ClientState> states = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onStateChange(ClientPeerConnection pc, ClientState state) {
            states.add(state);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onTrack(ClientPeerConnection pc, RemoteTrack track) {
            tracks.add(track);
        }

        @Override
        public void onTrackRemoved(ClientPeerConnection pc, RemoteTrack track) {
            removedTracks.add(track);
        }

        @Override
        public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            byte[] payload = new byte[packet.payloadLength()];
            packet.buffer().getBytes(packet.payloadOffset(), payload);
            rtp.add(new Received(packet.ssrc(), packet.sequenceNumber(), packet.payloadType(), packet.timestamp(),
                packet.marker(), payload, pc.deliveringRetransmission()));
        }

        @Override
        public void onRtcp(ClientPeerConnection pc, DirectBuffer buffer, int offset, int length, long arrivalNs) {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            rtcp.add(copy);
        }

        @Override
        public void onKeyframeRequest(ClientPeerConnection pc, RtpSender sender, boolean fir) {
            keyframeRequests.add(sender);
        }

        /** Takes packets until every sequence number in {@code wanted} was among them; fails after the timeout. */
        List<Received> takeRtpUntilSeen(java.util.Set<Integer> wanted) throws InterruptedException {
            List<Received> out = new ArrayList<>();
            java.util.Set<Integer> missing = new java.util.TreeSet<>(wanted);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!missing.isEmpty()) {
                Received r = rtp.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("never received " + missing);
                }
                out.add(r);
                missing.remove(r.sequence());
            }
            return out;
        }

        /** Takes {@code count} packets, failing after the timeout. */
        List<Received> takeRtp(int count) throws InterruptedException {
            List<Received> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (out.size() < count) {
                Received r = rtp.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("received " + out.size() + " of " + count + " RTP packets");
                }
                out.add(r);
            }
            return out;
        }
    }

    /** Waits for the fixture to have received {@code count} packets; returns copies, in arrival order. */
    static List<byte[]> take(BlockingQueue<byte[]> queue, int count) throws InterruptedException {
        List<byte[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (out.size() < count) {
            byte[] b = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (b == null) {
                throw new AssertionError("got " + out.size() + " of " + count + " packets");
            }
            out.add(b);
        }
        return out;
    }

    /** Takes packets from the queue until one satisfies the test; fails after the timeout. */
    static byte[] takeUntil(BlockingQueue<byte[]> queue, java.util.function.Predicate<byte[]> test)
        throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            byte[] b = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (b == null) {
                throw new AssertionError("no packet matched within " + TIMEOUT);
            }
            if (test.test(b)) {
                return b;
            }
        }
    }

    /** A deterministic payload for packet {@code i}: its bytes say which packet it was. */
    static byte[] payload(int i, int length) {
        byte[] p = new byte[length];
        for (int j = 0; j < length; j++) {
            p[j] = (byte) (i * 31 + j * 7);
        }
        return p;
    }

    static byte[] rtpPayload(byte[] packet) {
        RtpPacket rtp = new RtpPacket();
        if (!rtp.wrap(new org.agrona.concurrent.UnsafeBuffer(packet), 0, packet.length)) {
            throw new AssertionError("not RTP");
        }
        return Arrays.copyOfRange(packet, rtp.payloadOffset(), rtp.payloadOffset() + rtp.payloadLength());
    }
}
