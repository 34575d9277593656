package io.sfu.signaling.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * What changed on a node since its previous message: the rooms that changed, each whole (settings, local
 * participants, their tracks), and the names of the rooms it no longer lists. It applies only on top of the state
 * of {@code sequence - 1}; a receiver that holds another one asks the node for its full {@link NodeState}.
 */
public record NodeUpdate(String nodeId, long sequence, List<NodeState.RoomEntry> rooms, List<String> removed) {

    public NodeUpdate {
        Objects.requireNonNull(nodeId, "nodeId");
        rooms = List.copyOf(rooms);
        removed = List.copyOf(removed);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return rooms.isEmpty() && removed.isEmpty();
    }
}
