package io.sfu.signaling.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This node's side of the directory protocol: its sequence, its rooms as the other nodes last heard them, and the
 * update that brings them from there to the rooms now. Pure and single-threaded, like {@link ClusterDirectory}.
 */
public final class PublishedState {
    private final Map<String, NodeState.RoomEntry> published = new LinkedHashMap<>();
    private long sequence;

    /**
     * @param firstSequence the sequence before the first message: a restarted node must start above its previous
     *     life's last one (its start time in milliseconds times 1000 does)
     */
    public PublishedState(long firstSequence) {
        this.sequence = firstSequence;
    }

    /** The sequence of the last state or update sent to every node. */
    public long sequence() {
        return sequence;
    }

    /** A full state for every node (at start, on leaving): it takes the next sequence and is the new base. */
    public NodeState full(NodeState current) {
        published.clear();
        current.rooms().forEach(room -> published.putIfAbsent(room.name(), room));
        return withSequence(current, ++sequence);
    }

    /**
     * The full state for one node that asked for it, at the last sequence sent to every node. It may already show
     * changes not sent yet: the next update carries them again, and rooms are replaced whole, so that is harmless.
     */
    public NodeState snapshot(NodeState current) {
        return withSequence(current, sequence);
    }

    /** The update from the rooms last sent to {@code current}'s, under the next sequence; empty when none changed. */
    public Optional<NodeUpdate> update(NodeState current) {
        Map<String, NodeState.RoomEntry> now = new LinkedHashMap<>();
        current.rooms().forEach(room -> now.putIfAbsent(room.name(), room));
        List<NodeState.RoomEntry> changed = new ArrayList<>();
        for (NodeState.RoomEntry room : now.values()) {
            if (!room.equals(published.get(room.name()))) {
                changed.add(room);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String name : published.keySet()) {
            if (!now.containsKey(name)) {
                removed.add(name);
            }
        }
        if (changed.isEmpty() && removed.isEmpty()) {
            return Optional.empty();
        }
        removed.forEach(published::remove);
        changed.forEach(room -> published.put(room.name(), room));
        return Optional.of(new NodeUpdate(current.nodeId(), ++sequence, changed, removed));
    }

    private static NodeState withSequence(NodeState state, long sequence) {
        return new NodeState(state.nodeId(), state.url(), state.relayHost(), state.relayPort(), state.load(),
            sequence, state.rooms());
    }
}
