package io.sfu.signaling.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON of {@code GET /v1/cluster}: one node with its load and rooms. */
final class ClusterJson {
    private ClusterJson() {
    }

    static ObjectNode node(NodeState state, boolean self, double score) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", state.nodeId());
        node.put("url", state.url());
        node.put("self", self);
        node.put("cpu", state.load().cpu());
        node.put("packetsPerSecond", state.load().packetsPerSecond());
        if (Double.isFinite(score)) {
            node.put("score", score);
        }
        node.put("participants", state.participantCount());
        ArrayNode rooms = node.putArray("rooms");
        for (NodeState.RoomEntry room : state.rooms()) {
            rooms.addObject().put("name", room.name()).put("participants", room.participants().size());
        }
        return node;
    }
}
