package io.sfu.client;

import static io.sfu.client.ClientTests.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.List;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sending and receiving media allocate nothing once warm. The loop is driven by the test thread (so that the
 * thread-local allocation counter sees the loop's work); the fixture runs on its own thread.
 */
class ClientAllocationTest {
    /** How long one round trip may take before it counts as unanswered: far beyond loopback, even on a busy machine. */
    private static final long ECHO_WAIT_NS = 2_000_000_000L;

    private MiniSfu sfu;
    private ClientIoLoop loop;

    @BeforeEach
    void start() throws Exception {
        sfu = new MiniSfu();
        loop = ClientIoLoop.create(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        sfu.close();
    }

    private void driveUntilConnected(ClientPeerConnection pc) {
        long deadline = System.nanoTime() + ClientTests.TIMEOUT.toNanos();
        while (!pc.connected().isDone() && System.nanoTime() < deadline) {
            loop.doWork();
        }
        assertThat(pc.state()).isEqualTo(ClientState.CONNECTED);
    }

    private ClientTests.Publisher publisher(MiniSfu.Transport transport, TrackSpec track) {
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), null);
        pc.applyAnswer(transport.answer(pc.createOffer(List.of(track))));
        driveUntilConnected(pc);
        return new ClientTests.Publisher(pc, transport);
    }

    @Test
    void sendingVideoWithHistoryAndSrtpOverUdpAllocatesNothing() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        transport.capture = false;
        ClientTests.Publisher p = publisher(transport, TrackSpec.video("cam"));
        RtpSender sender = p.pc().sender("cam");
        byte[] payload = ClientTests.payload(1, 1000);
        long[] timestamp = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            if (!sender.send(payload, 0, payload.length, false, timestamp[0] += 3000)) {
                throw new AssertionError("send refused");
            }
            loop.doWork();
        });

        assertThat(bytes).isZero();
        assertThat(p.pc().stats().rtpPacketsSent()).isGreaterThanOrEqualTo(150_000);
        assertThat(p.pc().stats().sendFailures()).isZero();

        // a figure, not an assertion: the cost of one 1000-byte packet through header, history, SRTP and socket
        int n = 100_000;
        long startNs = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sender.send(payload, 0, payload.length, false, timestamp[0] += 3000);
            if ((i & 15) == 0) {
                loop.doWork();
            }
        }
        long perPacketNs = (System.nanoTime() - startNs) / n;
        System.out.println("client send path (VP8 1000 B, AEAD-GCM, history, sendto): " + perPacketNs
            + " ns/packet, profile " + p.pc().srtpProfile());
    }

    @Test
    void answeringNacksWithRtxAllocatesNothing() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        transport.capture = false;
        ClientTests.Publisher p = publisher(transport, TrackSpec.video("cam"));
        RtpSender sender = p.pc().sender("cam");
        byte[] payload = ClientTests.payload(1, 800);
        long[] timestamp = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            sender.send(payload, 0, payload.length, false, timestamp[0] += 3000);
            sender.retransmit((sender.nextSequenceNumber() - 1) & 0xFFFF, loop.nanoTime());
            loop.doWork();
        });

        assertThat(bytes).isZero();
        assertThat(p.pc().stats().retransmissionsSent()).isGreaterThanOrEqualTo(150_000);
    }

    /**
     * Receiving: SRTP unprotect, demultiplexing, statistics, NACK tracking, RTX unwrapping of every tenth packet and
     * delivery to the listener. The packets are protected by the fixture's sending context on this thread and handed
     * to the connection as the socket would.
     */
    @Test
    void receivingMediaAndRtxAllocatesNothing() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        transport.capture = false;
        MiniSfu.PublishedInfo track = new MiniSfu.PublishedInfo("video", "cam", 1111, 2222,
            new io.sfu.core.sdp.Codec(96, new io.sfu.core.sdp.Rtpmap(96, "VP8", 90000), null,
                List.of(new io.sfu.core.sdp.RtcpFb(96, "nack"))), 97);
        long[] delivered = {0};
        ClientPeerConnection.Listener counting = new ClientPeerConnection.Listener() {
            @Override
            public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
                delivered[0] += packet.payloadLength();
            }
        };
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().build(), counting);
        transport.acceptAnswer(pc.acceptOffer(transport.subscriberOffer("alice", List.of(track))));
        driveUntilConnected(pc);
        assertThat(transport.handshake.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();

        SrtpContext protect = transport.sendingContext();
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
        RtpPacketWriter writer = new RtpPacketWriter();
        byte[] payload = ClientTests.payload(3, 900);
        byte[] mid = "0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int[] sequence = {0};
        int[] rtxSequence = {0};
        Runnable receiveOne = () -> {
            int n = sequence[0]++;
            int seq = n & 0xFFFF;
            int length;
            if (n % 10 == 5) {
                // this one "was lost"; its RTX copy arrives instead, carrying the original sequence number first
                writer.wrap(buffer, 0, 1400).payloadType(97).sequenceNumber(rtxSequence[0]++).timestamp(n * 3000L)
                    .ssrc(2222).extension(4, mid);
                int header = writer.length();
                buffer.putShort(header, (short) seq, ByteOrder.BIG_ENDIAN);
                buffer.putBytes(header + 2, payload);
                length = header + 2 + payload.length;
            } else {
                length = writer.wrap(buffer, 0, 1400).payloadType(96).sequenceNumber(seq).timestamp(n * 3000L)
                    .ssrc(1111).extension(4, mid).payload(payload).length();
            }
            int protectedLength = protect.protectRtp(buffer, 0, length);
            pc.onDatagram(buffer, 0, protectedLength, loop.nanoTime());
        };

        double bytes = Allocations.bytesPerRun(() -> {
            receiveOne.run();
            if ((sequence[0] & 0xFF) == 0) {
                loop.doWork();
            }
        });

        assertThat(bytes).isZero();
        assertThat(pc.stats().rtpPacketsReceived()).isGreaterThanOrEqualTo(150_000);
        assertThat(pc.stats().retransmissionsReceived()).isGreaterThanOrEqualTo(15_000);
        assertThat(pc.stats().srtpFailures()).isZero();
        assertThat(delivered[0]).isEqualTo(pc.stats().rtpPacketsReceived() * payload.length);
    }

    /**
     * The whole path over real sockets: send, the fixture echoes the packet back re-encrypted, the selector wakes,
     * the socket is read, and the packet is unprotected and delivered. Each run waits for its own echo, so the
     * sender never outruns the echo (a burst of tens of thousands of unread packets would overflow the socket and
     * put the SRTP index estimate out of step, RFC 3711 §3.3.1). Reported, and held to zero.
     */
    @Test
    void aFullRoundTripThroughSocketsAndSelectorAllocatesNothing() throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        transport.capture = false;
        transport.echo = true;
        ClientTests.Publisher p = publisher(transport, TrackSpec.video("cam"));
        RtpSender sender = p.pc().sender("cam");
        ClientStats stats = p.pc().stats();
        byte[] payload = ClientTests.payload(1, 600);
        long[] timestamp = {0};
        long[] unanswered = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            long before = stats.rtpPacketsReceived();
            sender.send(payload, 0, payload.length, false, timestamp[0] += 3000);
            long deadline = System.nanoTime() + ECHO_WAIT_NS;
            do {
                loop.doWork();
            } while (stats.rtpPacketsReceived() == before && System.nanoTime() - deadline < 0);
            if (stats.rtpPacketsReceived() == before) {
                unanswered[0]++;
            }
        }, 20_000, 20_000);
        System.out.println("client send + echo receive through the selector: " + bytes + " bytes/packet; " + stats);

        assertThat(stats.rtpPacketsReceived()).isPositive();
        assertThat(bytes).isZero();
        assertThat(stats.srtpFailures()).isZero();
        assertThat(unanswered[0]).as("round trips whose echo never came").isZero();
    }
}
