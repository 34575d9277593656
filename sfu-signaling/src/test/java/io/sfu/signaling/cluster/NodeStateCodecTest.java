package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's state survives the trip between nodes, and a state that breaks a bound is refused whole. */
class NodeStateCodecTest {
    private static NodeState state(String roomName, String identity) {
        NodeState.TrackEntry track = new NodeState.TrackEntry("t1", "video", "1", List.of("q", "h"), true, "camera",
            "{\"codecs\":[]}");
        return new NodeState("b", "http://127.0.0.1:8081", "127.0.0.1", 7001, new NodeState.Load(0.25, 1200), 42,
            List.of(new NodeState.RoomEntry(roomName, 10, 2, false, List.of(
                new NodeState.ParticipantEntry("p1", identity, List.of(track))))));
    }

    @Test
    void aStateReadsBackEqual() {
        NodeState state = state("r1", "alice");
        assertThat(NodeStateCodec.read(NodeStateCodec.write(state))).contains(state);
    }

    @Test
    void malformedOrOutOfBoundsStatesAreRefused() {
        assertThat(NodeStateCodec.read("{")).isEmpty();
        assertThat(NodeStateCodec.read("[]")).isEmpty();
        assertThat(NodeStateCodec.read("{\"nodeId\":\"b\"}")).isEmpty();
        assertThat(NodeStateCodec.read(NodeStateCodec.write(state("bad room/name", "alice")))).isEmpty();
        assertThat(NodeStateCodec.read(NodeStateCodec.write(state("r1", "bad identity")))).isEmpty();
        assertThat(NodeStateCodec.read("x".repeat(NodeStateCodec.MAX_TEXT_CHARS + 1))).isEmpty();
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThat(NodeStateCodec.read(deep)).isEmpty();
    }

    @Test
    void anUpdateReadsBackEqualAndOneOutOfBoundsIsRefused() {
        NodeUpdate update = new NodeUpdate("b", 43, state("r1", "alice").rooms(), List.of("r0"));
        assertThat(NodeStateCodec.readUpdate(NodeStateCodec.write(update))).contains(update);
        assertThat(NodeStateCodec.write(update)).doesNotContain("empty");

        assertThat(NodeStateCodec.readUpdate(NodeStateCodec.write(new NodeUpdate("b", 44, List.of(),
            List.of("bad room/name"))))).isEmpty();
        assertThat(NodeStateCodec.readUpdate(NodeStateCodec.write(new NodeUpdate("b", 44,
            state("r1", "bad identity").rooms(), List.of())))).isEmpty();
        assertThat(NodeStateCodec.readUpdate("{\"nodeId\":\"b\",\"sequence\":1}")).isEmpty();
        assertThat(NodeStateCodec.readUpdate("x".repeat(NodeStateCodec.MAX_TEXT_CHARS + 1))).isEmpty();
    }

    @Test
    void aHeartbeatCarriesTheLoadAndSequenceOnlyAndABadOneIsRefused() {
        NodeStateCodec.Heartbeat heartbeat = new NodeStateCodec.Heartbeat("b", 0.5, 1200, 42);
        String text = NodeStateCodec.write(heartbeat);
        assertThat(NodeStateCodec.readHeartbeat(text)).contains(heartbeat);
        assertThat(text).isEqualTo("{\"nodeId\":\"b\",\"cpu\":0.5,\"packetsPerSecond\":1200,\"state\":42}");

        assertThat(NodeStateCodec.readHeartbeat("{\"nodeId\":\"b\",\"cpu\":0.5,\"packetsPerSecond\":1}")).isEmpty();
        assertThat(NodeStateCodec.readHeartbeat("{\"nodeId\":\"\",\"cpu\":0,\"packetsPerSecond\":1,\"state\":1}"))
            .isEmpty();
        assertThat(NodeStateCodec.readHeartbeat("{\"nodeId\":\"b\",\"cpu\":\"x\",\"packetsPerSecond\":1,"
            + "\"state\":1}")).isEmpty();
        assertThat(NodeStateCodec.readHeartbeat(" ".repeat(NodeStateCodec.MAX_HEARTBEAT_CHARS + 1))).isEmpty();
    }
}
