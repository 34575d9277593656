package io.sfu.signaling.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's series on this node's {@code /metrics}, each labelled with the node id: nodes seen, remote
 * participants shown, states and updates sent, placements heard, nodes dropped, messages refused, relay imports and
 * exports. Counters are
 * thread-safe; gauges read values the control context copies in once a second.
 */
public final class ClusterMetrics {
    private final AtomicLong nodes = new AtomicLong(1);
    private final AtomicLong remoteParticipants = new AtomicLong();
    private final AtomicLong imports = new AtomicLong();
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong relayMessagesRefused = new AtomicLong();
    private final Counter statesPublished;
    private final Counter updatesPublished;
    private final Counter stateRequests;
    private final Counter placementsHeard;
    private final Counter nodesDropped;
    private final Counter messagesRefused;
    private ClusterService service;

    public ClusterMetrics(MeterRegistry registry, String nodeId) {
        Gauge.builder("sfu_cluster_nodes", nodes, AtomicLong::get).tag("node", nodeId)
            .description("Nodes of the cluster this node sees, itself included").register(registry);
        Gauge.builder("sfu_cluster_remote_participants", remoteParticipants, AtomicLong::get).tag("node", nodeId)
            .description("Participants of other nodes shown in this node's rooms").register(registry);
        Gauge.builder("sfu_cluster_relay_imports", imports, AtomicLong::get).tag("node", nodeId)
            .description("Tracks of other nodes imported through the media relay").register(registry);
        Gauge.builder("sfu_cluster_relay_exports", exports, AtomicLong::get).tag("node", nodeId)
            .description("Local tracks sent to other nodes through the media relay").register(registry);
        Gauge.builder("sfu_cluster_relay_messages_refused", relayMessagesRefused, AtomicLong::get).tag("node", nodeId)
            .description("Relay set-up messages refused: bad keys, exports of unknown tracks or peers")
            .register(registry);
        statesPublished = Counter.builder("sfu_cluster_states_published").tag("node", nodeId)
            .description("Full directory states this node sent (at start, on leaving, when asked)")
            .register(registry);
        updatesPublished = Counter.builder("sfu_cluster_updates_published").tag("node", nodeId)
            .description("Directory updates (changed rooms only) this node published").register(registry);
        stateRequests = Counter.builder("sfu_cluster_state_requests").tag("node", nodeId)
            .description("Full states this node asked another node for (no base state, or a gap)")
            .register(registry);
        placementsHeard = Counter.builder("sfu_cluster_placements_heard").tag("node", nodeId)
            .description("Rooms placed by other nodes, counted in this node's placement").register(registry);
        nodesDropped = Counter.builder("sfu_cluster_nodes_dropped").tag("node", nodeId)
            .description("Nodes dropped from the directory (left, died or fell silent)").register(registry);
        messagesRefused = Counter.builder("sfu_cluster_messages_refused").tag("node", nodeId)
            .description("Cluster messages refused: malformed, oversized or out of bounds").register(registry);
    }

    void bind(ClusterService cluster) {
        this.service = cluster;
    }

    void statePublished() {
        statesPublished.increment();
    }

    void updatePublished() {
        updatesPublished.increment();
    }

    void stateRequested() {
        stateRequests.increment();
    }

    void placementHeard() {
        placementsHeard.increment();
    }

    /** Copies the gauges' values from the control context's structures; called there once a second. */
    void refresh() {
        if (service != null) {
            nodes.set(service.directory().size() + 1L);
            remoteParticipants.set(service.remoteParticipants());
            RelayCoordinator relays = service.relays();
            if (relays != null) {
                imports.set(relays.imports());
                exports.set(relays.exports());
                relayMessagesRefused.set(relays.messagesRefused());
            }
        }
    }

    void nodeDropped() {
        nodesDropped.increment();
    }

    void messageRefused() {
        messagesRefused.increment();
    }
}
