package io.sfu.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientIoLoopConfig;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientPeerConnectionConfig;
import io.sfu.client.TrackSpec;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.media.UdpMediaEngine;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.Permissions;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import io.sfu.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A join storm against the real engine with the Java client: {@value #JOINS} participants join at once, each with a
 * publisher and a subscriber peer connection (two DTLS handshakes), while {@value #STALLED} peers hold handshakes
 * they started and never finish, on an engine a few participants have joined before. The participants' signalling
 * runs first (one after the other, as the control plane
 * does it), then all of them start ICE and DTLS at once. Every participant connects; the stalled handshakes are still
 * pending when the last one does. Time to connect (from the answer applied to both peer connections connected, as
 * the client sees it) is written to {@code target/join-storm.txt}.
 */
class JoinStormTest {
    static final int JOINS = 200;
    /** Three times the eight handshake threads the engine once had for everyone. */
    static final int STALLED = 24;
    private static final Duration WAIT = Duration.ofSeconds(180);
    /** Longer than the storm lasts: a stalled handshake is still holding its thread when the storm is over. */
    private static final Duration STALLED_HANDSHAKE_TIMEOUT = Duration.ofSeconds(300);
    private static final int ROOM_SIZE = 5;
    private static final int WARM_UP_JOINS = 20;

    private UdpMediaEngine engine;
    private ClientIoLoop loop;
    private final List<MediaSession> sessions = new ArrayList<>();
    private final List<AutoCloseable> relays = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        engine = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0), List.of(loopback),
            Duration.ofSeconds(300), STALLED_HANDSHAKE_TIMEOUT, 2));
        loop = ClientIoLoop.start(ClientIoLoopConfig.builder().dtlsThreads(256)
            .socketReceiveBufferBytes(1 << 20).build());
    }

    @AfterEach
    void stop() throws Exception {
        sessions.forEach(MediaSession::close);
        for (AutoCloseable relay : relays) {
            relay.close();
        }
        loop.close();
        engine.close();
    }

    private MediaSession session(String room, String participant, MediaEngineEndToEndTest.Events events) {
        MediaSession session = engine.createSession(new MediaSessionContext(room, participant, participant,
            Permissions.ALL), events);
        sessions.add(session);
        return session;
    }

    private static ClientPeerConnectionConfig clientConfig() {
        return ClientPeerConnectionConfig.builder()
            .dtlsConfig(DtlsConfig.builder().handshakeTimeout(STALLED_HANDSHAKE_TIMEOUT).build())
            .build();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A participant whose client sends its ClientHello through a relay that lets nothing else of DTLS pass. */
    private MediaEngineEndToEndTest.Events stalledPeer(int index) throws Exception {
        MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
        MediaSession session = session("stalled", "stalled" + index, events);
        ClientPeerConnection pc = loop.newPeerConnection(clientConfig(), null);
        DtlsStallRelay relay = new DtlsStallRelay(engine.localAddress(), pc.localAddress(), 1);
        relays.add(relay);
        String answer = get(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.video("cam"))))
            .toCompletableFuture());
        pc.applyAnswer(relay.route(answer));
        return events;
    }

    /** A few participants connect first, as on a server that has run a while: the storm meets compiled code. */
    private void warmUp() throws Exception {
        for (int i = 0; i < WARM_UP_JOINS; i++) {
            MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
            MediaSession session = session("warm-up", "w" + i, events);
            ClientPeerConnection pc = loop.newPeerConnection(clientConfig(), null);
            pc.applyAnswer(get(session.onPublisherOffer(pc.createOffer(List.of(TrackSpec.video("cam"))))
                .toCompletableFuture()));
            get(pc.connected());
        }
    }

    @Test
    void twoHundredJoinsAtOnceAllConnectWhileStalledPeersHoldTheirHandshakes() throws Exception {
        warmUp();
        List<MediaEngineEndToEndTest.Events> stalled = new ArrayList<>();
        List<MediaEngineEndToEndTest.Events> joined = new ArrayList<>();
        for (int i = 0; i < STALLED; i++) {
            stalled.add(stalledPeer(i));
        }
        Await.until("the engine to work on every stalled handshake", WAIT, () -> engine.dtlsThreads() >= STALLED);

        // the signalling of every participant first, one after the other as the control plane does it; then all
        // of them start ICE and DTLS at once
        ClientPeerConnection[] publishers = new ClientPeerConnection[JOINS];
        ClientPeerConnection[] subscribers = new ClientPeerConnection[JOINS];
        MediaSession[] joinedSessions = new MediaSession[JOINS];
        String[] answers = new String[JOINS];
        String[] offers = new String[JOINS];
        Track[] published = new Track[JOINS];
        long signallingStart = System.nanoTime();
        for (int i = 0; i < JOINS; i++) {
            MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
            joined.add(events);
            joinedSessions[i] = session("room" + i / ROOM_SIZE, "p" + i, events);
            publishers[i] = loop.newPeerConnection(clientConfig(), null);
            answers[i] = get(joinedSessions[i].onPublisherOffer(publishers[i].createOffer(
                List.of(TrackSpec.video("cam")))).toCompletableFuture());
            published[i] = events.tracks.get(0);
            // each subscribes to the one who joined before it in its room (the first, to itself)
            Track wanted = published[i % ROOM_SIZE == 0 ? i : i - 1];
            subscribers[i] = loop.newPeerConnection(clientConfig(), null);
            offers[i] = get(joinedSessions[i].createSubscriberOffer(List.of(new SubscribedTrack("p", wanted)))
                .toCompletableFuture());
        }
        long signalledNs = System.nanoTime() - signallingStart;

        long[] joinedNs = new long[JOINS];
        long[] connectedNs = new long[JOINS];
        List<CompletableFuture<Void>> connected = new ArrayList<>();
        long stormStart = System.nanoTime();
        for (int i = 0; i < JOINS; i++) {
            int participant = i;
            joinedNs[i] = System.nanoTime();
            publishers[i].applyAnswer(answers[i]);
            get(joinedSessions[i].onSubscriberAnswer(subscribers[i].acceptOffer(offers[i])).toCompletableFuture());
            connected.add(CompletableFuture.allOf(publishers[i].connected(), subscribers[i].connected())
                .thenRun(() -> connectedNs[participant] = System.nanoTime()));
        }
        get(CompletableFuture.allOf(connected.toArray(new CompletableFuture<?>[0])));
        long stormNs = System.nanoTime() - stormStart;

        for (MediaEngineEndToEndTest.Events events : stalled) {
            assertThat(events.connected).as("a stalled peer never connects").isEmpty();
            assertThat(events.transportFailures).as("and its handshake is still waiting").isEmpty();
        }
        // the client may finish a handshake a moment before the engine has the keys
        Await.until("the engine to report both peer connections of every participant connected", WAIT,
            () -> joined.stream().allMatch(events -> events.connected.size() == 2));
        report(joinedNs, connectedNs, signalledNs, stormNs);
    }

    private void report(long[] joinedNs, long[] connectedNs, long signalledNs, long stormNs) throws Exception {
        double[] ms = new double[JOINS];
        for (int i = 0; i < JOINS; i++) {
            ms[i] = (connectedNs[i] - joinedNs[i]) / 1e6;
        }
        Arrays.sort(ms);
        String line = String.format(Locale.ROOT, "join storm: %d participants (%d DTLS handshakes) with %d stalled "
                + "handshakes held; their signalling took %.0f ms, then all connected in %.0f ms; time from answer "
                + "applied to both peer connections connected: p50 %.0f ms, p99 %.0f ms, max %.0f ms; %d cores%n",
            JOINS, 2 * JOINS, STALLED, signalledNs / 1e6, stormNs / 1e6,
            ms[JOINS / 2], ms[(int) Math.ceil(JOINS * 0.99) - 1], ms[JOINS - 1],
            Runtime.getRuntime().availableProcessors());
        System.out.print(line);
        Files.writeString(Path.of("target", "join-storm.txt"), line);
    }
}
