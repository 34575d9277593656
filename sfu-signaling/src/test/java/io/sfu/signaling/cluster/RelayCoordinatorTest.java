package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.InMemoryRoomRegistry;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaRelay;
import io.sfu.core.session.Participant;
import io.sfu.core.session.ParticipantChannel;
import io.sfu.core.session.Permissions;
import io.sfu.core.session.RemoteParticipants;
import io.sfu.core.session.Room;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackKind;
import io.sfu.core.session.TrackSource;
import io.sfu.core.session.FakeMediaEngine;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's coordination against the {@link MediaRelay} seam: peers connected once both the address and the key
 * are known, a remote track imported once per node when a local participant wants it (and exported by its origin),
 * both released when nobody wants it, and everything of a peer torn down when it goes.
 */
class RelayCoordinatorTest {
    private final List<String> relayCalls = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private final Map<String, InetSocketAddress> addresses = new HashMap<>();
    private final Map<String, String> descriptions = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
    private ControlPlane plane;
    private RemoteParticipants remote;
    private RelayCoordinator relays;

    private final MediaRelay relay = new MediaRelay() {
        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 7000);
        }

        @Override
        public byte[] sendingKey(String peerNodeId) {
            byte[] key = new byte[RelayCoordinator.KEY_BYTES];
            Arrays.fill(key, (byte) peerNodeId.length());
            return key;
        }

        @Override
        public void connectPeer(String peerNodeId, InetSocketAddress address, byte[] peerSendingKey) {
            relayCalls.add("connect " + peerNodeId + " " + address.getPort() + " " + peerSendingKey.length);
        }

        @Override
        public void disconnectPeer(String peerNodeId) {
            relayCalls.add("disconnect " + peerNodeId);
        }

        @Override
        public String describe(String roomName, String publisherId, String trackId) {
            return "desc " + trackId;
        }

        @Override
        public void startExport(String roomName, String publisherId, String trackId, String peerNodeId) {
            relayCalls.add("startExport " + roomName + " " + trackId + " " + peerNodeId);
        }

        @Override
        public void stopExport(String roomName, String trackId, String peerNodeId) {
            relayCalls.add("stopExport " + roomName + " " + trackId + " " + peerNodeId);
        }

        @Override
        public void importTrack(String roomName, String publisherId, Track track, String description,
                                String fromNodeId) {
            relayCalls.add("import " + roomName + " " + track.id() + " " + description + " " + fromNodeId);
        }

        @Override
        public void removeImport(String roomName, String trackId) {
            relayCalls.add("removeImport " + roomName + " " + trackId);
        }

        @Override
        public Map<String, Long> counters() {
            return Map.of();
        }
    };

    @BeforeEach
    void setUp() {
        MediaEngine engine = new FakeMediaEngine(Runnable::run);
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, control::add,
            new ControlPlane.Limits(10, 10, 10, 8));
        remote = new RemoteParticipants(plane);
        relays = new RelayCoordinator(relay, (node, type, fields) -> sent.add(node + " " + type + " "
            + new java.util.TreeMap<>(fields)), new RelayCoordinator.Descriptions() {
                @Override
                public Optional<String> of(String nodeId, String room, String participantId, String trackId) {
                    return Optional.ofNullable(descriptions.get(nodeId + "/" + trackId));
                }

                @Override
                public Optional<InetSocketAddress> relayAddress(String nodeId) {
                    return Optional.ofNullable(addresses.get(nodeId));
                }
            });
        plane.remoteTracks(relays);
    }

    private void runControl() {
        Runnable task;
        while ((task = control.poll()) != null) {
            task.run();
        }
    }

    private static String key(int length) {
        byte[] key = new byte[length];
        return Base64.getEncoder().encodeToString(key);
    }

    private void connectB() {
        addresses.put("b", new InetSocketAddress("127.0.0.1", 7002));
        relays.peerSeen("b");
        relays.keyReceived("b", key(30));
        relays.keyAcknowledged("b");
    }

    private static Track video(String id) {
        return new Track(id, TrackKind.VIDEO, "1", List.of(), false, TrackSource.CAMERA);
    }

    @Test
    void aPeerIsConnectedOnceItsAddressAndItsKeyAreKnownInEitherOrder() {
        relays.keyReceived("c", key(30));
        assertThat(relayCalls).isEmpty();
        addresses.put("c", new InetSocketAddress("127.0.0.1", 7003));
        relays.peerSeen("c");
        relays.peerSeen("c");
        assertThat(relayCalls).containsExactly("connect c 7003 30");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).isEqualTo("c relayKeyAck {}");
        assertThat(sent.get(1)).startsWith("c relayKey {key=");

        connectB();
        assertThat(relays.isConnected("b")).isTrue();
    }

    @Test
    void aKeyOfTheWrongLengthOrNotBase64IsRefused() {
        addresses.put("b", new InetSocketAddress("127.0.0.1", 7002));
        relays.peerSeen("b");
        relays.keyReceived("b", key(16));
        relays.keyReceived("b", "***");
        assertThat(relayCalls).isEmpty();
        assertThat(relays.messagesRefused()).isEqualTo(2);
    }

    @Test
    void aWantedRemoteTrackIsImportedOnceAndReleasedWhenNobodyWantsIt() throws Exception {
        connectB();
        sent.clear();
        relayCalls.clear();
        Participant alice = plane.join("r1", "alice", Permissions.ALL, true, true,
            ParticipantChannel.DISCARD);
        Participant carol = plane.join("r1", "carol", Permissions.ALL, true, true,
            ParticipantChannel.DISCARD);
        runControl();
        Participant bob = remote.add("r1", "b", "p-bob", "bob").orElseThrow();

        // no description yet: not imported, not offered
        remote.publish(bob, List.of(video("t1")));
        runControl();
        assertThat(relayCalls).isEmpty();

        descriptions.put("b/t1", "d1");
        plane.refreshRoom(bob.room());
        runControl();
        assertThat(relayCalls).containsExactly("import r1 t1 d1 b");
        assertThat(sent).containsExactly("b export {publisherId=p-bob, room=r1, trackId=t1}");

        plane.unsubscribe(alice, List.of("t1"));
        relays.sweep(plane);
        assertThat(relays.imports()).isEqualTo(1);
        plane.unsubscribe(carol, List.of("t1"));
        relays.sweep(plane);
        assertThat(relays.imports()).isZero();
        assertThat(relayCalls).endsWith("removeImport r1 t1");
        assertThat(sent).endsWith("b unexport {room=r1, trackId=t1}");
    }

    @Test
    void anExportIsStartedForAConnectedPeerAndStoppedWhenTheTrackGoesOrThePeerDoes() throws Exception {
        connectB();
        addresses.put("c", new InetSocketAddress("127.0.0.1", 7003));
        relays.peerSeen("c");
        relays.keyReceived("c", key(30));
        relayCalls.clear();
        Participant alice = plane.join("r1", "alice", Permissions.ALL, true, true,
            ParticipantChannel.DISCARD);
        runControl();
        plane.publisherOffer(alice, FakeMediaEngine.offer("video"));
        runControl();
        String t1 = alice.tracks().get(0).id();

        relays.exportRequested("b", "r1", alice.id(), t1, plane);
        relays.exportRequested("c", "r1", alice.id(), t1, plane);
        relays.exportRequested("b", "r1", "someone-else", t1, plane);
        relays.exportRequested("d", "r1", alice.id(), t1, plane);
        assertThat(relayCalls).containsExactly("startExport r1 " + t1 + " b", "startExport r1 " + t1 + " c");
        assertThat(relays.messagesRefused()).isEqualTo(2);

        relays.peerGone("c");
        assertThat(relayCalls).endsWith("disconnect c");
        plane.leave(alice, io.sfu.core.session.LeaveReason.LEFT);
        runControl();
        relays.sweep(plane);
        assertThat(relayCalls).endsWith("stopExport r1 " + t1 + " b");
        assertThat(relays.exports()).isZero();
    }

    @Test
    void aGonePeerTakesItsImportsWithIt() throws Exception {
        connectB();
        plane.join("r1", "alice", Permissions.ALL, true, true, ParticipantChannel.DISCARD);
        runControl();
        Participant bob = remote.add("r1", "b", "p-bob", "bob").orElseThrow();
        descriptions.put("b/t1", "d1");
        remote.publish(bob, List.of(video("t1")));
        runControl();
        assertThat(relays.imports()).isEqualTo(1);

        relays.peerGone("b");
        assertThat(relayCalls).endsWith("removeImport r1 t1", "disconnect b");
        assertThat(relays.imports()).isZero();
        assertThat(relays.isConnected("b")).isFalse();
        Room room = plane.room("r1").orElseThrow();
        assertThat(room.size()).isEqualTo(2);
    }

    @Test
    void anExportAskedForBeforeThePeersKeyArrivedStartsOnceItDoes() throws Exception {
        Participant alice = plane.join("r1", "alice", Permissions.ALL, true, true, ParticipantChannel.DISCARD);
        runControl();
        plane.publisherOffer(alice, FakeMediaEngine.offer("audio"));
        runControl();
        String t1 = alice.tracks().get(0).id();
        addresses.put("b", new InetSocketAddress("127.0.0.1", 7002));
        relays.peerSeen("b");

        relays.exportRequested("b", "r1", alice.id(), t1, plane);
        assertThat(relayCalls).isEmpty();
        relays.keyReceived("b", key(30));
        assertThat(relayCalls).containsExactly("connect b 7002 30", "startExport r1 " + t1 + " b");
    }

    @Test
    void aNewDescriptionOfAnImportedTrackReplacesItsProducerWithoutAnotherExportRequest() throws Exception {
        connectB();
        sent.clear();
        plane.join("r1", "alice", Permissions.ALL, true, true, ParticipantChannel.DISCARD);
        runControl();
        Participant bob = remote.add("r1", "b", "p-bob", "bob").orElseThrow();
        descriptions.put("b/t1", "d1");
        remote.publish(bob, List.of(video("t1")));
        runControl();

        descriptions.put("b/t1", "d2");
        plane.refreshRoom(bob.room());
        runControl();
        assertThat(relayCalls).endsWith("import r1 t1 d1 b", "import r1 t1 d2 b");
        assertThat(sent).containsExactly("b export {publisherId=p-bob, room=r1, trackId=t1}");
        assertThat(relays.imports()).isEqualTo(1);
    }

    @Test
    void theKeyIsSentAgainUntilThePeerConfirmsItAndNothingIsImportedBefore() throws Exception {
        addresses.put("b", new InetSocketAddress("127.0.0.1", 7002));
        relays.peerSeen("b");
        relays.keyReceived("b", key(30));
        plane.join("r1", "alice", Permissions.ALL, true, true, ParticipantChannel.DISCARD);
        runControl();
        Participant bob = remote.add("r1", "b", "p-bob", "bob").orElseThrow();
        descriptions.put("b/t1", "d1");
        remote.publish(bob, List.of(video("t1")));
        runControl();
        assertThat(relays.imports()).isZero();

        sent.clear();
        relays.resendKeys();
        assertThat(sent).singleElement().asString().startsWith("b relayKey {key=");
        relays.keyAcknowledged("b");
        sent.clear();
        relays.resendKeys();
        assertThat(sent).isEmpty();

        plane.refreshRoom(bob.room());
        runControl();
        assertThat(relays.imports()).isEqualTo(1);
    }
}
