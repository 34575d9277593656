package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This node's side of the protocol: updates carry only what changed, in sequence; a snapshot moves nothing. */
class PublishedStateTest {
    private static NodeState current(NodeState.RoomEntry... rooms) {
        return new NodeState("a", "http://a", "", 0, NodeState.Load.IDLE, 0, List.of(rooms));
    }

    private static NodeState.RoomEntry room(String name, String... participants) {
        return new NodeState.RoomEntry(name, 50, 0, false, Arrays.stream(participants)
            .map(p -> new NodeState.ParticipantEntry(p, "who-" + p, List.of())).toList());
    }

    @Test
    void anUpdateCarriesTheChangedAndRemovedRoomsOnlyUnderTheNextSequence() {
        PublishedState own = new PublishedState(1000);
        assertThat(own.full(current(room("r1", "p1"), room("r2", "p2"), room("r3"))).sequence()).isEqualTo(1001);

        NodeUpdate update = own.update(current(room("r1", "p1", "p4"), room("r3"))).orElseThrow();

        assertThat(update.sequence()).isEqualTo(1002);
        assertThat(update.rooms()).extracting(NodeState.RoomEntry::name).containsExactly("r1");
        assertThat(update.removed()).containsExactly("r2");
        assertThat(own.update(current(room("r1", "p1", "p4"), room("r3")))).isEmpty();
        assertThat(own.sequence()).isEqualTo(1002);
    }

    @Test
    void aSnapshotForOneNodeKeepsTheSequenceAndTheNextUpdateStillCarriesItsChanges() {
        PublishedState own = new PublishedState(0);
        own.full(current(room("r1", "p1")));

        NodeState snapshot = own.snapshot(current(room("r1", "p1", "p2")));
        assertThat(snapshot.sequence()).isEqualTo(1);
        assertThat(snapshot.participantCount()).isEqualTo(2);

        NodeUpdate next = own.update(current(room("r1", "p1", "p2"))).orElseThrow();
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.rooms()).singleElement().satisfies(r -> assertThat(r.participants()).hasSize(2));
    }

    @Test
    void twoDirectoriesFedTheSameWayAgreeWithTheSenderAfterAGapAndAResync() {
        PublishedState own = new PublishedState(0);
        ClusterDirectory b = new ClusterDirectory("b", Long.MAX_VALUE, 0);
        ClusterDirectory c = new ClusterDirectory("c", Long.MAX_VALUE, 0);
        NodeState first = own.full(current(room("r1", "p1")));
        b.apply(first, 0);
        c.apply(first, 0);

        NodeUpdate lostOnC = own.update(current(room("r1", "p1", "p2"), room("r2", "p3"))).orElseThrow();
        b.update(lostOnC, 1);
        NodeState now = current(room("r2", "p3", "p5"));
        NodeUpdate second = own.update(now).orElseThrow();
        b.update(second, 2);
        assertThat(c.update(second, 2).isEmpty()).isTrue();
        assertThat(c.stateWanted("a", 2)).isTrue();
        c.apply(own.snapshot(now), 3);

        assertThat(b.node("a").orElseThrow().rooms()).isEqualTo(now.rooms());
        assertThat(c.node("a").orElseThrow().rooms()).isEqualTo(now.rooms());
        assertThat(c.node("a")).isEqualTo(b.node("a"));
    }
}
