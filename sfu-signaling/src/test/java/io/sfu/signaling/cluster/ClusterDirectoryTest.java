package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The directory's bookkeeping: what a node's state changes in the rooms, and how a node's departure is seen. */
class ClusterDirectoryTest {
    private static final long SECOND = 1_000_000_000L;
    private final ClusterDirectory directory = new ClusterDirectory("a", 4 * SECOND, 10 * SECOND);

    private static NodeState.TrackEntry track(String id) {
        return new NodeState.TrackEntry(id, "video", "0", List.of(), false, "camera", "desc-" + id);
    }

    private static NodeState.ParticipantEntry participant(String id, NodeState.TrackEntry... tracks) {
        return new NodeState.ParticipantEntry(id, "who-" + id, List.of(tracks));
    }

    private static NodeState state(String node, long sequence, NodeState.RoomEntry... rooms) {
        return new NodeState(node, "http://" + node, "127.0.0.1", 7000, NodeState.Load.IDLE, sequence,
            List.of(rooms));
    }

    private static NodeState.RoomEntry room(String name, NodeState.ParticipantEntry... participants) {
        return new NodeState.RoomEntry(name, 50, 0, false, List.of(participants));
    }

    @Test
    void aNewNodesParticipantsJoinWithTheirTracks() {
        ClusterDirectory.Changes changes = directory.apply(state("b", 1, room("r1", participant("p1", track("t1")),
            participant("p2"))), 0);

        assertThat(changes.joined()).extracting(ClusterDirectory.Joined::participant)
            .extracting(NodeState.ParticipantEntry::id).containsExactly("p1", "p2");
        assertThat(changes.tracksChanged()).extracting(c -> c.participant().id()).containsExactly("p1");
        assertThat(changes.left()).isEmpty();
        assertThat(changes.rooms()).extracting(NodeState.RoomEntry::name).containsExactly("r1");
        assertThat(directory.nodeOf("r1", "who-p2")).contains("b");
    }

    @Test
    void aLaterStateSaysWhoLeftAndWhoseTracksChangedAndNothingElse() {
        directory.apply(state("b", 1, room("r1", participant("p1", track("t1")), participant("p2"))), 0);

        ClusterDirectory.Changes changes = directory.apply(state("b", 2, room("r1",
            participant("p1", track("t1"), track("t2")))), SECOND);

        assertThat(changes.joined()).isEmpty();
        assertThat(changes.tracksChanged()).singleElement().satisfies(c ->
            assertThat(c.participant().tracks()).extracting(NodeState.TrackEntry::id).containsExactly("t1", "t2"));
        assertThat(changes.left()).containsExactly(new ClusterDirectory.Left("b", "r1", "p2"));
    }

    @Test
    void anOlderOrRepeatedStateOrOneOfThisNodeChangesNothing() {
        directory.apply(state("b", 5, room("r1", participant("p1"))), 0);

        assertThat(directory.apply(state("b", 5, room("r1")), 0).isEmpty()).isTrue();
        assertThat(directory.apply(state("b", 4, room("r1")), 0).isEmpty()).isTrue();
        assertThat(directory.apply(state("a", 9, room("r1", participant("x"))), 0).isEmpty()).isTrue();
        assertThat(directory.statesIgnored()).isEqualTo(3);
        assertThat(directory.nodeOf("r1", "who-p1")).contains("b");
    }

    @Test
    void aDroppedNodesParticipantsAllLeaveAndItIsForgotten() {
        directory.apply(state("b", 1, room("r1", participant("p1")), room("r2", participant("p2"))), 0);
        directory.apply(state("c", 1, room("r1", participant("p3"))), 0);

        ClusterDirectory.Changes changes = directory.drop("b");

        assertThat(changes.left()).containsExactlyInAnyOrder(new ClusterDirectory.Left("b", "r1", "p1"),
            new ClusterDirectory.Left("b", "r2", "p2"));
        assertThat(directory.nodes()).extracting(NodeState::nodeId).containsExactly("c");
        assertThat(directory.drop("b").isEmpty()).isTrue();
    }

    @Test
    void aNodeSilentPastTheLimitExpires() {
        directory.apply(state("b", 1), 0);
        directory.apply(state("c", 1), 3 * SECOND);

        assertThat(directory.expire(4 * SECOND)).isEmpty();
        assertThat(directory.expire(4 * SECOND + 1)).containsExactly("b");
    }

    @Test
    void aDeletedRoomIsNotMirroredAgainUntilItsTombstoneExpires() {
        directory.roomDeleted("r1", 0);
        assertThat(directory.apply(state("b", 1, room("r1")), SECOND).rooms()).isEmpty();

        directory.expire(11 * SECOND);
        assertThat(directory.recentlyDeleted("r1")).isFalse();
        assertThat(directory.apply(state("b", 2, room("r1")), 11 * SECOND).rooms()).hasSize(1);
    }

    @Test
    void autoCreatedRoomsAreNotMirrored() {
        NodeState.RoomEntry auto = new NodeState.RoomEntry("dev", 50, 0, true, List.of(participant("p1")));
        ClusterDirectory.Changes changes = directory.apply(state("b", 1, auto), 0);
        assertThat(changes.rooms()).isEmpty();
        assertThat(changes.joined()).hasSize(1);
    }

    @Test
    void aHeartbeatKeepsANodeAliveWithItsNewLoadAndSaysWhenItsLatestStateIsMissing() {
        directory.apply(state("b", 5, room("r1", participant("p1"))), 0);

        assertThat(directory.heartbeat("b", new NodeState.Load(0.5, 900), 5, 3 * SECOND)).isFalse();
        assertThat(directory.expire(6 * SECOND)).isEmpty();
        assertThat(directory.node("b").orElseThrow().load()).isEqualTo(new NodeState.Load(0.5, 900));
        assertThat(directory.node("b").orElseThrow().rooms()).hasSize(1);

        assertThat(directory.heartbeat("b", NodeState.Load.IDLE, 6, 4 * SECOND)).isTrue();
        assertThat(directory.heartbeat("c", NodeState.Load.IDLE, 1, 4 * SECOND)).isTrue();
        assertThat(directory.heartbeat("a", NodeState.Load.IDLE, 1, 4 * SECOND)).isFalse();
        assertThat(directory.size()).isEqualTo(1);
    }
}
