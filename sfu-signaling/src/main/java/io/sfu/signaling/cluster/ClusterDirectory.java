package io.sfu.signaling.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's room directory as this node sees it: every other node's rooms, built from a full {@link NodeState}
 * and the {@link NodeUpdate}s that follow it in sequence, and what changed in the rooms when one arrives or a node
 * goes away. Pure bookkeeping on an injected clock (no network, no threads): one writer, the control thread, and a
 * simulation can drive it alike.
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
     * What a state, an update or a departure changed, to be applied in this order: joins, track changes, departures.
     * Rooms are the ones another node holds (created explicitly), which this node should hold too.
     */
    public record Changes(List<Joined> joined, List<TracksChanged> tracksChanged, List<Left> left,
                          List<NodeState.RoomEntry> rooms) {
        static final Changes NONE = new Changes(List.of(), List.of(), List.of(), List.of());

        public boolean isEmpty() {
            return joined.isEmpty() && tracksChanged.isEmpty() && left.isEmpty() && rooms.isEmpty();
        }
    }

    /** The longest list of nodes heard of without a state (a bound on what peers can make this node remember). */
    static final int MAX_UNKNOWN_NODES = 1024;

    /** Another node as known here: its last full state's fields, its rooms brought up to date by its updates. */
    private static final class Node {
        final String nodeId;
        String url;
        String relayHost;
        int relayPort;
        NodeState.Load load;
        long sequence;
        final Map<String, NodeState.RoomEntry> rooms = new LinkedHashMap<>();
        long heardNs;
        /** False after a gap in the sequence: updates wait for a full state. */
        boolean synced = true;
        boolean requested;
        long requestedNs;

        Node(String nodeId) {
            this.nodeId = nodeId;
        }

        NodeState snapshot() {
            return new NodeState(nodeId, url, relayHost, relayPort, load, sequence, new ArrayList<>(rooms.values()));
        }
    }

    private final String localNodeId;
    private final long staleAfterNs;
    private final long tombstoneNs;
    private final long requestRetryNs;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    /** Nodes heard of (an update, a heartbeat) but with no state here yet, with when their state was asked for. */
    private final Map<String, Long> unknown = new HashMap<>();
    /** Rooms deleted lately, by name, with when: a state still listing one must not bring it back. */
    private final Map<String, Long> deletedRooms = new HashMap<>();
    private long statesIgnored;
    private long updatesIgnored;
    private long gaps;

    /** A directory that asks again for a state not received within two seconds. */
    public ClusterDirectory(String localNodeId, long staleAfterNs, long tombstoneNs) {
        this(localNodeId, staleAfterNs, tombstoneNs, 2_000_000_000L);
    }

    /**
     * @param staleAfterNs a node not heard of for longer than this is gone ({@link #expire}), even if the membership
     *     has not said so yet
     * @param tombstoneNs how long a deleted room's name is kept from being mirrored again
     * @param requestRetryNs how long a request for a node's state is given before it is asked again
     */
    public ClusterDirectory(String localNodeId, long staleAfterNs, long tombstoneNs, long requestRetryNs) {
        this.localNodeId = localNodeId;
        this.staleAfterNs = staleAfterNs;
        this.tombstoneNs = tombstoneNs;
        this.requestRetryNs = requestRetryNs;
    }

    public String localNodeId() {
        return localNodeId;
    }

    /**
     * Takes a node's full state: replaces what is held of it whole and says what changed. A state of this node, or
     * one not newer than what is held, changes nothing (and is counted).
     */
    public Changes apply(NodeState state, long nowNs) {
        if (state.nodeId().equals(localNodeId)) {
            statesIgnored++;
            return Changes.NONE;
        }
        Node node = nodes.get(state.nodeId());
        if (node != null && node.sequence >= state.sequence()) {
            statesIgnored++;
            return Changes.NONE;
        }
        if (node == null) {
            node = new Node(state.nodeId());
            nodes.put(state.nodeId(), node);
        }
        unknown.remove(state.nodeId());
        node.url = state.url();
        node.relayHost = state.relayHost();
        node.relayPort = state.relayPort();
        node.load = state.load();
        node.sequence = state.sequence();
        node.heardNs = nowNs;
        node.synced = true;
        node.requested = false;
        Map<String, NodeState.RoomEntry> before = new LinkedHashMap<>(node.rooms);
        node.rooms.clear();
        for (NodeState.RoomEntry room : state.rooms()) {
            node.rooms.putIfAbsent(room.name(), room);
        }
        Diff diff = new Diff(node.nodeId);
        for (NodeState.RoomEntry room : node.rooms.values()) {
            diff.room(before.get(room.name()), room);
        }
        for (NodeState.RoomEntry room : before.values()) {
            if (!node.rooms.containsKey(room.name())) {
                diff.room(room, null);
            }
        }
        return diff.changes();
    }

    /**
     * Takes a node's update. It applies only on top of the state of the sequence before it; an update of a node with
     * no state here, after a gap, or while a state is awaited changes nothing (and is counted): then
     * {@link #stateWanted} says to ask the node for its full state. An update already held is ignored.
     */
    public Changes update(NodeUpdate update, long nowNs) {
        if (update.nodeId().equals(localNodeId)) {
            updatesIgnored++;
            return Changes.NONE;
        }
        Node node = nodes.get(update.nodeId());
        if (node == null) {
            remember(update.nodeId());
            updatesIgnored++;
            return Changes.NONE;
        }
        node.heardNs = nowNs;
        if (update.sequence() <= node.sequence) {
            updatesIgnored++;
            return Changes.NONE;
        }
        if (!node.synced || update.sequence() != node.sequence + 1) {
            if (node.synced) {
                gaps++;
                node.synced = false;
            }
            updatesIgnored++;
            return Changes.NONE;
        }
        node.sequence = update.sequence();
        Diff diff = new Diff(node.nodeId);
        for (String name : update.removed()) {
            NodeState.RoomEntry was = node.rooms.remove(name);
            if (was != null) {
                diff.room(was, null);
            }
        }
        for (NodeState.RoomEntry room : update.rooms()) {
            diff.room(node.rooms.put(room.name(), room), room);
        }
        return diff.changes();
    }

    /**
     * Takes a node's heartbeat: its load now, and the sequence of its last state or update. Keeps the node alive
     * (see {@link #expire}) without a state.
     *
     * @return true when a state of the node should be asked for now (see {@link #stateWanted})
     */
    public boolean heartbeat(String nodeId, NodeState.Load load, long sequence, long nowNs) {
        if (nodeId.equals(localNodeId)) {
            return false;
        }
        Node node = nodes.get(nodeId);
        if (node == null) {
            remember(nodeId);
        } else {
            node.load = load;
            node.heardNs = nowNs;
            if (sequence > node.sequence && node.synced) {
                // the node's messages arrive in order: what the heartbeat counts was sent before it and missed
                gaps++;
                node.synced = false;
            }
        }
        return stateWanted(nodeId, nowNs);
    }

    /**
     * Whether to ask the node for its full state now: it has no state here, or a gap in its sequence was seen, and
     * it was not asked within the retry time. A true answer counts as the request made.
     */
    public boolean stateWanted(String nodeId, long nowNs) {
        Node node = nodes.get(nodeId);
        if (node != null) {
            if (node.synced || (node.requested && nowNs - node.requestedNs < requestRetryNs)) {
                return false;
            }
            node.requested = true;
            node.requestedNs = nowNs;
            return true;
        }
        if (!unknown.containsKey(nodeId)) {
            return false;
        }
        Long asked = unknown.get(nodeId);
        if (asked != null && nowNs - asked < requestRetryNs) {
            return false;
        }
        unknown.put(nodeId, nowNs);
        return true;
    }

    private void remember(String nodeId) {
        if (!unknown.containsKey(nodeId) && unknown.size() < MAX_UNKNOWN_NODES) {
            unknown.put(nodeId, null);
        }
    }

    /** Forgets a node (it left the cluster or died): every participant it had leaves. */
    public Changes drop(String nodeId) {
        unknown.remove(nodeId);
        Node gone = nodes.remove(nodeId);
        if (gone == null) {
            return Changes.NONE;
        }
        Diff diff = new Diff(nodeId);
        for (NodeState.RoomEntry room : gone.rooms.values()) {
            diff.room(room, null);
        }
        return diff.changes();
    }

    /** The nodes not heard of for longer than the stale limit at {@code nowNs}; {@link #drop} each. */
    public List<String> expire(long nowNs) {
        List<String> stale = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (nowNs - node.heardNs > staleAfterNs) {
                stale.add(node.nodeId);
            }
        }
        for (Iterator<Long> asked = unknown.values().iterator(); asked.hasNext(); ) {
            Long at = asked.next();
            if (at != null && nowNs - at > staleAfterNs) {
                asked.remove();
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

    /** The other nodes' states as held now, in the order they were first heard of. */
    public List<NodeState> nodes() {
        List<NodeState> states = new ArrayList<>(nodes.size());
        nodes.values().forEach(n -> states.add(n.snapshot()));
        return Collections.unmodifiableList(states);
    }

    /** Whether a full state of the node is held (without copying it, as {@link #node} does). */
    public boolean contains(String nodeId) {
        return nodes.containsKey(nodeId);
    }

    public Optional<NodeState> node(String nodeId) {
        Node node = nodes.get(nodeId);
        return node == null ? Optional.empty() : Optional.of(node.snapshot());
    }

    /** A room as another node lists it. */
    public Optional<NodeState.RoomEntry> room(String nodeId, String room) {
        Node node = nodes.get(nodeId);
        return node == null ? Optional.empty() : Optional.ofNullable(node.rooms.get(room));
    }

    public int size() {
        return nodes.size();
    }

    /** States refused: this node's own, or not newer than the one held. */
    public long statesIgnored() {
        return statesIgnored;
    }

    /** Updates not applied: this node's own, already held, after a gap or without a state. */
    public long updatesIgnored() {
        return updatesIgnored;
    }

    /** Gaps seen in other nodes' sequences, each answered by a request for a full state. */
    public long gaps() {
        return gaps;
    }

    /** The node hosting the participant of this identity in this room, if another node does. */
    public Optional<String> nodeOf(String room, String identity) {
        for (Node node : nodes.values()) {
            NodeState.RoomEntry entry = node.rooms.get(room);
            if (entry != null) {
                for (NodeState.ParticipantEntry p : entry.participants()) {
                    if (p.identity().equals(identity)) {
                        return Optional.of(node.nodeId);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The changes between the rooms of a node before and after, one room at a time. */
    private final class Diff {
        private final String nodeId;
        private final List<Joined> joined = new ArrayList<>();
        private final List<TracksChanged> changed = new ArrayList<>();
        private final List<Left> left = new ArrayList<>();
        private final List<NodeState.RoomEntry> rooms = new ArrayList<>();

        Diff(String nodeId) {
            this.nodeId = nodeId;
        }

        /** One room: null before when new to this node, null after when no longer listed. */
        void room(NodeState.RoomEntry before, NodeState.RoomEntry after) {
            Map<String, NodeState.ParticipantEntry> wasThere = before == null ? Map.of() : byId(before);
            Map<String, NodeState.ParticipantEntry> there = after == null ? Map.of() : byId(after);
            if (after != null) {
                if (!after.autoCreated() && !deletedRooms.containsKey(after.name())) {
                    rooms.add(after);
                }
                for (NodeState.ParticipantEntry participant : there.values()) {
                    NodeState.ParticipantEntry previous = wasThere.get(participant.id());
                    if (previous == null) {
                        joined.add(new Joined(nodeId, after.name(), participant));
                        if (!participant.tracks().isEmpty()) {
                            changed.add(new TracksChanged(nodeId, after.name(), participant));
                        }
                    } else if (!previous.tracks().equals(participant.tracks())) {
                        changed.add(new TracksChanged(nodeId, after.name(), participant));
                    }
                }
            }
            if (before != null) {
                for (NodeState.ParticipantEntry participant : wasThere.values()) {
                    if (!there.containsKey(participant.id())) {
                        left.add(new Left(nodeId, before.name(), participant.id()));
                    }
                }
            }
        }

        Changes changes() {
            return joined.isEmpty() && changed.isEmpty() && left.isEmpty() && rooms.isEmpty() ? Changes.NONE
                : new Changes(joined, changed, left, rooms);
        }
    }

    private static Map<String, NodeState.ParticipantEntry> byId(NodeState.RoomEntry room) {
        Map<String, NodeState.ParticipantEntry> map = new LinkedHashMap<>();
        room.participants().forEach(p -> map.putIfAbsent(p.id(), p));
        return map;
    }
}
