package io.sfu.client.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.sfu.client.ClientIoLoop;
import io.sfu.client.ClientIoLoopConfig;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientPeerConnectionConfig;
import io.sfu.client.RtpSender;
import io.sfu.client.TrackSpec;
import io.sfu.core.media.RelayDescription;
import io.sfu.core.media.UdpMediaEngine;
import io.sfu.core.negotiation.FeedbackSupport;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.session.LayerPreference;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaRelay;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.Permissions;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackKind;
import io.sfu.core.session.TrackSource;
import io.sfu.core.testing.Await;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two media engines in one JVM, each with its own media and relay socket on loopback, relaying a room's tracks: a
 * Java client publishes on node A, Java clients subscribe on node B through normal subscriber offers, and what
 * crosses goes through a {@link HopRelay} that counts (and may lose) it. The test thread plays both control planes
 * and the cluster layer between them, through the engines' public API.
 */
class MediaRelayEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ROOM = "room";
    private static final int WINDOW = 50;
    private static final int AUDIO_TAG = 9;

    private UdpMediaEngine a;
    private UdpMediaEngine b;
    private MediaRelay relayA;
    private MediaRelay relayB;
    private HopRelay hop;
    private ClientIoLoop loop;
    private final List<MediaSession> sessions = new ArrayList<>();

    /** What a subscriber receives, by the tag (layer, or audio) and index each payload carries. */
    static final class Received implements ClientPeerConnection.Listener {
        final Map<Long, byte[]> payloads = new ConcurrentHashMap<>();
        final List<Integer> tagsInOrder = new CopyOnWriteArrayList<>();

        @Override
        public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            if (packet.payloadLength() < 15) {
                return;
            }
            byte[] payload = new byte[packet.payloadLength()];
            packet.buffer().getBytes(packet.payloadOffset(), payload);
            int tag = payload[14];
            payloads.put(key(tag, indexIn(payload)), payload);
            tagsInOrder.add(tag);
        }

        @Override
        public void onRtcp(ClientPeerConnection pc, DirectBuffer buffer, int offset, int length, long arrivalNs) {
        }

        boolean hasAllBelow(int tag, int count) {
            for (int i = 0; i < count; i++) {
                if (!payloads.containsKey(key(tag, i))) {
                    return false;
                }
            }
            return true;
        }

        /** The indexes below {@code count} of {@code tag} not received, the first 20. */
        List<Integer> missing(int tag, int count) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < count && missing.size() < 20; i++) {
                if (!payloads.containsKey(key(tag, i))) {
                    missing.add(i);
                }
            }
            return missing;
        }

        static long key(int tag, int index) {
            return ((long) tag << 32) | index;
        }
    }

    private record Publisher(ClientPeerConnection pc, List<Track> tracks, MediaEngineEndToEndTest.Events events) {
    }

    @BeforeEach
    void start() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // node A spreads a room from its third participant, node B from its second: a second subscriber on B gets an
        // imported track from a mirror on B's other agent
        a = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0), List.of(loopback),
            Duration.ofSeconds(30), Duration.ofSeconds(10), 2).withSpreadRoomsFrom(2));
        b = new UdpMediaEngine(new MediaEngineConfig(new InetSocketAddress(loopback, 0), List.of(loopback),
            Duration.ofSeconds(30), Duration.ofSeconds(10), 2).withSpreadRoomsFrom(1));
        loop = ClientIoLoop.start(ClientIoLoopConfig.builder().socketReceiveBufferBytes(1 << 20).build());
        relayA = a.relay("127.0.0.1", 0);
        relayB = b.relay("127.0.0.1", 0);
        hop = new HopRelay(relayA.localAddress(), relayB.localAddress());
        // each node is told the other is at the hop's address, which is where the other's datagrams come from
        relayA.connectPeer("b", hop.address(), relayB.sendingKey("a"));
        relayB.connectPeer("a", hop.address(), relayA.sendingKey("b"));
    }

    @AfterEach
    void stop() throws Exception {
        sessions.forEach(MediaSession::close);
        loop.close();
        hop.close();
        if (a != null) {
            a.close();
        }
        b.close();
    }

    private MediaSession session(UdpMediaEngine engine, String participant, MediaEngineEndToEndTest.Events events) {
        MediaSession session = engine.createSession(new MediaSessionContext(ROOM, participant, participant,
            Permissions.ALL), events);
        sessions.add(session);
        return session;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A publisher on node A whose tracks node B imports and node A exports to it, as the cluster layer does. */
    private Publisher publishAndRelay(List<TrackSpec> specs) throws Exception {
        MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
        MediaSession session = session(a, "pub", events);
        ClientPeerConnection pc = loop.newPeerConnection(ClientPeerConnectionConfig.builder().build(), null);
        pc.applyAnswer(get(session.onPublisherOffer(pc.createOffer(specs)).toCompletableFuture()));
        get(pc.connected());
        Await.until("node A to report the publisher connected", WAIT, () -> !events.connected.isEmpty());
        List<Track> tracks = List.copyOf(events.tracks);
        assertThat(tracks).hasSize(specs.size());
        for (Track track : tracks) {
            String description = relayA.describe(ROOM, "pub", track.id());
            assertThat(description).isNotNull();
            relayB.importTrack(ROOM, "pub", track, description, "a");
            relayA.startExport(ROOM, "pub", track.id(), "b");
        }
        return new Publisher(pc, tracks, events);
    }

    private MediaSession subscribeOnB(String participant, List<Track> tracks, Received received,
                                      ClientPeerConnection[] pcOut) throws Exception {
        MediaEngineEndToEndTest.Events events = new MediaEngineEndToEndTest.Events();
        MediaSession session = session(b, participant, events);
        ClientPeerConnection pc = loop.newPeerConnection(ClientPeerConnectionConfig.builder().build(), received);
        List<SubscribedTrack> wanted = new ArrayList<>();
        for (Track track : tracks) {
            wanted.add(new SubscribedTrack("pub", track));
        }
        String offer = get(session.createSubscriberOffer(wanted).toCompletableFuture());
        get(session.onSubscriberAnswer(pc.acceptOffer(offer)).toCompletableFuture());
        get(pc.connected());
        Await.until("node B to report " + participant + " connected", WAIT, () -> !events.connected.isEmpty());
        assertThat(events.connected).containsExactly(PeerConnectionRole.SUBSCRIBER);
        if (pcOut != null) {
            pcOut[0] = pc;
        }
        return session;
    }

    /** A payload that carries its tag (layer, or {@link #AUDIO_TAG}) at 14 and its index at 10..13 (VP8-shaped). */
    static byte[] payload(int index, boolean keyframe, int tag) {
        byte[] payload = new byte[tag == AUDIO_TAG ? 120 : 1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (index * 7 + i * 13 + tag);
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
        payload[14] = (byte) tag;
        return payload;
    }

    static int indexIn(byte[] payload) {
        return ((payload[10] & 0xFF) << 24) | ((payload[11] & 0xFF) << 16) | ((payload[12] & 0xFF) << 8)
            | (payload[13] & 0xFF);
    }

    /**
     * Sends packets {@code from} to {@code to - 1} on each sender (with the tag {@code tags} gives its position), a
     * window at a time on the client loop's thread, video keyframes where {@code keyframe} says.
     */
    private void send(List<RtpSender> senders, IntFunction<Integer> tags, int from, int to,
                      IntFunction<Boolean> keyframe) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        loop.execute(() -> {
            for (int index = from; index < to; index++) {
                for (int s = 0; s < senders.size(); s++) {
                    int tag = tags.apply(s);
                    byte[] payload = payload(index, keyframe.apply(index), tag);
                    senders.get(s).send(payload, 0, payload.length, true,
                        (tag == AUDIO_TAG ? 960L : 3000L) * index);
                }
            }
            sent.complete(null);
        });
        get(sent);
    }

    /** Sends {@code count} packets per sender in windows; before the next, waits until the receivers have them. */
    private void sendInWindows(List<RtpSender> senders, IntFunction<Integer> tags, int count,
                               List<Received> receivers) throws Exception {
        for (int from = 0; from < count; from += WINDOW) {
            int to = Math.min(count, from + WINDOW);
            send(senders, tags, from, to, index -> index == 0);
            for (Received received : receivers) {
                for (int s = 0; s < senders.size(); s++) {
                    int tag = tags.apply(s);
                    if (!Await.until(WAIT, () -> received.hasAllBelow(tag, to))) {
                        // the relays' counters as they are at the timeout, and what is still missing
                        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for packets "
                            + "below " + to + " of tag " + tag + " on node B, missing " + received.missing(tag, to)
                            + "; A " + relayA.counters() + "; B " + relayB.counters() + "; hop " + hop);
                    }
                }
            }
        }
    }

    private static IntFunction<Integer> audioThenVideo(List<RtpSender> senders) {
        return s -> senders.get(s).kind() == io.sfu.core.sdp.MediaKind.AUDIO ? AUDIO_TAG : 0;
    }

    private static List<RtpSender> senders(ClientPeerConnection pc) {
        return pc.senders();
    }

    @Test
    void audioAndVideoPublishedOnOneNodeReachASubscriberOnAnotherBitExact() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.audio("mic"), TrackSpec.video("cam")));
        Received received = new Received();
        ClientPeerConnection[] subscriber = new ClientPeerConnection[1];
        subscribeOnB("sub", publisher.tracks(), received, subscriber);
        List<RtpSender> senders = senders(publisher.pc());
        IntFunction<Integer> tags = audioThenVideo(senders);

        int count = 200;
        sendInWindows(senders, tags, count, List.of(received));

        for (int s = 0; s < senders.size(); s++) {
            int tag = tags.apply(s);
            for (int i = 0; i < count; i++) {
                assertThat(received.payloads.get(Received.key(tag, i))).as("payload %d of tag %d", i, tag)
                    .isEqualTo(payload(i, i == 0, tag));
            }
        }
        assertThat(subscriber[0].stats().srtpFailures()).isZero();
        assertThat(relayA.counters().get("relay_packets_sent")).isGreaterThanOrEqualTo(2L * count);
        assertThat(relayB.counters().get("relay_packets_received")).isGreaterThanOrEqualTo(2L * count);
        assertThat(relayB.counters().get("relay_dropped_auth")).isZero();
        assertThat(relayA.peerCounters("b").get("relay_exports")).isEqualTo(2L);
        assertThat(relayB.peerCounters("a").get("relay_imports")).isEqualTo(2L);
        // node B's receiver reports and node A's sender reports cross too
        Await.until("RTCP from node B at node A", WAIT, () -> relayA.counters().get("relay_packets_received") > 0);
        assertThat(a.counters()).containsKey("relay_packets_sent");
    }

    @Test
    void aTrackPublishedOffTheRoomsHomeAgentIsExportedFromItsMirrorThereUntilTheExportStops() throws Exception {
        session(a, "idle1", new MediaEngineEndToEndTest.Events());
        session(a, "idle2", new MediaEngineEndToEndTest.Events());
        Publisher publisher = publishAndRelay(List.of(TrackSpec.video("cam")));
        int home = Math.floorMod(ROOM.hashCode(), 2);
        assertThat(a.sessionsPerAgent()[1 - home]).as("the publisher on the other agent").isEqualTo(1);
        assertThat(a.counters()).containsEntry("media_bridged_tracks", 1L);
        Received received = new Received();
        subscribeOnB("sub", publisher.tracks(), received, null);
        List<RtpSender> senders = senders(publisher.pc());

        int count = 150;
        sendInWindows(senders, s -> 0, count, List.of(received));
        for (int i = 0; i < count; i++) {
            assertThat(received.payloads.get(Received.key(0, i))).isEqualTo(payload(i, i == 0, 0));
        }

        relayA.stopExport(ROOM, publisher.tracks().get(0).id(), "b");
        assertThat(a.counters()).containsEntry("media_bridged_tracks", 0L).containsEntry("media_bridge_links", 0L);
        Await.until("the bridge and export legs closed", WAIT, () -> a.openLegs() == 1);
    }

    @Test
    void twoSubscribersOnTheOtherNodeGetOneCopyOfEachPacketAcrossTheHop() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.video("cam")));
        Received first = new Received();
        Received second = new Received();
        subscribeOnB("sub1", publisher.tracks(), first, null);
        subscribeOnB("sub2", publisher.tracks(), second, null);
        List<RtpSender> senders = senders(publisher.pc());

        int count = 150;
        sendInWindows(senders, s -> 0, count, List.of(first, second));

        assertThat(hop.ssrcs()).as("one relay SSRC for the one encoding").hasSize(1);
        int ssrc = hop.ssrcs().iterator().next();
        assertThat(hop.rtpPackets(ssrc)).as("RTP packets that crossed").isEqualTo(count);
        // the second subscriber is on node B's other agent, served by a mirror of the imported track
        assertThat(b.counters()).containsEntry("media_bridged_tracks", 1L);
        for (int i = 0; i < count; i++) {
            assertThat(second.payloads.get(Received.key(0, i))).isEqualTo(first.payloads.get(Received.key(0, i)));
        }
    }

    @Test
    void threeSimulcastEncodingsCrossAndTheSubscriberOnTheOtherNodeSwitchesLayer() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.simulcastVideo("cam", "q", "h", "f")));
        Received received = new Received();
        MediaSession subscriber = subscribeOnB("sub", publisher.tracks(), received, null);
        List<RtpSender> layers = senders(publisher.pc());
        assertThat(layers).extracting(RtpSender::rid).containsExactly("q", "h", "f");
        String trackId = publisher.tracks().get(0).id();

        subscriber.setLayerPreference(trackId, LayerPreference.rid("f"));
        int[] next = {0};
        awaitChecked("the top layer at the subscriber on node B", () -> {
            send(layers, s -> s, next[0], next[0] + 10, index -> index % 30 == 0);
            next[0] += 10;
            return received.tagsInOrder.contains(2);
        });
        assertThat(hop.ssrcs()).as("every encoding crosses").hasSize(3);

        subscriber.setLayerPreference(trackId, LayerPreference.rid("q"));
        awaitChecked("the lowest layer at the subscriber on node B after the switch", () -> {
            send(layers, s -> s, next[0], next[0] + 10, index -> index % 30 == 0);
            next[0] += 10;
            List<Integer> tags = List.copyOf(received.tagsInOrder);
            return tags.size() > 5 && tags.subList(tags.size() - 5, tags.size()).stream().allMatch(tag -> tag == 0);
        });
    }

    @Test
    void aLossOnTheHopIsNackedByNodeBAndRepairedByRtxFromNodeAAndAPliReachesThePublisher() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.video("cam")));
        Received received = new Received();
        ClientPeerConnection[] subscriber = new ClientPeerConnection[1];
        subscribeOnB("sub", publisher.tracks(), received, subscriber);
        RtpSender video = senders(publisher.pc()).get(0);
        int relaySsrc = RelayDescription.decode(relayA.describe(ROOM, "pub", publisher.tracks().get(0).id()))
            .ssrcs()[0];
        Set<Integer> lose = Set.of(10, 31, 32, 77);
        hop.loseOnce(relaySsrc, lose);

        sendInWindows(List.of(video), s -> 0, 100, List.of(received));

        assertThat(hop.lost()).isEqualTo(lose);
        assertThat(hop.rtpPacketsOfType(video.rtxPayloadType())).as("RTX from node A")
            .isGreaterThanOrEqualTo(lose.size());
        for (int index : lose) {
            assertThat(received.payloads.get(Received.key(0, index))).isEqualTo(payload(index, index == 0, 0));
        }

        long before = video.keyframeRequests();
        int mediaSsrc = subscriber[0].remoteTracks().get(0).ssrc();
        awaitChecked("a keyframe request from the subscriber on node B at the publisher on node A", () -> {
            CompletableFuture<Boolean> sent = new CompletableFuture<>();
            loop.execute(() -> sent.complete(subscriber[0].requestKeyframe(mediaSsrc)));
            return get(sent) && video.keyframeRequests() > before;
        });
    }

    @Test
    void strangersForgeriesAndUnknownSsrcsOnTheRelaySocketAreDroppedAndCountedAndTheCallGoesOn() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.video("cam")));
        Received received = new Received();
        subscribeOnB("sub", publisher.tracks(), received, null);
        List<RtpSender> senders = senders(publisher.pc());
        sendInWindows(senders, s -> 0, 50, List.of(received));
        String trackId = publisher.tracks().get(0).id();
        int roomSsrc = RelayDescription.decode(relayA.describe(ROOM, "pub", trackId)).roomSsrc();

        try (DatagramChannel stranger = DatagramChannel.open();
             DatagramChannel intruder = DatagramChannel.open()) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            stranger.bind(new InetSocketAddress(loopback, 0));
            intruder.bind(new InetSocketAddress(loopback, 0));
            // a peer node the cluster knows, whose key the intruder does not have
            byte[] key = new byte[30];
            relayA.sendingKey("c");
            relayA.connectPeer("c", (InetSocketAddress) intruder.getLocalAddress(), key);
            relayA.startExport(ROOM, "pub", trackId, "c");

            stranger.send(rtp(1234, 1), relayA.localAddress());
            intruder.send(rtp(0x0BADF00D, 1), relayA.localAddress());
            // SRTCP under the room SSRC the export to "c" listens on, with a tag no key made
            intruder.send(srtcp(roomSsrc), relayA.localAddress());
            intruder.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), relayA.localAddress());
            // SRTP of a stream node A imports from "c", with a tag no key made
            int importedSsrc = 0x0C0C0001;
            relayA.importTrack(ROOM, "elsewhere", new Track("from-c", TrackKind.VIDEO, "0", List.of(), false,
                TrackSource.CAMERA), new RelayDescription(0x0C0C0C0C, io.sfu.core.sdp.MediaKind.VIDEO, "0",
                List.of(new NegotiatedCodec(96, "VP8", 90_000, 0, Map.of(), -1, List.of())), Map.of(), List.of(),
                new int[] {importedSsrc}, new int[] {0}, FeedbackSupport.NONE).encode(), "c");
            assertThat(a.publishedTracks()).isEqualTo(2);
            ByteBuffer forged = rtp(importedSsrc, 7);
            intruder.send(forged, relayA.localAddress());

            Await.until("the relay to count each drop", WAIT,
                () -> relayA.counters().get("relay_dropped_unknown_peer") >= 1
                    && relayA.counters().get("relay_dropped_unknown_ssrc") >= 1
                    && relayA.counters().get("relay_dropped_auth") >= 2
                    && relayA.counters().get("relay_dropped_malformed") >= 1);
            assertThat(relayA.peerCounters("c").get("relay_dropped_auth")).isEqualTo(2L);
            relayA.disconnectPeer("c");
            assertThat(a.publishedTracks()).as("the import from c gone with it").isEqualTo(1);
        }
        sendInWindows(senders, s -> 0, 150, List.of(received));
        assertThat(relayB.counters().get("relay_dropped_auth")).isZero();
    }

    @Test
    void stoppingExportsRemovingImportsAndDisconnectingLeaveNothingBehind() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.audio("mic"), TrackSpec.video("cam")));
        Received received = new Received();
        subscribeOnB("sub", publisher.tracks(), received, null);
        List<RtpSender> senders = senders(publisher.pc());
        sendInWindows(senders, audioThenVideo(senders), 50, List.of(received));
        // node A: the publisher's leg and the export leg; node B: the subscriber's and the import leg
        Await.until("the legs on both nodes", WAIT, () -> a.openLegs() == 2 && b.openLegs() == 2);
        assertThat(b.publishedTracks()).isEqualTo(2);
        assertThat(relayB.counters().get("relay_routed_ssrcs")).isPositive();

        for (Track track : publisher.tracks()) {
            relayA.stopExport(ROOM, track.id(), "b");
            relayB.removeImport(ROOM, track.id());
        }
        Await.until("the relay legs closed", WAIT, () -> a.openLegs() == 1 && b.openLegs() == 1);
        assertThat(b.publishedTracks()).isZero();
        for (MediaRelay relay : List.of(relayA, relayB)) {
            assertThat(relay.counters()).containsEntry("relay_exports", 0L).containsEntry("relay_imports", 0L)
                .containsEntry("relay_routed_ssrcs", 0L);
        }

        // again, then the peers leave: disconnecting tears down what the tracks left
        for (Track track : publisher.tracks()) {
            relayB.importTrack(ROOM, "pub", track, relayA.describe(ROOM, "pub", track.id()), "a");
            relayA.startExport(ROOM, "pub", track.id(), "b");
        }
        Await.until("the relay legs again", WAIT, () -> a.openLegs() == 2 && b.openLegs() == 2);
        relayA.disconnectPeer("b");
        relayB.disconnectPeer("a");
        Await.until("the relay legs closed", WAIT, () -> a.openLegs() == 1 && b.openLegs() == 1);
        assertThat(b.publishedTracks()).isZero();
        assertThat(relayA.counters()).containsEntry("relay_peers", 0L).containsEntry("relay_routed_ssrcs", 0L);

        sessions.forEach(MediaSession::close);
        Await.until("every leg and room gone", WAIT, () -> a.openLegs() + b.openLegs() + a.openRooms()
            + b.openRooms() == 0);
        assertThat(a.registeredTransports() + b.registeredTransports()).isZero();
        assertThat(a.publishedTracks()).isZero();
    }

    @Test
    void aTrackExportedAgainAfterAStopCarriesOnUnderTheSameKeysWithItsRetransmissions() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.video("cam")));
        Received received = new Received();
        ClientPeerConnection[] subscriber = new ClientPeerConnection[1];
        MediaSession session = subscribeOnB("sub", publisher.tracks(), received, subscriber);
        RtpSender video = senders(publisher.pc()).get(0);
        Track track = publisher.tracks().get(0);
        int relaySsrc = RelayDescription.decode(relayA.describe(ROOM, "pub", track.id())).ssrcs()[0];
        hop.loseOnce(relaySsrc, Set.of(20));
        sendInWindows(List.of(video), s -> 0, 50, List.of(received));
        long rtxBefore = hop.rtpPacketsOfType(video.rtxPayloadType());
        assertThat(rtxBefore).isPositive();

        relayA.stopExport(ROOM, track.id(), "b");
        relayB.removeImport(ROOM, track.id());
        Await.until("the relay legs closed", WAIT, () -> a.openLegs() == 1 && b.openLegs() == 1);
        relayB.importTrack(ROOM, "pub", track, relayA.describe(ROOM, "pub", track.id()), "a");
        relayA.startExport(ROOM, "pub", track.id(), "b");
        // the subscriber's next offer and answer start its consumer of the imported track again
        String offer = get(session.createSubscriberOffer(List.of(new SubscribedTrack("pub", track)))
            .toCompletableFuture());
        get(session.onSubscriberAnswer(subscriber[0].acceptOffer(offer)).toCompletableFuture());
        hop.loseOnce(relaySsrc, Set.of(15, 40));

        for (int window = 50; window < 150; window += WINDOW) {
            int from = window;
            int to = from + WINDOW;
            send(List.of(video), s -> 0, from, to, index -> index == 50);
            Await.until("packets " + from + " to " + (to - 1) + " after the export started again; A "
                + relayA.counters() + "; B " + relayB.counters(), WAIT, () -> {
                    for (int i = from; i < to; i++) {
                        if (!received.payloads.containsKey(Received.key(0, i))) {
                            return false;
                        }
                    }
                    return true;
                });
        }
        assertThat(hop.lost()).containsExactlyInAnyOrder(15, 40);
        assertThat(hop.rtpPacketsOfType(video.rtxPayloadType())).as("RTX after the new start")
            .isGreaterThanOrEqualTo(rtxBefore + 2);
        // nothing node A sent the second time failed node B's replay check: no index was used twice
        assertThat(relayB.counters().get("relay_dropped_auth")).isZero();
        assertThat(subscriber[0].stats().srtpFailures()).isZero();
    }

    @Test
    void closingAnEngineEndsItsRelaysThreadAndFreesItsPort() throws Exception {
        publishAndRelay(List.of(TrackSpec.video("cam")));
        InetSocketAddress relayAddress = relayA.localAddress();
        long before = relayThreads();

        sessions.remove(0).close();
        a.close();
        a = null;

        assertThat(relayThreads()).isEqualTo(before - 1);
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(relayAddress);
        }
    }

    private static long relayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("sfu-relay-rx") && thread.isAlive()).count();
    }

    @Test
    void aPublisherLeavingStopsItsExports() throws Exception {
        Publisher publisher = publishAndRelay(List.of(TrackSpec.video("cam")));
        Await.until("the export leg", WAIT, () -> a.openLegs() == 2);
        sessions.get(0).close();
        Await.until("the publisher's and the export leg closed", WAIT, () -> a.openLegs() == 0);
        assertThat(relayA.counters()).containsEntry("relay_exports", 0L);
        assertThat(publisher.tracks()).hasSize(1);
    }

    private static void awaitChecked(String what, Await.Check check) throws Exception {
        assertThat(Await.until(WAIT, check)).as("waited for " + what).isTrue();
    }

    /** A plain RTP header and a little payload. */
    private static ByteBuffer rtp(int ssrc, int sequence) {
        ByteBuffer packet = ByteBuffer.allocate(40).order(ByteOrder.BIG_ENDIAN);
        packet.put((byte) 0x80).put((byte) 96).putShort((short) sequence).putInt(0).putInt(ssrc);
        return packet.position(0);
    }

    /** An SRTCP-shaped receiver report of {@code ssrc}: header, random body, an index word and a made-up tag. */
    private static ByteBuffer srtcp(int ssrc) {
        ByteBuffer packet = ByteBuffer.allocate(8 + 4 + 10).order(ByteOrder.BIG_ENDIAN);
        packet.put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(ssrc);
        packet.putInt(0x80000001);
        packet.put(new byte[10]);
        return packet.position(0);
    }
}
