package io.sfu.signaling.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's room directory as this node sees it: the latest {@link NodeState} of every other node, and what
 * changed in the rooms when a state arrives or a node goes away. Pure bookkeeping on an injected clock (no network,
 * no threads): one writer, the control thread, and a simulation can drive it alike.
 */
public final class ClusterDirectory {
    /** A participant of another node now in a room. */
    public record Joined(String nodeId, String room, NodeState.ParticipantEntry participant) {
    }

    /** A participant of another node whose tracks changed (the entry carries the whole new list). */
    public record TracksChanged(String nodeId, String room, NodeState.ParticipantEntry participant) {
    }

    /** A participant of another node no longer in a room (it left, or its node went away). */
    public record Left(String nodeId, String room, String participantId) {
    }

    /**
     * What a state or a departure changed, to be applied in this order: joins, track changes, departures. Rooms are
     * the ones another node holds (created explicitly), which this node should hold too.
     */
    public record Changes(List<Joined> joined, List<TracksChanged> tracksChanged, List<Left> left,
                          List<NodeState.RoomEntry> rooms) {
        static final Changes NONE = new Changes(List.of(), List.of(), List.of(), List.of());

        public boolean isEmpty() {
            return joined.isEmpty() && tracksChanged.isEmpty() && left.isEmpty() && rooms.isEmpty();
        }
    }

    private record Entry(NodeState state, long receivedNs) {
    }

    private final String localNodeId;
    private final long staleAfterNs;
    private final long tombstoneNs;
    private final Map<String, Entry> nodes = new LinkedHashMap<>();
    /** Rooms deleted lately, by name, with when: a state still listing one must not bring it back. */
    private final Map<String, Long> deletedRooms = new HashMap<>();
    private long statesIgnored;

    /**
     * @param staleAfterNs a node whose last state is older than this is gone ({@link #expire}), even if the
     *     membership has not said so yet
     * @param tombstoneNs how long a deleted room's name is kept from being mirrored again
     */
    public ClusterDirectory(String localNodeId, long staleAfterNs, long tombstoneNs) {
        this.localNodeId = localNodeId;
        this.staleAfterNs = staleAfterNs;
        this.tombstoneNs = tombstoneNs;
    }

    public String localNodeId() {
        return localNodeId;
    }

    /**
     * Takes a node's state: replaces its previous one whole and says what changed. A state of this node, or one not
     * newer than the one held, changes nothing (and is counted).
     */
    public Changes apply(NodeState state, long nowNs) {
        if (state.nodeId().equals(localNodeId)) {
            statesIgnored++;
            return Changes.NONE;
        }
        Entry previous = nodes.get(state.nodeId());
        if (previous != null && previous.state().sequence() >= state.sequence()) {
            statesIgnored++;
            return Changes.NONE;
        }
        nodes.put(state.nodeId(), new Entry(state, nowNs));
        return diff(state.nodeId(), previous == null ? List.of() : previous.state().rooms(), state.rooms(), nowNs);
    }

    /**
     * Takes a node's heartbeat: its load now, and the sequence of the last state it published. Keeps the node alive
     * (see {@link #expire}) without a state.
     *
     * @return true when that state is not held here (it was missed, or has not arrived yet): ask the node for it
     */
    public boolean heartbeat(String nodeId, NodeState.Load load, long stateSequence, long nowNs) {
        if (nodeId.equals(localNodeId)) {
            return false;
        }
        Entry entry = nodes.get(nodeId);
        if (entry == null) {
            return true;
        }
        NodeState held = entry.state();
        nodes.put(nodeId, new Entry(new NodeState(held.nodeId(), held.url(), held.relayHost(), held.relayPort(), load,
            held.sequence(), held.rooms()), nowNs));
        return stateSequence > held.sequence();
    }

    /** Forgets a node (it left the cluster or died): every participant it had leaves. */
    public Changes drop(String nodeId) {
        Entry gone = nodes.remove(nodeId);
        if (gone == null) {
            return Changes.NONE;
        }
        return diff(nodeId, gone.state().rooms(), List.of(), Long.MIN_VALUE);
    }

    /** The nodes whose last state is older than the stale limit at {@code nowNs}; {@link #drop} each. */
    public List<String> expire(long nowNs) {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, Entry> node : nodes.entrySet()) {
            if (nowNs - node.getValue().receivedNs() > staleAfterNs) {
                stale.add(node.getKey());
            }
        }
        deletedRooms.values().removeIf(at -> nowNs - at > tombstoneNs);
        return stale;
    }

    /** A room was deleted through the API: its name is not mirrored again for a while. */
    public void roomDeleted(String name, long nowNs) {
        deletedRooms.put(name, nowNs);
    }

    public boolean recentlyDeleted(String name) {
        return deletedRooms.containsKey(name);
    }

    /** The other nodes' states, in the order they were first heard of. */
    public List<NodeState> nodes() {
        List<NodeState> states = new ArrayList<>(nodes.size());
        nodes.values().forEach(e -> states.add(e.state()));
        return Collections.unmodifiableList(states);
    }

    public Optional<NodeState> node(String nodeId) {
        Entry entry = nodes.get(nodeId);
        return entry == null ? Optional.empty() : Optional.of(entry.state());
    }

    public int size() {
        return nodes.size();
    }

    /** States refused: this node's own, or older than the one held. */
    public long statesIgnored() {
        return statesIgnored;
    }

    /** The node hosting the participant of this identity in this room, if another node does. */
    public Optional<String> nodeOf(String room, String identity) {
        for (Entry entry : nodes.values()) {
            for (NodeState.RoomEntry r : entry.state().rooms()) {
                if (r.name().equals(room)) {
                    for (NodeState.ParticipantEntry p : r.participants()) {
                        if (p.identity().equals(identity)) {
                            return Optional.of(entry.state().nodeId());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Changes diff(String nodeId, Collection<NodeState.RoomEntry> before, Collection<NodeState.RoomEntry> after,
                         long nowNs) {
        Map<String, NodeState.RoomEntry> old = byName(before);
        Map<String, NodeState.RoomEntry> now = byName(after);
        List<Joined> joined = new ArrayList<>();
        List<TracksChanged> changed = new ArrayList<>();
        List<Left> left = new ArrayList<>();
        List<NodeState.RoomEntry> rooms = new ArrayList<>();
        for (NodeState.RoomEntry room : now.values()) {
            if (!room.autoCreated() && !deletedRooms.containsKey(room.name())) {
                rooms.add(room);
            }
            NodeState.RoomEntry was = old.get(room.name());
            Map<String, NodeState.ParticipantEntry> wasThere = was == null ? Map.of() : byId(was.participants());
            for (NodeState.ParticipantEntry participant : room.participants()) {
                NodeState.ParticipantEntry previous = wasThere.get(participant.id());
                if (previous == null) {
                    joined.add(new Joined(nodeId, room.name(), participant));
                    if (!participant.tracks().isEmpty()) {
                        changed.add(new TracksChanged(nodeId, room.name(), participant));
                    }
                } else if (!previous.tracks().equals(participant.tracks())) {
                    changed.add(new TracksChanged(nodeId, room.name(), participant));
                }
            }
        }
        for (NodeState.RoomEntry room : old.values()) {
            NodeState.RoomEntry still = now.get(room.name());
            Map<String, NodeState.ParticipantEntry> there = still == null ? Map.of() : byId(still.participants());
            for (NodeState.ParticipantEntry participant : room.participants()) {
                if (!there.containsKey(participant.id())) {
                    left.add(new Left(nodeId, room.name(), participant.id()));
                }
            }
        }
        return new Changes(joined, changed, left, rooms);
    }

    private static Map<String, NodeState.RoomEntry> byName(Collection<NodeState.RoomEntry> rooms) {
        Map<String, NodeState.RoomEntry> map = new LinkedHashMap<>();
        rooms.forEach(r -> map.putIfAbsent(r.name(), r));
        return map;
    }

    private static Map<String, NodeState.ParticipantEntry> byId(List<NodeState.ParticipantEntry> participants) {
        Map<String, NodeState.ParticipantEntry> map = new HashMap<>();
        participants.forEach(p -> map.putIfAbsent(p.id(), p));
        return map;
    }
}
