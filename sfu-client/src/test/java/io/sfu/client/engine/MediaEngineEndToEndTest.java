package io.sfu.client.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientIoLoopConfig;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientPeerConnectionConfig;
import io.sfu.client.ClientState;
import io.sfu.client.ClientStats;
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
import io.sfu.core.testing.Await;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real media engine end to end, over loopback UDP, with the Java WebRTC client as its peers: ICE-lite,
 * DTLS-SRTP with each profile, SRTP and SRTCP both ways, refusals of bad credentials and fingerprints, garbage from
 * strangers, forwarding from one publisher to many subscribers, NACK recovery of known lost packets, and the release
 * of every transport when sessions close or consent expires. The test thread plays the control plane and reaches
 * the engine through its public API only. It waits on conditions, never for a guessed time.
 */
class MediaEngineEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Media goes out in windows of this many packets; the next waits until every receiver has the last. */
    private static final int WINDOW = 50;

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

    /** Collects what a subscriber receives: packet indices in arrival order, their payloads, and which recovered. */
    static final class Received implements ClientPeerConnection.Listener {
        final List<Integer> indices = new CopyOnWriteArrayList<>();
        final Map<Integer, byte[]> payloads = new ConcurrentHashMap<>();
        final Set<Integer> recovered = ConcurrentHashMap.newKeySet();
        final AtomicInteger rtcp = new AtomicInteger();
        /** The sequence number of the last packet that was not a retransmission. */
        volatile int lastSequence = -1;

        @Override
        public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            byte[] payload = new byte[packet.payloadLength()];
            packet.buffer().getBytes(packet.payloadOffset(), payload);
            int index = indexIn(payload);
            if (pc.deliveringRetransmission()) {
                recovered.add(index);
            } else {
                lastSequence = packet.sequenceNumber();
            }
            payloads.put(index, payload);
            indices.add(index);
        }

        @Override
        public void onRtcp(ClientPeerConnection pc, DirectBuffer buffer, int offset, int length, long arrivalNs) {
            rtcp.incrementAndGet();
        }

        /** Whether every packet with an index below {@code count} has arrived. */
        boolean hasAllBelow(int count) {
            for (int i = 0; i < count; i++) {
                if (!payloads.containsKey(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Puts something between a subscriber and the engine by rewriting the engine's offer. */
    private interface OfferRoute {
        String route(ClientPeerConnection subscriber, String offer) throws Exception;
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

    private static ClientPeerConnectionConfig clientConfig(SrtpProfile profile) {
        return ClientPeerConnectionConfig.builder()
            .dtlsConfig(DtlsConfig.builder().srtpProfiles(profile.id()).build())
            .build();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A connected publisher of one video track, and the track the engine made of it. */
    private record Publisher(ClientPeerConnection pc, Track track, Events events) {
    }

    private Publisher publish(String participant, SrtpProfile profile) throws Exception {
        Events events = new Events();
        MediaSession session = session(participant, events);
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(profile), null);
        String offer = pc.createOffer(List.of(TrackSpec.video("cam")));
        pc.applyAnswer(get(session.onPublisherOffer(offer).toCompletableFuture()));
        get(pc.connected());
        // as for a subscriber: media sent before the engine has the keys is dropped (not ready), and a first window
        // lost whole is never NACKed
        Await.until("the engine to report " + participant + " connected", WAIT, () -> !events.connected.isEmpty());
        assertThat(events.tracks).hasSize(1);
        return new Publisher(pc, events.tracks.get(0), events);
    }

    private ClientPeerConnection subscribe(String participant, Publisher publisher, SrtpProfile profile,
                                           Received received) throws Exception {
        return subscribe(participant, publisher, profile, received, (pc, offer) -> offer);
    }

    private ClientPeerConnection subscribe(String participant, Publisher publisher, SrtpProfile profile,
                                           Received received, OfferRoute route) throws Exception {
        Events events = new Events();
        MediaSession session = session(participant, events);
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(profile), received);
        String offer = get(session.createSubscriberOffer(List.of(new SubscribedTrack("pub", publisher.track())))
            .toCompletableFuture());
        String answer = pc.acceptOffer(route.route(pc, offer));
        get(session.onSubscriberAnswer(answer).toCompletableFuture());
        get(pc.connected());
        // the client may finish its handshake a moment before the engine has the keys: wait for the engine's side too
        Await.until("the engine to report " + participant + " connected", WAIT, () -> !events.connected.isEmpty());
        assertThat(events.connected).containsExactly(PeerConnectionRole.SUBSCRIBER);
        return pc;
    }

    /** A VP8 payload (RFC 7741) that carries its own index in bytes 10..13, so receivers can check it exactly. */
    /** A 1,000-octet VP8-like payload carrying its index (a keyframe or not). */
    private static byte[] payload(int index, boolean keyframe) {
        return MediaRelayEndToEndTest.payload(index, keyframe, 0);
    }

    private static int indexIn(byte[] payload) {
        return ((payload[10] & 0xFF) << 24) | ((payload[11] & 0xFF) << 16) | ((payload[12] & 0xFF) << 8)
            | (payload[13] & 0xFF);
    }

    /**
     * Sends packets 0 to {@code count - 1}, a window at a time on the client loop's thread; before the next window it
     * waits until every receiver has every packet sent so far, so no socket on the way ever holds more than a window.
     */
    private void sendVideo(ClientPeerConnection publisher, int count, List<Received> receivers) throws Exception {
        RtpSender sender = publisher.senders().get(0);
        for (int windowStart = 0; windowStart < count; windowStart += WINDOW) {
            int from = windowStart;
            int to = Math.min(count, windowStart + WINDOW);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            loop.execute(() -> {
                for (int index = from; index < to; index++) {
                    sender.send(payload(index, index == 0), 0, 1000, true, 3000L * index);
                }
                sent.complete(null);
            });
            get(sent);
            for (int r = 0; r < receivers.size(); r++) {
                Received received = receivers.get(r);
                try {
                    Await.until("subscriber " + r + " to have packets 0 to " + (to - 1), WAIT,
                        () -> received.hasAllBelow(to));
                } catch (AssertionError e) {
                    // what each side counted tells where the packets stopped
                    throw new AssertionError(e.getMessage() + "; engine " + engine.counters() + "; publisher "
                        + publisher.stats() + "; received " + received.indices.size(), e);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void mediaAndRtcpFlowBothWaysWithEverySrtpProfile(SrtpProfile profile) throws Exception {
        Publisher publisher = publish("pub", profile);
        Received received = new Received();
        ClientPeerConnection subscriber = subscribe("sub", publisher, profile, received);

        assertThat(publisher.pc().srtpProfile()).isEqualTo(profile);
        assertThat(subscriber.srtpProfile()).isEqualTo(profile);
        sendVideo(publisher.pc(), 50, List.of(received));

        assertThat(received.indices).hasSize(50);
        // SRTCP toward both: receiver reports to the publisher, sender reports to the subscriber, once a second
        Await.until("RTCP from the engine at the publisher", WAIT,
            () -> publisher.pc().stats().rtcpPacketsReceived() > 0);
        Await.until("RTCP from the engine at the subscriber", WAIT, () -> received.rtcp.get() > 0);
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
            subscribe("sub" + i, publisher, SrtpProfile.SRTP_AEAD_AES_128_GCM, received);
            receivers.add(received);
        }
        int count = 300;
        sendVideo(publisher.pc(), count, receivers);

        for (int s = 0; s < receivers.size(); s++) {
            Received received = receivers.get(s);
            assertThat(received.indices).as("subscriber %d", s).containsExactlyElementsOf(allBelow(count));
            for (int i = 0; i < count; i++) {
                assertThat(received.payloads.get(i)).as("payload %d at subscriber %d", i, s)
                    .isEqualTo(payload(i, i == 0));
            }
        }
        List<TrackStats> stats = sessions.get(1).stats();
        assertThat(stats).anySatisfy(t -> assertThat(t.direction()).isEqualTo(TrackStats.Direction.SUBSCRIBED));
    }

    @Test
    void aSubscribersTransportWideFeedbackGivesTheSfuAnEstimateOfItsDownlink() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AEAD_AES_128_GCM);
        Received received = new Received();
        ClientPeerConnection subscriber = subscribe("sub", publisher, SrtpProfile.SRTP_AEAD_AES_128_GCM, received);
        sendVideo(publisher.pc(), 300, List.of(received));

        Await.until("transport-wide feedback from the subscriber", WAIT,
            () -> subscriber.stats().transportCcSent() > 0);
        // the engine publishes its counters once a second
        Await.until("the SFU's estimate of the subscriber's downlink", WAIT, () -> sessions.get(1).stats().stream()
            .anyMatch(t -> t.direction() == TrackStats.Direction.SUBSCRIBED && t.downlinkEstimateBps() > 0));
        assertThat(subscriber.stats().srtpFailures()).isZero();
    }

    @Test
    void everyPacketLostTowardASubscriberIsRecoveredByNackAndRetransmission() throws Exception {
        // singles, a burst of three and two neighbours; none ends a window, so a later packet always shows the gap
        Set<Integer> lose = Set.of(10, 11, 12, 77, 151, 302, 303, 304, 425, 597);
        assertThat(lose).noneMatch(index -> index % WINDOW == WINDOW - 1);
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AEAD_AES_128_GCM);
        Received received = new Received();
        LossyRelay[] relay = new LossyRelay[1];
        ClientPeerConnection subscriber = subscribe("lossy", publisher, SrtpProfile.SRTP_AEAD_AES_128_GCM, received,
            (pc, offer) -> {
                relay[0] = new LossyRelay(engine.localAddress(), pc.localAddress(), lose);
                return offer.replace(" " + engine.localAddress().getPort() + " typ host",
                    " " + relay[0].address().getPort() + " typ host");
            });
        try (LossyRelay lossy = relay[0]) {
            int count = 600;
            sendVideo(publisher.pc(), count, List.of(received));

            assertThat(lossy.lost()).as("packets the relay lost").isEqualTo(lose);
            assertThat(received.recovered).as("packets recovered").isEqualTo(lose);
            assertThat(received.indices).as("each packet delivered once").hasSize(count)
                .containsExactlyInAnyOrderElementsOf(allBelow(count));
            for (int index = 0; index < count; index++) {
                assertThat(received.payloads.get(index)).as("payload %d", index).isEqualTo(payload(index, index == 0));
            }
            assertThat(subscriber.stats().nacksSent()).as("NACKs sent by the subscriber").isPositive();
            assertThat(subscriber.stats().get(ClientStats.Counter.NACKED_PACKETS_REQUESTED)).as("packets NACKed")
                .isGreaterThanOrEqualTo(lose.size());
            assertThat(subscriber.stats().retransmissionsReceived()).as("retransmissions received")
                .isEqualTo(lose.size());
            MediaSession lossySession = sessions.get(1);
            Await.until("the engine to count the subscriber's NACKs", WAIT, () -> nacksCounted(lossySession) > 0);
        }
    }

    @Test
    void aNackNamingOnePacketSixtyFiveTimesGetsItOnceAndTheRepeatsAreCountedInTheStats() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AEAD_AES_128_GCM);
        Received received = new Received();
        ClientPeerConnection subscriber = subscribe("sub", publisher, SrtpProfile.SRTP_AEAD_AES_128_GCM, received);
        sendVideo(publisher.pc(), 10, List.of(received));
        int mediaSsrc = subscriber.remoteTracks().get(0).ssrc();
        int[] entries = new int[65];
        java.util.Arrays.fill(entries, received.lastSequence << 16);
        org.agrona.concurrent.UnsafeBuffer nack = new org.agrona.concurrent.UnsafeBuffer(new byte[1024]);
        int length = io.sfu.core.rtcp.GenericNack.writeEntries(nack, 0, subscriber.localRtcpSsrc(), mediaSsrc,
            entries, entries.length);
        CompletableFuture<Boolean> sent = new CompletableFuture<>();

        loop.execute(() -> sent.complete(subscriber.sendRtcp(nack, 0, length)));

        assertThat(get(sent)).isTrue();
        MediaSession subscriberSession = sessions.get(1);
        Await.until("the engine to count the 64 repeats it refused", WAIT,
            () -> subscribedStats(subscriberSession).retransmitsRefused() == 64);
        assertThat(subscribedStats(subscriberSession).retransmitted()).isEqualTo(1);
        // the subscriber had the packet already: the one retransmission arrives as a duplicate
        Await.until("the one retransmission to arrive", WAIT,
            () -> subscriber.stats().get(ClientStats.Counter.DUPLICATE_RETRANSMISSIONS) == 1);
        assertThat(subscriber.stats().retransmissionsReceived()).isZero();
    }

    private static TrackStats subscribedStats(MediaSession session) {
        return session.stats().stream().filter(t -> t.direction() == TrackStats.Direction.SUBSCRIBED).findFirst()
            .orElseThrow();
    }

    private static List<Integer> allBelow(int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    private static long nacksCounted(MediaSession session) {
        long nacks = 0;
        for (TrackStats t : session.stats()) {
            if (t.direction() == TrackStats.Direction.SUBSCRIBED) {
                nacks += t.nacks();
            }
        }
        return nacks;
    }

    @Test
    void wrongIceCredentialsAreRefused() throws Exception {
        MediaSession session = session("pub", new Events());
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM), null);
        String answer = get(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.video("cam"))))
            .toCompletableFuture());
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
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM), null);
        String offer = pc.createOffer(List.of(TrackSpec.video("cam")));
        // the engine is told another certificate's fingerprint than the one the client presents
        String forged = offer.replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
            "a=fingerprint:sha-256 " + String.join(":", Collections.nCopies(32, "AB")));
        pc.applyAnswer(get(session.onPublisherOffer(forged).toCompletableFuture()));

        assertThatThrownBy(() -> get(pc.connected())).isNotNull();
        assertThat(events.failed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the engine gives the session up")
            .isTrue();
        assertThat(events.transportFailures).singleElement().asString().startsWith("publisher: ")
            .contains("fingerprint");
        assertThat(events.connected).isEmpty();
    }

    @Test
    void aFingerprintDtlsCannotUseRefusesTheOfferAsInvalidSdp() throws Exception {
        MediaSession session = session("pub", new Events());
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM), null);
        // well-formed as SDP, but two bytes are no SHA-256 digest
        String offer = pc.createOffer(List.of(TrackSpec.video("cam")))
            .replaceAll("a=fingerprint:sha-256 [0-9A-F:]+", "a=fingerprint:sha-256 AB:CD");

        assertThatThrownBy(() -> get(session.onPublisherOffer(offer).toCompletableFuture()))
            .hasCauseInstanceOf(io.sfu.core.session.SdpRejectedException.class);
        assertThat(engine.publishedTracks()).isZero();
    }

    @Test
    void garbageFromUnknownAddressesIsDroppedAndCountedWithoutAnAnswer() throws Exception {
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            stranger.configureBlocking(false);
            InetSocketAddress media = engine.localAddress();
            byte[][] garbage = {
                {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1},
                {22, (byte) 0xfe, (byte) 0xfd, 0, 0},
                {0, 1, 0, 0, 0x21, 0x12, (byte) 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                {(byte) 0xff},
            };
            for (byte[] datagram : garbage) {
                stranger.send(ByteBuffer.wrap(datagram), media);
            }
            Await.until("the engine to count the four datagrams dropped", WAIT, () -> engine.droppedUnknown() >= 4);

            // an answer to any of them would have left the receive thread before the last one was counted, and
            // loopback delivers at once: it would be waiting by now
            assertThat(stranger.receive(ByteBuffer.allocate(1500))).as("an answer to the stranger").isNull();
        }
        assertThat(engine.droppedUnknown()).isEqualTo(4);
        assertThat(engine.packetSlotsInUse()).isLessThanOrEqualTo(1);
    }

    @Test
    void closingSessionsReleasesTheirTransports() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        subscribe("sub", publisher, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, new Received());
        assertThat(engine.openSessions()).isEqualTo(2);

        sessions.forEach(MediaSession::close);
        sessions.clear();

        assertThat(engine.openSessions()).isZero();
        assertThat(engine.publishedTracks()).isZero();
        assertThat(engine.registeredTransports()).isZero();
        // the engine closed the DTLS associations: the clients hear close_notify and stop
        Await.until("the publisher to leave CONNECTED after close_notify", WAIT,
            () -> publisher.pc().state() != ClientState.CONNECTED);
    }

    @Test
    void anIceRestartOnTheSubscriberConnectionTakesNewCredentialsAndTheMediaCarriesOn() throws Exception {
        Publisher publisher = publish("pub", SrtpProfile.SRTP_AEAD_AES_128_GCM);
        Received received = new Received();
        Events events = new Events();
        MediaSession session = session("sub", events);
        ClientPeerConnection subscriber = loop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM),
            received);
        List<SubscribedTrack> tracks = List.of(new SubscribedTrack("pub", publisher.track()));
        String firstOffer = get(session.createSubscriberOffer(tracks).toCompletableFuture());
        get(session.onSubscriberAnswer(subscriber.acceptOffer(firstOffer)).toCompletableFuture());
        get(subscriber.connected());
        // the client's side of DTLS can finish before the engine's: the one key frame sent must find the leg ready
        Await.until("the engine to report sub connected", WAIT, () -> !events.connected.isEmpty());
        sendVideo(publisher.pc(), 20, List.of(received));

        session.restartSubscriberIce();
        String restartOffer = get(session.createSubscriberOffer(tracks).toCompletableFuture());
        assertThat(iceUfrag(restartOffer)).isNotEqualTo(iceUfrag(firstOffer));
        assertThat(fingerprint(restartOffer)).isEqualTo(fingerprint(firstOffer));
        long validBefore = engine.counters().get("media_ice_checks_valid");
        get(session.onSubscriberAnswer(subscriber.acceptOffer(restartOffer)).toCompletableFuture());

        // the client checks again with the new credentials, which only the restarted transport answers
        Await.until("a valid check under the new credentials", WAIT,
            () -> engine.counters().get("media_ice_checks_valid") > validBefore);
        assertThat(subscriber.state()).isEqualTo(ClientState.CONNECTED);
        received.indices.clear();
        received.payloads.clear();
        sendVideo(publisher.pc(), 20, List.of(received));
        assertThat(received.payloads).hasSize(20);
        assertThat(events.failed.getCount()).as("the session did not fail").isEqualTo(1);
    }

    private static String iceUfrag(String sdp) {
        return sdp.lines().filter(line -> line.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();
    }

    private static String fingerprint(String sdp) {
        return sdp.lines().filter(line -> line.startsWith("a=fingerprint:")).findFirst().orElseThrow();
    }

    @Test
    void theEngineNegotiatesTheFirstOfItsConfiguredSrtpProfilesThatThePeerOffers() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (UdpMediaEngine cmFirst = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0),
            List.of(loopback), Duration.ofSeconds(30), Duration.ofSeconds(10), 1,
            MediaEngineConfig.PublisherLimits.DEFAULT, MediaEngineConfig.DEFAULT_DTLS_MAX_CONCURRENT_HANDSHAKES,
            MediaEngineConfig.DEFAULT_RETRANSMIT_BUDGET_PERCENT,
            List.of("SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AEAD_AES_128_GCM")))) {
            MediaSession session = cmFirst.createSession(new MediaSessionContext("room", "pub", "pub",
                Permissions.ALL), new Events());
            // the client offers every profile, AES-GCM first
            ClientPeerConnection pc = loop.newPeerConnection(ClientPeerConnectionConfig.builder().build(), null);
            pc.applyAnswer(get(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.audio("mic"))))
                .toCompletableFuture()));
            get(pc.connected());

            assertThat(pc.srtpProfile()).isEqualTo(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
            session.close();
        }
    }

    @Test
    void anEngineConfiguredWithAnUnknownSrtpProfileDoesNotStart() {
        assertThatThrownBy(() -> new MediaEngineConfig(new InetSocketAddress(0), List.of(), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 1, MediaEngineConfig.PublisherLimits.DEFAULT, 1, 50, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("srtpProfiles");
        assertThatThrownBy(() -> new UdpMediaEngine(new MediaEngineConfig(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 1, MediaEngineConfig.PublisherLimits.DEFAULT, 1, 50, List.of("SRTP_NULL"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SRTP_NULL");
    }

    @Test
    void aPeerThatKeepsIceAliveButNeverStartsDtlsFailsAfterTheConsentTimeout() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (UdpMediaEngine engine = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0),
            List.of(loopback), Duration.ofSeconds(2), Duration.ofSeconds(10), 1))) {
            Events events = new Events();
            MediaSession session = engine.createSession(new MediaSessionContext("room", "mute", "mute",
                Permissions.ALL), events);
            // consent checks every 200 ms keep ICE alive well within the engine's two seconds
            ClientPeerConnection pc = loop.newPeerConnection(ClientPeerConnectionConfig.builder()
                .iceConfig(io.sfu.core.ice.IceClient.Config.consent(200_000_000L, 10_000_000_000L)).build(), null);
            try (DtlsStallRelay relay = new DtlsStallRelay(engine.localAddress(), pc.localAddress(), 0)) {
                String answer = get(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.audio("mic"))))
                    .toCompletableFuture());
                pc.applyAnswer(relay.route(answer));

                assertThat(events.failed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the session failed").isTrue();
                assertThat(events.transportFailures).singleElement().asString()
                    .isEqualTo("publisher: the peer did not start DTLS within 2 s");
                assertThat(relay.dtlsPassed()).isZero();
                assertThat(engine.counters().get("media_ice_checks_valid")).isPositive();
            }
            session.close();
            assertThat(engine.registeredTransports()).isZero();
        }
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
            ClientPeerConnection pc = quietLoop.newPeerConnection(clientConfig(SrtpProfile.SRTP_AEAD_AES_128_GCM),
                null);
            pc.applyAnswer(get(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.audio("mic"))))
                .toCompletableFuture()));
            get(pc.connected());
            assertThat(events.failed.getCount()).isEqualTo(1);

            quietLoop.close();

            assertThat(events.failed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("consent expired").isTrue();
            assertThat(events.transportFailures).as("consent, not the handshake").isEmpty();
            session.close();
            assertThat(shortConsent.openSessions()).isZero();
            assertThat(shortConsent.registeredTransports()).isZero();
            assertThat(shortConsent.publishedTracks()).isZero();
        }
    }
}
