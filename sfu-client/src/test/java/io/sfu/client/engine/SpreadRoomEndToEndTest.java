package io.sfu.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientIoLoopConfig;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientPeerConnectionConfig;
import io.sfu.client.RtpSender;
import io.sfu.client.TrackSpec;
import io.sfu.core.media.UdpMediaEngine;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.Permissions;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import io.sfu.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room spread over two forwarding agents of the real engine, over loopback UDP with the Java WebRTC client: once
 * the room's home agent holds {@code spreadRoomsFrom} of its participants the next ones go to the other agent, whose
 * subscribers get the publisher's packets from a mirror there, bit-exact and in order; a subscriber's keyframe request
 * crosses back to the publisher; the bridge goes with the last participant who needed it, and nothing is left once
 * everyone has left.
 */
class SpreadRoomEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ROOM = "spread";
    private static final int HOME = Math.floorMod(ROOM.hashCode(), 2);
    private static final int OTHER = 1 - HOME;

    private UdpMediaEngine engine;
    private ClientIoLoop loop;
    private final List<MediaSession> sessions = new ArrayList<>();

    private void start(int spreadRoomsFrom) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        engine = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0), List.of(loopback),
            Duration.ofSeconds(30), Duration.ofSeconds(10), 2).withSpreadRoomsFrom(spreadRoomsFrom));
        loop = ClientIoLoop.start(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
    }

    @AfterEach
    void stop() {
        sessions.forEach(MediaSession::close);
        if (loop != null) {
            loop.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private MediaSession session(String participant, MediaEngineEndToEndTest.Events events) {
        MediaSession session = engine.createSession(new MediaSessionContext(ROOM, participant, participant,
            Permissions.ALL), events);
        sessions.add(session);
        return session;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private record Publisher(ClientPeerConnection pc, Track track, MediaSession session) {
    }

    private Publisher publish(String participant, TrackSpec spec) throws Exception {
        MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
        MediaSession session = session(participant, events);
        ClientPeerConnection pc = loop.newPeerConnection(ClientPeerConnectionConfig.builder().build(), null);
        pc.applyAnswer(get(session.onPublisherOffer(pc.createOffer(List.of(spec))).toCompletableFuture()));
        get(pc.connected());
        Await.until("the engine to report " + participant + " connected", WAIT, () -> !events.connected.isEmpty());
        return new Publisher(pc, events.tracks.get(0), session);
    }

    private record Subscriber(ClientPeerConnection pc, MediaSession session, MediaEngineEndToEndTest.Received received) {
    }

    private Subscriber subscribe(String participant, Publisher publisher) throws Exception {
        MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
        MediaSession session = session(participant, events);
        MediaEngineEndToEndTest.Received received = new MediaEngineEndToEndTest.Received();
        ClientPeerConnection pc = loop.newPeerConnection(ClientPeerConnectionConfig.builder().build(), received);
        String offer = get(session.createSubscriberOffer(List.of(new SubscribedTrack("pub", publisher.track())))
            .toCompletableFuture());
        get(session.onSubscriberAnswer(pc.acceptOffer(offer)).toCompletableFuture());
        get(pc.connected());
        Await.until("the engine to report " + participant + " connected", WAIT, () -> !events.connected.isEmpty());
        return new Subscriber(pc, session, received);
    }

    /** Sends packets 0 to {@code count - 1} in windows of 50, each once every subscriber has the one before. */
    private void sendVideo(Publisher publisher, int count, List<Subscriber> subscribers) throws Exception {
        RtpSender sender = publisher.pc().senders().get(0);
        for (int start = 0; start < count; start += 50) {
            int from = start;
            int to = Math.min(count, start + 50);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            loop.execute(() -> {
                for (int index = from; index < to; index++) {
                    byte[] payload = MediaRelayEndToEndTest.payload(index, index == 0, 0);
                    sender.send(payload, 0, payload.length, true, 3000L * index);
                }
                sent.complete(null);
            });
            get(sent);
            for (Subscriber subscriber : subscribers) {
                Await.until("a subscriber to have packets 0 to " + (to - 1) + "; engine " + engine.counters(), WAIT,
                    () -> subscriber.received().hasAllBelow(to));
            }
        }
    }

    private long counter(String name) {
        Map<String, Long> counters = engine.counters();
        assertThat(counters).containsKey(name);
        return counters.get(name);
    }

    @Test
    void subscribersOnTheOtherAgentGetThePublishersPacketsFromAMirrorOnceInOrderAndBitExact() throws Exception {
        start(1);
        Publisher publisher = publish("pub", TrackSpec.video("cam"));
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            subscribers.add(subscribe("sub" + i, publisher));
        }
        // the publisher fills the home agent's share; then the agent with fewer sessions takes each newcomer
        int[] perAgent = engine.sessionsPerAgent();
        assertThat(perAgent[HOME]).isEqualTo(3);
        assertThat(perAgent[OTHER]).isEqualTo(2);
        assertThat(counter("media_bridged_tracks")).isEqualTo(1);
        assertThat(counter("media_bridge_links")).isEqualTo(1);

        int count = 300;
        sendVideo(publisher, count, subscribers);

        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        for (Subscriber subscriber : subscribers) {
            assertThat(subscriber.received().indices).containsExactlyElementsOf(all);
            for (int i = 0; i < count; i++) {
                assertThat(subscriber.received().payloads.get(i))
                    .isEqualTo(MediaRelayEndToEndTest.payload(i, i == 0, 0));
            }
            assertThat(subscriber.pc().stats().srtpFailures()).isZero();
        }
        // what crossed the bridge is not forwarding: only what left for the four subscribers counts
        Await.until("the agents to count every packet forwarded", WAIT, () -> engine.packetsForwarded() >= 4L * count);
        assertThat(engine.packetsForwarded()).isEqualTo(4L * count);
        assertThat(counter("media_bridge_datagrams_dropped")).isZero();
    }

    @Test
    void aKeyframeRequestOfASubscriberOnTheOtherAgentReachesThePublisher() throws Exception {
        start(1);
        Publisher publisher = publish("pub", TrackSpec.video("cam"));
        Subscriber subscriber = subscribe("sub", publisher);
        assertThat(engine.sessionsPerAgent()[OTHER]).isEqualTo(1);
        sendVideo(publisher, 100, List.of(subscriber));
        int ssrc = subscriber.pc().receiveStreams().get(0).ssrc();
        long before = publisher.pc().stats().keyframeRequestsReceived();

        // the mirror's throttle and the publisher's may hold one back for a moment: ask until one gets through
        Await.until("the publisher to hear the subscriber's keyframe request", WAIT, () -> {
            loop.execute(() -> subscriber.pc().requestKeyframe(ssrc));
            return publisher.pc().stats().keyframeRequestsReceived() > before;
        });
    }

    @Test
    void theBridgeGoesWithTheLastSubscriberThatNeededItAndNothingIsLeftOnceEveryoneLeft() throws Exception {
        start(1);
        Publisher publisher = publish("pub", TrackSpec.video("cam"));
        Subscriber away = subscribe("away", publisher);
        Subscriber home = subscribe("home", publisher);
        assertThat(engine.sessionsPerAgent()).containsExactly(HOME == 0 ? new int[] {2, 1} : new int[] {1, 2});
        sendVideo(publisher, 50, List.of(away, home));
        assertThat(counter("media_bridge_links")).isEqualTo(1);

        away.session().close();
        assertThat(counter("media_bridged_tracks")).isZero();
        assertThat(counter("media_bridge_links")).isZero();
        // the publisher's leg and the home subscriber's: the bridge's two legs are closed
        Await.until("the bridge legs to close", WAIT, () -> engine.openLegs() == 2);
        sendVideo(publisher, 100, List.of(home));

        sessions.forEach(MediaSession::close);
        Await.until("every leg and room to close", WAIT, () -> engine.openLegs() == 0 && engine.openRooms() == 0);
        Await.until("every packet slot to come back", WAIT, () -> engine.packetSlotsInUse() <= 1);
    }

    @Test
    void anAudioTrackPublishedOnTheOtherAgentIsMirroredToTheHomeAgentWhichElectsTheSpeaker() throws Exception {
        start(1);
        publish("first", TrackSpec.video("cam"));
        Publisher voice = publish("voice", TrackSpec.audio("mic"));
        assertThat(engine.sessionsPerAgent()[OTHER]).isEqualTo(1);
        assertThat(counter("media_bridged_tracks")).isEqualTo(1);

        voice.session().close();
        assertThat(counter("media_bridged_tracks")).isZero();
        assertThat(counter("media_bridge_links")).isZero();
    }

    @Test
    void withSpreadRoomsFromZeroARoomStaysOnItsHomeAgent() throws Exception {
        start(0);
        Publisher publisher = publish("pub", TrackSpec.video("cam"));
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subscribers.add(subscribe("sub" + i, publisher));
        }
        assertThat(engine.sessionsPerAgent()[HOME]).isEqualTo(4);
        sendVideo(publisher, 50, subscribers);
        assertThat(counter("media_bridge_links")).isZero();
    }
}
