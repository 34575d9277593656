package io.sfu.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Participants of other cluster nodes in this server's rooms: shown like local ones, forwarded once imported. */
class RemoteParticipantsTest {
    private final QueueExecutor control = new QueueExecutor();
    private final FakeMediaEngine engine = new FakeMediaEngine(Runnable::run);
    private final List<String> importRequests = new ArrayList<>();
    private boolean imported;
    private ControlPlane plane;
    private RemoteParticipants remote;

    @BeforeEach
    void setUp() {
        plane = new ControlPlane(new InMemoryRoomRegistry(), engine, control, new ControlPlane.Limits(3, 2, 10, 8));
        plane.remoteTracks((room, publisher, track) -> {
            importRequests.add(publisher.identity() + " " + track.id());
            return imported;
        });
        remote = new RemoteParticipants(plane);
    }

    private Participant join(String identity, RecordingChannel channel) throws SessionException {
        Participant p = plane.join("r1", identity, Permissions.ALL, true, true, channel);
        control.runAll();
        return p;
    }

    private static Track video(String id) {
        return new Track(id, TrackKind.VIDEO, "1", List.of(), false, TrackSource.CAMERA);
    }

    @Test
    void aRemoteParticipantAndItsTracksReachTheLocalClientsAsEvents() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        join("alice", alice);

        Participant bob = remote.add("r1", "node-b", "p-bob", "bob").orElseThrow();
        remote.publish(bob, List.of(video("t1")));
        control.runAll();

        assertThat(bob.isRemote()).isTrue();
        assertThat(bob.nodeId()).isEqualTo("node-b");
        assertThat(alice.take()).containsExactly("participantJoined bob", "trackPublished bob video 1");
        assertThat(importRequests).containsExactly("bob t1");

        remote.publish(bob, List.of(video("t1").withMuted(true)));
        assertThat(alice.take()).containsExactly("trackMuted bob 1 true");

        remote.remove(bob);
        control.runAll();
        assertThat(alice.take()).containsExactly("participantLeft bob");
        assertThat(plane.room("r1").orElseThrow().participants()).extracting(Participant::identity)
            .containsExactly("alice");
    }

    @Test
    void aRemoteTrackIsOfferedOnlyOnceImported() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        Participant a = join("alice", alice);
        Participant bob = remote.add("r1", "node-b", "p-bob", "bob").orElseThrow();

        remote.publish(bob, List.of(video("t1")));
        control.runAll();
        assertThat(engine.session(a.id()).subscriberOffers()).isEmpty();

        imported = true;
        plane.refreshRoom(bob.room());
        control.runAll();
        assertThat(engine.session(a.id()).subscriberOffers()).singleElement().satisfies(offer ->
            assertThat(offer).extracting(SubscribedTrack::publisherId).containsExactly("p-bob"));
    }

    @Test
    void remoteParticipantsCountInTheRoomAndAreNeverDisconnectedOrKickedHere() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        join("alice", alice);
        remote.add("r1", "node-b", "p-bob", "bob").orElseThrow();
        // the room holds 2: alice and bob; a third local join is refused
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> join("carol", new RecordingChannel())))
            .isInstanceOf(SessionException.class);
        assertThat(plane.kick("r1", "bob")).isFalse();

        assertThat(plane.deleteRoom("r1")).isTrue();
        assertThat(alice.take()).contains("disconnect ROOM_DELETED");
    }

    @Test
    void aRemoteJoinWithTheIdentityOfALocalParticipantIsNotShownAndAnEmptyAutoRoomGoesAway() throws Exception {
        join("alice", new RecordingChannel());
        assertThat(remote.add("r1", "node-b", "p-other", "alice")).isEmpty();

        Participant dave = remote.add("r2", "node-b", "p-dave", "dave").orElseThrow();
        assertThat(plane.room("r2")).isPresent();
        remote.remove(dave);
        assertThat(plane.room("r2")).isEmpty();
    }

    @Test
    void aRemoteParticipantOfTheSameIdentityIsReplaced() throws Exception {
        RecordingChannel alice = new RecordingChannel();
        join("alice", alice);
        remote.add("r1", "node-b", "p-bob1", "bob").orElseThrow();
        Participant again = remote.add("r1", "node-c", "p-bob2", "bob").orElseThrow();
        assertThat(again.nodeId()).isEqualTo("node-c");
        assertThat(alice.take()).containsExactly("participantJoined bob", "participantLeft bob",
            "participantJoined bob");
        assertThat(remote.find("r1", "p-bob1")).isEmpty();
    }
}
