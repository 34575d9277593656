package io.sfu.client;

import static io.sfu.client.ClientTests.fastConfig;
import static io.sfu.client.ClientTests.get;
import static io.sfu.client.ClientTests.onLoop;
import static io.sfu.client.ClientTests.payload;
import static io.sfu.client.ClientTests.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber with {@code pc.lightReceive} behind the fixture: every packet counted and handed over still
 * protected, decrypted only when the listener asks, and a forged packet refused when it does.
 */
class ClientLightReceiveTest {
    private MiniSfu sfu;
    private ClientIoLoop loop;

    @BeforeEach
    void start() throws Exception {
        sfu = new MiniSfu();
        loop = ClientIoLoop.start(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        sfu.close();
    }

    /** What the light listener saw of one packet: its header, its payload as delivered, and the decryption. */
    private record Seen(int sequence, int payloadLength, byte[] deliveredPayload, Boolean decrypted,
                        byte[] plainPayload) {
    }

    /** Decrypts the packets whose sequence number {@code decrypt} selects. */
    private static final class LightListener implements ClientPeerConnection.Listener {
        final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        volatile int plainDeliveries;
        volatile boolean unprotectedTwice;
        final java.util.function.IntPredicate decrypt;

        LightListener(java.util.function.IntPredicate decrypt) {
            this.decrypt = decrypt;
        }

        @Override
        public void onProtectedRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            int sequence = packet.sequenceNumber();
            int length = packet.payloadLength();
            byte[] delivered = copy(packet);
            Boolean decrypted = null;
            byte[] plain = null;
            if (decrypt.test(sequence)) {
                decrypted = pc.unprotect(packet);
                if (decrypted) {
                    plain = copy(packet);
                    // once only: the packet is plain now
                    unprotectedTwice |= pc.unprotect(packet);
                }
            }
            seen.add(new Seen(sequence, length, delivered, decrypted, plain));
        }

        @Override
        public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            plainDeliveries++;
        }

        private static byte[] copy(RtpPacket packet) {
            byte[] bytes = new byte[packet.payloadLength()];
            packet.buffer().getBytes(packet.payloadOffset(), bytes);
            return bytes;
        }

        Seen take() throws InterruptedException {
            Seen s = seen.poll(ClientTests.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("no packet within " + ClientTests.TIMEOUT);
            }
            return s;
        }
    }

    @Test
    void everyPacketIsCountedAndHandedOverProtectedAndOnlyThoseAskedForAreDecrypted() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")), fastConfig().build(),
            new ClientTests.Recorder());
        RtpSender cam = p.pc().sender("cam");
        int first = onLoop(loop, cam::nextSequenceNumber);
        LightListener events = new LightListener(sequence -> ((sequence - first) & 0xFFFF) % 4 == 0);
        ClientPeerConnection pc = subscribe(p.transport(), events);

        onLoop(loop, () -> {
            for (int i = 0; i < 100; i++) {
                byte[] data = payload(i, 200 + i % 300);
                assertThat(cam.send(data, 0, data.length, false, 3000L * i)).isTrue();
            }
            return null;
        });

        for (int i = 0; i < 100; i++) {
            Seen s = events.take();
            assertThat(s.sequence()).isEqualTo((first + i) & 0xFFFF);
            // the header is clear and the payload length right; the payload itself is still encrypted
            assertThat(s.payloadLength()).isEqualTo(200 + i % 300);
            assertThat(s.deliveredPayload()).isNotEqualTo(payload(i, 200 + i % 300));
            if (i % 4 == 0) {
                assertThat(s.decrypted()).isTrue();
                assertThat(s.plainPayload()).isEqualTo(payload(i, 200 + i % 300));
            } else {
                assertThat(s.decrypted()).isNull();
            }
        }
        assertThat(events.plainDeliveries).isZero();
        assertThat(events.unprotectedTwice).isFalse();
        ReceiveStream stream = onLoop(loop, () -> pc.receiveStream(cam.ssrc()));
        assertThat(onLoop(loop, stream::packetsReceived)).isEqualTo(100);
        assertThat(onLoop(loop, () -> stream.statistics().cumulativeLost())).isZero();
        assertThat(pc.stats().get(ClientStats.Counter.RTP_PACKETS_RECEIVED)).isEqualTo(100);
        assertThat(pc.stats().get(ClientStats.Counter.SRTP_FAILURES)).isZero();
        assertThat(pc.stats().get(ClientStats.Counter.NACKS_SENT)).isZero();
    }

    @Test
    void aForgedPacketIsHandedOverAndRefusedWhenTheListenerDecryptsIt() throws Exception {
        ClientTests.Publisher p = publish(loop, sfu, List.of(TrackSpec.video("cam")), fastConfig().build(),
            new ClientTests.Recorder());
        RtpSender cam = p.pc().sender("cam");
        LightListener events = new LightListener(sequence -> true);
        ClientPeerConnection pc = subscribe(p.transport(), events);
        onLoop(loop, () -> {
            byte[] data = payload(0, 300);
            assertThat(cam.send(data, 0, data.length, false, 0)).isTrue();
            return null;
        });
        Seen real = events.take();
        assertThat(real.decrypted()).isTrue();

        // the stream's SSRC and next sequence number, 300 random bytes and a random tag, from another socket
        byte[] forged = new byte[400];
        SplittableRandom random = new SplittableRandom(5);
        byte[] junk = new byte[300];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) random.nextInt(256);
        }
        int length = new RtpPacketWriter().wrap(new UnsafeBuffer(forged), 0, forged.length).payloadType(96)
            .sequenceNumber((real.sequence() + 1) & 0xFFFF).timestamp(3000).ssrc(cam.ssrc()).payload(junk).length();
        for (int i = length; i < length + 16; i++) {
            forged[i] = (byte) random.nextInt(256);
        }
        try (DatagramChannel attacker = DatagramChannel.open()) {
            attacker.send(ByteBuffer.wrap(Arrays.copyOf(forged, length + 16)),
                new InetSocketAddress(pc.localAddress().getAddress(), pc.localAddress().getPort()));
        }

        Seen seen = events.take();
        assertThat(seen.sequence()).isEqualTo((real.sequence() + 1) & 0xFFFF);
        assertThat(seen.decrypted()).isFalse();
        assertThat(pc.stats().get(ClientStats.Counter.SRTP_FAILURES)).isEqualTo(1);
        // the real packet with that sequence number still authenticates afterwards
        onLoop(loop, () -> {
            byte[] data = payload(1, 300);
            assertThat(cam.send(data, 0, data.length, false, 3000)).isTrue();
            return null;
        });
        Seen next = events.take();
        assertThat(next.decrypted()).isTrue();
        assertThat(next.plainPayload()).isEqualTo(payload(1, 300));
    }

    private ClientPeerConnection subscribe(MiniSfu.Transport publisher, LightListener events) throws Exception {
        MiniSfu.Transport transport = sfu.newTransport();
        ClientPeerConnection pc = loop.newPeerConnection(fastConfig().lightReceive(true).build(), events);
        transport.acceptAnswer(pc.acceptOffer(transport.subscriberOffer("alice", publisher.published)));
        publisher.forwardTo.add(transport);
        transport.forwardTo.add(publisher);
        get(pc.connected());
        get(transport.handshake);
        return pc;
    }
}
