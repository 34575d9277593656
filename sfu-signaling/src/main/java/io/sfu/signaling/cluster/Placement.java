package io.sfu.signaling.cluster;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a new room goes: the node with the lowest load, its CPU share plus its packet rate relative to the busiest
 * node's. Loads arrive about once a second, so each room placed on a node since its last report counts as
 * {@code roomWeight} more load: a burst of rooms spreads instead of landing on one node. Pure, single-threaded.
 */
public final class Placement {
    private static final class Node {
        double cpu;
        long packetsPerSecond;
        int placedSinceReport;
    }

    private final double roomWeight;
    private final Map<String, Node> nodes = new LinkedHashMap<>();

    /** @param roomWeight the load one room placed since a node's last report adds to it (e.g. 0.01) */
    public Placement(double roomWeight) {
        if (!(roomWeight >= 0)) {
            throw new IllegalArgumentException("roomWeight must not be negative");
        }
        this.roomWeight = roomWeight;
    }

    /** A node's load as it reported it; the rooms placed on it before are in it now. */
    public void report(String nodeId, NodeState.Load load) {
        Node node = nodes.computeIfAbsent(nodeId, id -> new Node());
        node.cpu = load.cpu();
        node.packetsPerSecond = load.packetsPerSecond();
        node.placedSinceReport = 0;
    }

    /**
     * Another node placed a room on {@code nodeId}: counted as this node's own placements are, so that nodes placing
     * rooms between two reports do not all choose the same least-loaded node.
     */
    public void placedElsewhere(String nodeId) {
        Node node = nodes.get(nodeId);
        if (node != null) {
            node.placedSinceReport++;
        }
    }

    /** The node left the cluster: no room goes there any more. */
    public void remove(String nodeId) {
        nodes.remove(nodeId);
    }

    public int size() {
        return nodes.size();
    }

    /** The node's load as placement weighs it, 0..2 plus the rooms placed since its report. */
    public double score(String nodeId) {
        Node node = nodes.get(nodeId);
        return node == null ? Double.NaN : score(node, busiestPacketRate());
    }

    /** Chooses the least-loaded node for a new room and counts the room on it; empty without nodes. */
    public Optional<String> place() {
        long busiest = busiestPacketRate();
        Optional<Map.Entry<String, Node>> best = nodes.entrySet().stream()
            .min(Comparator.<Map.Entry<String, Node>>comparingDouble(e -> score(e.getValue(), busiest))
                .thenComparing(Map.Entry::getKey));
        best.ifPresent(e -> e.getValue().placedSinceReport++);
        return best.map(Map.Entry::getKey);
    }

    private double score(Node node, long busiest) {
        double packets = busiest == 0 ? 0 : (double) node.packetsPerSecond / busiest;
        return node.cpu + packets + roomWeight * node.placedSinceReport;
    }

    private long busiestPacketRate() {
        long busiest = 0;
        for (Node node : nodes.values()) {
            busiest = Math.max(busiest, node.packetsPerSecond);
        }
        return busiest;
    }
}
