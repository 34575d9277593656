package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Room placement: the least-loaded node by CPU and packet rate, and bursts spread between reports. */
class PlacementTest {

    @Test
    void withoutNodesThereIsNoPlace() {
        assertThat(new Placement(0.01).place()).isEmpty();
    }

    @Test
    void theNodeWithTheLowestCpuAndPacketRateGetsTheRoom() {
        Placement placement = new Placement(0);
        placement.report("a", new NodeState.Load(0.50, 1_000));
        placement.report("b", new NodeState.Load(0.10, 90_000));
        placement.report("c", new NodeState.Load(0.30, 10_000));

        // a: 0.50 + 0.011, b: 0.10 + 1.0, c: 0.30 + 0.111
        assertThat(placement.place()).contains("c");
    }

    @Test
    void equalLoadsGoToTheFirstNodeIdSoEveryNodeChoosesAlike() {
        Placement placement = new Placement(0);
        placement.report("n2", NodeState.Load.IDLE);
        placement.report("n1", NodeState.Load.IDLE);
        assertThat(placement.place()).contains("n1");
    }

    @Test
    void aBurstOfRoomsBetweenReportsSpreadsOverIdleNodes() {
        Placement placement = new Placement(0.01);
        for (int i = 0; i < 10; i++) {
            placement.report("n" + i, NodeState.Load.IDLE);
        }
        Map<String, Integer> rooms = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            rooms.merge(placement.place().orElseThrow(), 1, Integer::sum);
        }
        assertThat(rooms).hasSize(10).allSatisfy((node, count) -> assertThat(count).isEqualTo(100));
    }

    @Test
    void aReportResetsTheRoomsCountedSinceTheLastOne() {
        Placement placement = new Placement(0.1);
        placement.report("a", NodeState.Load.IDLE);
        placement.place();
        placement.place();
        assertThat(placement.score("a")).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        placement.report("a", new NodeState.Load(0.05, 0));
        assertThat(placement.score("a")).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRemovedNodeGetsNoMoreRooms() {
        Placement placement = new Placement(0);
        placement.report("a", NodeState.Load.IDLE);
        placement.report("b", new NodeState.Load(0.9, 0));
        placement.remove("a");
        assertThat(placement.place()).contains("b");
    }
}
