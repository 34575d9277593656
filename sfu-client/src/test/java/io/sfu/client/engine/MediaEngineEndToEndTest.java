package io.sfu.client.engine;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientIoLoopConfig;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientPeerConnectionConfig;
import io.sfu.client.ClientState;
import io.sfu.client.Impairment;
import io.sfu.client.RtpSender;
import io.sfu.client.TrackSpec;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.media.UdpMediaEngine;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.MediaSessionListener;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.Permissions;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackStats;
import io.sfu.core.srtp.SrtpProfile;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The media engine over real loopback UDP with the project's Java WebRTC client as the peer: ICE-lite, DTLS-SRTP
 * with each profile, SRTP and SRTCP both ways, refusals of bad credentials and fingerprints, and forwarding from one
 * publisher to many subscribers with NACK recovery. The test thread plays the control plane.
 */
class MediaEngineEndToEndTest {
    private static final long WAIT_S = 15;

    private UdpMediaEngine engine;
    private ClientIoLoop loop;
    private final List<MediaSession> sessions = new ArrayList<>();

    /** Records what the engine reports about one participant. */
    static final class Events implements MediaSessionListener {
        final CopyOnWriteArrayList<Track> tracks = new CopyOnWriteArrayList<>();
        final CopyOnWriteArrayList<PeerConnectionRole> connected = new CopyOnWriteArrayList<>();
        final CountDownLatch failed = new CountDownLatch(1);
        final CopyOnWriteArrayList<String> transportFailures = new CopyOnWriteArrayList<>();

        @Override
        public void onPublishedTracks(List<Track> published) {
            tracks.clear();
            tracks.addAll(published);
        }

        @Override
        public void onConnected(PeerConnectionRole pc) {
            connected.add(pc);
        }

        @Override
        public void onConsentExpired() {
            failed.countDown();
        }

        @Override
        public void onTransportFailed(String reason) {
            transportFailures.add(reason);
            failed.countDown();
        }

        @Override
        public void onDominantSpeaker(String participantId) {
        }
    }

    /** Collects what a subscriber receives: sequence numbers and payloads, in arrival order. */
    static final class Received implements ClientPeerConnection.Listener {
        final List<Integer> sequences = new CopyOnWriteArrayList<>();
        final Map<Integer, byte[]> payloads = new ConcurrentHashMap<>();
        final AtomicInteger rtcp = new AtomicInteger();

        @Override
        public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            byte[] payload = new byte[packet.payloadLength()];
            packet.buffer().getBytes(packet.payloadOffset(), payload);
            int seq = sequenceIn(payload);
            sequences.add(seq);
            payloads.put(seq, payload);
        }

        @Override
        public void onRtcp(ClientPeerConnection pc, DirectBuffer buffer, int offset, int length, long arrivalNs) {
            rtcp.incrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        engine = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0), List.of(loopback),
            Duration.ofSeconds(30), Duration.ofSeconds(10), 2));
        // twenty subscribers share one client thread: give their sockets room for the bursts it cannot read at once
        loop = ClientIoLoop.start(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
    }

    @AfterEach
    void stop() {
        sessions.forEach(MediaSession::close);
        loop.close();
        engine.close();
        assertThat(engine.openSessions()).isZero();
    }

    private MediaSession session(String participant, Events events) {
        MediaSession session = engine.createSession(new MediaSessionContext("room", participant, participant,
            Permissions.ALL), events);
        sessions.add(session);
        return session;
    }

    private static ClientPeerConnectionConfig clientConfig(SrtpProfile profile, Impairment receiveImpairment) {
        return ClientPeerConnectionConfig.builder()
            .dtlsConfig(DtlsConfig.builder().srtpProfiles(profile.id()).build())
            .receiveImpairment(receiveImpairment)
            .build();
    }

    /** A connected publisher of one video track, and the track the engine made of it. */
    private record Publisher(ClientPeerConnection pc, Track track, Events events) {
    }

    private Publisher publish(String participant, SrtpProfile profile) throws Exception {
        Events events = new Events();
        MediaSession session = session(participant, events);
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(profile, Impairment.NONE), null);
        String offer = pc.createOffer(List.of(TrackSpec.video("cam")));
        pc.applyAnswer(session.onPublisherOffer(offer).toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS));
        pc.connected().get(WAIT_S, TimeUnit.SECONDS);
        assertThat(events.tracks).hasSize(1);
        return new Publisher(pc, events.tracks.get(0), events);
    }

    private ClientPeerConnection subscribe(String participant, Publisher publisher, SrtpProfile profile,
                                           Impairment impairment, Received received) throws Exception {
        Events events = new Events();
        MediaSession session = session(participant, events);
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(profile, impairment), received);
        String offer = session.createSubscriberOffer(List.of(new SubscribedTrack("pub", publisher.track())))
            .toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
        String answer = pc.acceptOffer(offer);
        session.onSubscriberAnswer(answer).toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
        pc.connected().get(WAIT_S, TimeUnit.SECONDS);
        // the client may finish its handshake a moment before the SFU has the keys: wait for the SFU's side too
        awaitCount(events.connected, 1, WAIT_S);
        assertThat(events.connected).containsExactly(PeerConnectionRole.SUBSCRIBER);
        return pc;
    }

    /** A VP8 payload (RFC 7741) that carries its own index in bytes 10..13, so receivers can check it exactly. */
    private static byte[] payload(int index, boolean keyframe) {
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (index * 7 + i * 13);
        }
        payload[0] = 0x10;
        payload[1] = (byte) (keyframe ? 0x00 : 0x01);
        payload[2] = 0;
        payload[3] = 0;
        payload[4] = (byte) 0x9d;
        payload[5] = 0x01;
        payload[6] = 0x2a;
        payload[10] = (byte) (index >>> 24);
        payload[11] = (byte) (index >>> 16);
        payload[12] = (byte) (index >>> 8);
        payload[13] = (byte) index;
        return payload;
    }

    private static int sequenceIn(byte[] payload) {
        return ((payload[10] & 0xFF) << 24) | ((payload[11] & 0xFF) << 16) | ((payload[12] & 0xFF) << 8)
            | (payload[13] & 0xFF);
    }

    /** Sends {@code count} packets paced at about one per millisecond, on the client loop's thread. */
    private void sendVideo(ClientPeerConnection publisher, int count) throws Exception {
        RtpSender sender = publisher.senders().get(0);
        for (int i = 0; i < count; i++) {
            int index = i;
            CountDownLatch sent = new CountDownLatch(1);
            loop.execute(() -> {
                sender.send(payload(index, index == 0), 0, 1000, true, 3000L * index);
                sent.countDown();
            });
            assertThat(sent.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(index % 4 == 0 ? 1 : 0);
        }
    }

    private static void awaitCount(List<?> list, int count, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (list.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void mediaAndRtcpFlowBothWaysWithEverySrtpProfile(SrtpProfile profile) throws Exception {
        Publisher publisher = publish("pub", profile);
        Received received = new Received();
        ClientPeerConnection subscriber = subscribe("sub", publisher, profile, Impairment.NONE, received);

        assertThat(publisher.pc().srtpProfile()).isEqualTo(profile);
        assertThat(subscriber.srtpProfile()).isEqualTo(profile);
        sendVideo(publisher.pc(), 50);
        awaitCount(received.sequences, 50, WAIT_S);

        assertThat(received.sequences).hasSize(50);
        // SRTCP toward both: receiver reports to the publisher, sender reports to the subscriber, once a second
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((publisher.pc().stats().rtcpPacketsReceived() == 0 || received.rtcp.get() == 0)
            && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(publisher.pc().stats().rtcpPacketsReceived()).isPositive();
        assertThat(received.rtcp.get()).isPositive();
        assertThat(publisher.pc().stats().srtpFailures()).isZero();
        assertThat(subscriber.stats().srtpFailures()).isZero();
        assertThat(publisher.events().connected).contains(PeerConnectionRole.PUBLISHER);
    }

    @Test
    void onePublisherReachesTwentySubscribersOnceInOrderAndBitExact() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AEAD_AES_128_GCM);
        List<Received> receivers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Received received = new Received();
            subscribe("sub" + i, publisher, SrtpProfile.SRTP_AEAD_AES_128_GCM, Impairment.NONE, received);
            receivers.add(received);
        }
        int count = 300;
        sendVideo(publisher.pc(), count);
        for (Received received : receivers) {
            awaitCount(received.sequences, count, WAIT_S);
        }

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(i);
        }
        for (int s = 0; s < receivers.size(); s++) {
            Received received = receivers.get(s);
            assertThat(received.sequences).as("subscriber %d", s).containsExactlyElementsOf(expected);
            for (int i = 0; i < count; i++) {
                assertThat(received.payloads.get(i)).as("payload %d at subscriber %d", i, s)
                    .isEqualTo(payload(i, i == 0));
            }
        }
        List<TrackStats> stats = sessions.get(1).stats();
        assertThat(stats).anySatisfy(t -> assertThat(t.direction()).isEqualTo(TrackStats.Direction.SUBSCRIBED));
    }

    @Test
    void nackAndRetransmissionRecoverFivePercentLossTowardASubscriber() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AEAD_AES_128_GCM);
        Received received = new Received();
        Impairment loss = Impairment.builder().lossRate(0.05).seed(7).build();
        ClientPeerConnection subscriber = subscribe("lossy", publisher, SrtpProfile.SRTP_AEAD_AES_128_GCM, loss,
            received);

        int count = 600;
        sendVideo(publisher.pc(), count);
        Thread.sleep(1500);

        long unique = received.sequences.stream().distinct().count();
        assertThat(subscriber.stats().nacksSent()).as("NACKs sent by the subscriber").isPositive();
        assertThat(subscriber.stats().retransmissionsReceived()).as("retransmissions received").isPositive();
        assertThat((double) unique / count).as("fraction of %d packets delivered", count).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void wrongIceCredentialsAreRefused() throws Exception {
        MediaSession session = session("pub", new Events());
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM,
            Impairment.NONE), null);
        String answer = session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.video("cam"))))
            .toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
        String wrongPassword = answer.replaceAll("a=ice-pwd:[^\r\n]+", "a=ice-pwd:WRONGwrongWRONGwrongWRONGx");
        pc.applyAnswer(wrongPassword);

        assertThatThrownBy(() -> pc.connected().get(60, TimeUnit.SECONDS)).hasMessageContaining("401");
        assertThat(pc.state()).isEqualTo(ClientState.FAILED);
        assertThat(engine.counters().get("media_ice_checks_refused")).isPositive();
        assertThat(engine.counters().get("media_ice_checks_valid")).isZero();
    }

    @Test
    void aFingerprintThatDoesNotMatchFailsTheHandshakeOnBothSides() throws Exception {
        Events events = new Events();
        MediaSession session = session("pub", events);
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM,
            Impairment.NONE), null);
        String offer = pc.createOffer(List.of(TrackSpec.video("cam")));
        // the SFU is told another certificate's fingerprint than the one the client presents
        String forged = offer.replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
            "a=fingerprint:sha-256 " + String.join(":", java.util.Collections.nCopies(32, "AB")));
        pc.applyAnswer(session.onPublisherOffer(forged).toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS));

        assertThatThrownBy(() -> pc.connected().get(WAIT_S, TimeUnit.SECONDS)).isNotNull();
        assertThat(events.failed.await(WAIT_S, TimeUnit.SECONDS)).as("the SFU gives the session up").isTrue();
        assertThat(events.transportFailures).singleElement().asString().startsWith("publisher: ")
            .contains("fingerprint");
        assertThat(events.connected).isEmpty();
    }

    @Test
    void garbageFromUnknownAddressesIsDroppedAndCountedWithoutAnAnswer() throws Exception {
        try (java.net.DatagramSocket stranger = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            stranger.setSoTimeout(300);
            InetSocketAddress media = engine.localAddress();
            byte[][] garbage = {
                {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1},
                {22, (byte) 0xfe, (byte) 0xfd, 0, 0},
                {0, 1, 0, 0, 0x21, 0x12, (byte) 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                {(byte) 0xff},
            };
            for (byte[] datagram : garbage) {
                stranger.send(new java.net.DatagramPacket(datagram, datagram.length, media));
            }
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[1500], 1500);
            assertThatThrownBy(() -> stranger.receive(reply)).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.droppedUnknown() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(engine.droppedUnknown()).isEqualTo(4);
        assertThat(engine.packetSlotsInUse()).isLessThanOrEqualTo(1);
    }

    @Test
    void closingSessionsReleasesTheirTransports() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        subscribe("sub", publisher, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, Impairment.NONE, new Received());
        assertThat(engine.openSessions()).isEqualTo(2);

        sessions.forEach(MediaSession::close);
        sessions.clear();

        assertThat(engine.openSessions()).isZero();
        assertThat(engine.publishedTracks()).isZero();
        assertThat(engine.registeredTransports()).isZero();
        // the SFU closed the DTLS associations: the clients hear close_notify and stop
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publisher.pc().state() == ClientState.CONNECTED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(publisher.pc().state()).isNotEqualTo(ClientState.CONNECTED);
    }

    @Test
    void aPeerThatFallsSilentLosesItsSessionAfterTheConsentTimeout() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (UdpMediaEngine shortConsent = new UdpMediaEngine(new MediaEngineConfig(
            new InetSocketAddress(loopback, 0), List.of(loopback), Duration.ofSeconds(2), Duration.ofSeconds(10), 1))) {
            Events events = new Events();
            MediaSession session = shortConsent.createSession(new MediaSessionContext("room", "quiet", "quiet",
                Permissions.ALL), events);
            ClientIoLoop quietLoop = ClientIoLoop.start(ClientIoLoopConfig.defaults());
            ClientPeerConnection pc = quietLoop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM,
                Impairment.NONE), null);
            pc.applyAnswer(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.audio("mic"))))
                .toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS));
            pc.connected().get(WAIT_S, TimeUnit.SECONDS);
            assertThat(events.failed.getCount()).isEqualTo(1);

            quietLoop.close();

            assertThat(events.failed.await(WAIT_S, TimeUnit.SECONDS)).as("consent expired").isTrue();
            assertThat(events.transportFailures).as("consent, not the handshake").isEmpty();
            session.close();
            assertThat(shortConsent.openSessions()).isZero();
            assertThat(shortConsent.registeredTransports()).isZero();
            assertThat(shortConsent.publishedTracks()).isZero();
        }
    }
}
