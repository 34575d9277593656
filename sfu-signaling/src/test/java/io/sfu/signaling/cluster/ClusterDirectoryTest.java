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

    private static NodeUpdate update(String node, long sequence, List<String> removed,
                                     NodeState.RoomEntry... rooms) {
        return new NodeUpdate(node, sequence, List.of(rooms), removed);
    }

    @Test
    void anUpdateInSequenceChangesOnlyItsRooms() {
        directory.apply(state("b", 1, room("r1", participant("p1")), room("r2", participant("p2"))), 0);

        ClusterDirectory.Changes changes = directory.update(update("b", 2, List.of("r2"),
            room("r1", participant("p1", track("t1")), participant("p3"))), SECOND);

        assertThat(changes.joined()).extracting(j -> j.participant().id()).containsExactly("p3");
        assertThat(changes.tracksChanged()).extracting(c -> c.participant().id()).containsExactly("p1");
        assertThat(changes.left()).containsExactly(new ClusterDirectory.Left("b", "r2", "p2"));
        assertThat(changes.rooms()).extracting(NodeState.RoomEntry::name).containsExactly("r1");
        assertThat(directory.node("b").orElseThrow().rooms()).extracting(NodeState.RoomEntry::name)
            .containsExactly("r1");
        assertThat(directory.node("b").orElseThrow().sequence()).isEqualTo(2);
        assertThat(directory.stateWanted("b", SECOND)).isFalse();
        assertThat(directory.update(update("b", 2, List.of(), room("r9", participant("x"))), SECOND).isEmpty())
            .isTrue();
    }

    @Test
    void anUpdateAfterAGapIsIgnoredAndTheFullStateAskedForSettlesIt() {
        directory.apply(state("b", 1, room("r1", participant("p1"))), 0);

        // update 2 is lost; 3 and 4 must wait for a full state
        assertThat(directory.update(update("b", 3, List.of(), room("r1", participant("p1"), participant("p2"))),
            SECOND).isEmpty()).isTrue();
        assertThat(directory.stateWanted("b", SECOND)).isTrue();
        assertThat(directory.stateWanted("b", SECOND + 1)).as("asked already").isFalse();
        assertThat(directory.update(update("b", 4, List.of(), room("r2", participant("p4"))), SECOND).isEmpty())
            .isTrue();
        assertThat(directory.gaps()).isEqualTo(1);

        // the answer, at sequence 4, raced with update 4: it replaces the state whole
        ClusterDirectory.Changes changes = directory.apply(state("b", 4, room("r1", participant("p1"),
            participant("p2")), room("r2", participant("p4"))), 2 * SECOND);
        assertThat(changes.joined()).extracting(j -> j.participant().id()).containsExactly("p2", "p4");
        assertThat(changes.left()).isEmpty();
        assertThat(directory.stateWanted("b", 2 * SECOND)).isFalse();

        // the next update applies again
        assertThat(directory.update(update("b", 5, List.of("r2")), 2 * SECOND).left())
            .containsExactly(new ClusterDirectory.Left("b", "r2", "p4"));
    }

    @Test
    void aRequestNotAnsweredInTimeIsMadeAgain() {
        directory.apply(state("b", 1), 0);
        assertThat(directory.heartbeat("b", NodeState.Load.IDLE, 2, SECOND)).isTrue();
        assertThat(directory.heartbeat("b", NodeState.Load.IDLE, 2, 2 * SECOND)).isFalse();
        assertThat(directory.heartbeat("b", NodeState.Load.IDLE, 2, 3 * SECOND)).isTrue();
    }

    @Test
    void anUpdateOfANodeWithNoStateHereIsIgnoredAndItsStateAskedFor() {
        assertThat(directory.update(update("b", 7, List.of(), room("r1", participant("p1"))), 0).isEmpty())
            .isTrue();
        assertThat(directory.stateWanted("b", 0)).isTrue();
        assertThat(directory.stateWanted("b", 1)).isFalse();
        assertThat(directory.stateWanted("c", 0)).as("never heard of").isFalse();
        assertThat(directory.size()).isZero();

        assertThat(directory.apply(state("b", 7, room("r1", participant("p1"))), SECOND).joined()).hasSize(1);
        assertThat(directory.update(update("b", 8, List.of("r1")), SECOND).left()).hasSize(1);
    }

    @Test
    void nodesHeardOfWithoutAStateAreBounded() {
        for (int i = 0; i < ClusterDirectory.MAX_UNKNOWN_NODES + 10; i++) {
            directory.update(update("x" + i, 1, List.of()), 0);
        }
        assertThat(directory.stateWanted("x0", 0)).isTrue();
        assertThat(directory.stateWanted("x" + (ClusterDirectory.MAX_UNKNOWN_NODES + 5), 0)).isFalse();
    }

    @Test
    void aRestartedNodesHigherSequenceReplacesItsPreviousLife() {
        directory.apply(state("b", 1_000_005, room("r1", participant("p1"))), 0);
        directory.update(update("b", 2_000_002, List.of(), room("r1", participant("p9"))), SECOND);
        assertThat(directory.stateWanted("b", SECOND)).isTrue();

        ClusterDirectory.Changes changes = directory.apply(state("b", 2_000_001, room("r1", participant("p9"))),
            SECOND);
        assertThat(changes.left()).containsExactly(new ClusterDirectory.Left("b", "r1", "p1"));
        assertThat(changes.joined()).extracting(j -> j.participant().id()).containsExactly("p9");
    }
}
