package io.sfu.signaling.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.LeaveReason;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaRelay;
import io.sfu.core.session.Participant;
import io.sfu.core.session.RemoteParticipants;
import io.sfu.core.session.Room;
import io.sfu.core.session.SessionException;
import io.sfu.signaling.api.ClusterApi;
import io.sfu.signaling.api.RestApi;
import io.sfu.signaling.auth.Bans;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in the cluster, on the control context: publishes its full state at start and the rooms that
 * changed at each change (a heartbeat with its load once a second), answers requests for its full state, applies
 * the others' states and updates to the local rooms through the directory, shares its room placements, drops a
 * node that leaves or dies (Hazelcast's membership, or a second of silence past the member timeout), carries kicks,
 * bans, room deletions and relay set-up between nodes, and answers the REST API's cluster questions.
 */
public final class ClusterService implements ClusterApi {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
    /** Full states for every node (at start and on leaving). */
    static final String STATE_ADDRESS = "sfu.cluster.state";
    /** Full states for one node, which asked for it: the prefix of its own address. */
    static final String STATE_ADDRESS_PREFIX = "sfu.cluster.state.";
    /** The rooms that changed on a node, in sequence. */
    static final String UPDATE_ADDRESS = "sfu.cluster.update";
    static final String HEARTBEAT_ADDRESS = "sfu.cluster.heartbeat";
    /** Without a track waiting for its relay description, the check for unannounced changes runs this seldom. */
    private static final int CHECK_EVERY_SECONDS = 10;
    /** A node asking again sooner than this is not answered again: its own retry comes later. */
    private static final long STATE_ANSWER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    static final String ALL_ADDRESS = "sfu.cluster.all";
    static final String NODE_ADDRESS_PREFIX = "sfu.cluster.node.";
    static final String STATS_ADDRESS_PREFIX = "sfu.cluster.stats.";
    private static final long STATS_TIMEOUT_MS = 5000;
    private static final long STATE_PERIOD_MS = 1000;
    private static final long PUBLISH_DELAY_MS = 20;
    /** How long a join naming a room this node does not hold waits to hear of it from the others. */
    static final long ROOM_WAIT_MS = 1000;
    /** Joins waiting so at most; more go on at once. */
    private static final int MAX_ROOM_WAITERS = 1024;
    private static final long TOMBSTONE_NS = TimeUnit.SECONDS.toNanos(30);
    /** The longest control message taken (a kick, a ban, a key); states have their own bound. */
    private static final int MAX_MESSAGE_CHARS = 4096;

    private final Vertx vertx;
    private final Context context;
    private final HazelcastInstance hazelcast;
    private final String nodeId;
    private final ControlPlane plane;
    private final RemoteParticipants remote;
    private final ClusterDirectory directory;
    private final Placement placement = new Placement(0.01);
    private final LoadSampler load;
    private final Bans bans;
    private final LongSupplier nanoClock;
    private final RelayCoordinator relays;
    private final ClusterMetrics metrics;
    /** A restarted node's sequence must be above its previous life's: it starts at the start time. */
    private final PublishedState own = new PublishedState(System.currentTimeMillis() * 1000);
    /** When each node that asked for this node's state was last answered (bounded: cleared when it grows). */
    private final Map<String, Long> answered = new HashMap<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    /** Rooms created through this node's API: its state lists them even without a local participant. */
    private final Set<String> createdHere = new HashSet<>();
    /** Joins waiting to hear of their room, by room. */
    private final Map<String, List<Promise<Void>>> roomWaiters = new HashMap<>();
    private int roomWaiterCount;
    private RestApi rest;
    private String url = "";
    private boolean publishPending;
    private long seconds;
    /** A local track had no relay description yet at the last update: look again within a second. */
    private boolean descriptionsMissing;
    private long periodic = -1;
    private UUID membershipRegistration;
    private NodeState.Load ownLoad = NodeState.Load.IDLE;
    private boolean stopped;

    /**
     * @param relay the media engine's relay, or null when it has none (tracks of other nodes are then shown but not
     *     forwarded)
     */
    public ClusterService(Vertx vertx, HazelcastInstance hazelcast, String nodeId, int memberTimeoutSeconds,
                          ControlPlane plane, MediaEngine engine, MediaRelay relay, Bans bans,
                          ClusterMetrics metrics, LongSupplier nanoClock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.hazelcast = hazelcast;
        this.nodeId = nodeId;
        this.plane = plane;
        this.remote = new RemoteParticipants(plane);
        // a member that misses heartbeats is removed after the timeout; a state a second late beyond it means gone
        this.directory = new ClusterDirectory(nodeId, TimeUnit.SECONDS.toNanos(memberTimeoutSeconds + 2L),
            TOMBSTONE_NS);
        this.load = new LoadSampler(engine);
        this.bans = bans;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.relays = relay == null ? null : new RelayCoordinator(relay, this::sendTo, new Descriptions());
    }

    /** Starts taking part: call on the control context once the HTTP server listens at {@code ownUrl}. */
    public void start(String ownUrl, RestApi restApi) {
        this.url = ownUrl;
        this.rest = restApi;
        if (relays != null) {
            plane.remoteTracks(relays);
        }
        plane.addRoomListener(new ClusterRoomListener(this));
        consumers.add(vertx.eventBus().<String>consumer(STATE_ADDRESS, m -> onState(m.body())));
        consumers.add(vertx.eventBus().<String>consumer(STATE_ADDRESS_PREFIX + nodeId, m -> onState(m.body())));
        consumers.add(vertx.eventBus().<String>consumer(UPDATE_ADDRESS, m -> onUpdate(m.body())));
        consumers.add(vertx.eventBus().<String>consumer(HEARTBEAT_ADDRESS, m -> onHeartbeat(m.body())));
        consumers.add(vertx.eventBus().<String>consumer(ALL_ADDRESS, m -> onMessage(m.body())));
        consumers.add(vertx.eventBus().<String>consumer(NODE_ADDRESS_PREFIX + nodeId, m -> onMessage(m.body())));
        consumers.add(vertx.eventBus().<String>consumer(STATS_ADDRESS_PREFIX + nodeId, this::onStatsRequest));
        membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // nothing to send: the new node asks each node for its state when it hears its first heartbeat
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String gone = event.getMember().getAttribute(ClusterSetup.NODE_ID_ATTRIBUTE);
                // a node restarted under the same id before its old member was removed is still here
                boolean back = event.getMembers().stream()
                    .anyMatch(m -> gone != null && gone.equals(m.getAttribute(ClusterSetup.NODE_ID_ATTRIBUTE)));
                if (gone != null && !back) {
                    context.runOnContext(ignored -> nodeGone(gone, "left the cluster"));
                }
            }
        });
        metrics.bind(this);
        publishFull(false);
        periodic = vertx.setPeriodic(STATE_PERIOD_MS, id -> everySecond());
        everySecond();
        LOG.info("node {} in the cluster at {}{}", nodeId, url, relays == null ? " (no media relay)"
            : " (media relay at " + relays.relay().localAddress() + ")");
    }

    /** Leaves: an empty state first, so the others drop this node's participants before the membership says so. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        vertx.cancelTimer(periodic);
        // this node's own consumers go first: its last state is for the others only
        consumers.forEach(MessageConsumer::unregister);
        publishFull(true);
        if (membershipRegistration != null) {
            try {
                hazelcast.getCluster().removeMembershipListener(membershipRegistration);
            } catch (RuntimeException e) {
                LOG.debug("removing the membership listener failed", e);
            }
        }
    }

    private void everySecond() {
        long now = nanoClock.getAsLong();
        ownLoad = load.sample(now);
        placement.report(nodeId, ownLoad);
        for (String stale : directory.expire(now)) {
            nodeGone(stale, "sent no state in time");
        }
        if (relays != null) {
            relays.sweep(plane);
            relays.resendKeys();
        }
        // a change no room event announced (a track's relay description known later) goes out within a second
        if (descriptionsMissing || seconds++ % CHECK_EVERY_SECONDS == 0) {
            publishChanges();
        }
        vertx.eventBus().publish(HEARTBEAT_ADDRESS, NodeStateCodec.write(new NodeStateCodec.Heartbeat(nodeId,
            ownLoad.cpu(), ownLoad.packetsPerSecond(), own.sequence())));
        metrics.refresh();
    }

    /** Publishes this node's changed rooms shortly: changes within a few milliseconds go out as one update. */
    void publishSoon() {
        if (publishPending || stopped) {
            return;
        }
        publishPending = true;
        vertx.setTimer(PUBLISH_DELAY_MS, id -> {
            publishPending = false;
            if (relays != null) {
                relays.sweep(plane);
            }
            publishChanges();
        });
    }

    private NodeState currentState(boolean leaving) {
        return LocalState.of(nodeId, url, relayAddress(), ownLoad, 0, leaving ? List.of() : plane.rooms().rooms(),
            createdHere, relays);
    }

    /** The full state to every node: at start, and empty on leaving so the others drop this node's participants. */
    private void publishFull(boolean leaving) {
        vertx.eventBus().publish(STATE_ADDRESS, NodeStateCodec.write(own.full(currentState(leaving))));
        metrics.statePublished();
    }

    /** The rooms changed since the last message, if any, to every node. */
    private void publishChanges() {
        if (stopped) {
            return;
        }
        NodeState current = currentState(false);
        descriptionsMissing = relays != null && current.rooms().stream().flatMap(r -> r.participants().stream())
            .flatMap(p -> p.tracks().stream()).anyMatch(t -> t.description() == null);
        own.update(current).ifPresent(update -> {
            vertx.eventBus().publish(UPDATE_ADDRESS, NodeStateCodec.write(update));
            metrics.updatePublished();
        });
    }

    /** A node asked for this node's full state (it has none, or missed an update): sent to it alone. */
    void stateRequested(String requester) {
        long now = nanoClock.getAsLong();
        Long last = answered.get(requester);
        if (last != null && now - last < STATE_ANSWER_INTERVAL_NS) {
            return;
        }
        if (answered.size() >= ClusterDirectory.MAX_UNKNOWN_NODES) {
            answered.clear();
        }
        answered.put(requester, now);
        NodeState state = own.snapshot(currentState(false));
        vertx.eventBus().send(STATE_ADDRESS_PREFIX + requester, NodeStateCodec.write(state));
        metrics.statePublished();
    }

    private InetSocketAddress relayAddress() {
        return relays == null ? null : relays.relay().localAddress();
    }

    private void onState(String text) {
        if (stopped) {
            return;
        }
        Optional<NodeState> read = NodeStateCodec.read(text);
        if (read.isEmpty()) {
            metrics.messageRefused();
            return;
        }
        NodeState state = read.get();
        if (state.nodeId().equals(nodeId)) {
            return;
        }
        ClusterDirectory.Changes changes = directory.apply(state, nanoClock.getAsLong());
        placement.report(state.nodeId(), state.load());
        if (relays != null) {
            relays.peerSeen(state.nodeId());
        }
        apply(changes);
    }

    private void onUpdate(String text) {
        if (stopped) {
            return;
        }
        Optional<NodeUpdate> read = NodeStateCodec.readUpdate(text);
        if (read.isEmpty()) {
            metrics.messageRefused();
            return;
        }
        NodeUpdate update = read.get();
        if (update.nodeId().equals(nodeId)) {
            return;
        }
        long now = nanoClock.getAsLong();
        ClusterDirectory.Changes changes = directory.update(update, now);
        if (directory.stateWanted(update.nodeId(), now)) {
            askForState(update.nodeId());
        }
        apply(changes);
    }

    private void askForState(String node) {
        metrics.stateRequested();
        sendTo(node, "stateRequest", Map.of());
    }

    private void onHeartbeat(String text) {
        if (stopped) {
            return;
        }
        Optional<NodeStateCodec.Heartbeat> read = NodeStateCodec.readHeartbeat(text);
        if (read.isEmpty()) {
            metrics.messageRefused();
            return;
        }
        String from = read.get().nodeId();
        if (from.equals(nodeId)) {
            return;
        }
        NodeState.Load load = read.get().load();
        long sequenceHeard = read.get().state();
        if (directory.heartbeat(from, load, sequenceHeard, nanoClock.getAsLong())) {
            // no state of it here yet, or an update of it was missed
            askForState(from);
        }
        if (directory.contains(from)) {
            placement.report(from, load);
        }
    }

    private void apply(ClusterDirectory.Changes changes) {
        for (NodeState.RoomEntry room : changes.rooms()) {
            Optional<Room> local = plane.room(room.name());
            if (local.isEmpty()) {
                try {
                    plane.createRoom(room.name(), room.maxParticipants(), room.lastN());
                } catch (SessionException e) {
                    LOG.warn("room {} of the cluster cannot be held here: {}", room.name(), e.getMessage());
                }
            } else if (local.get().autoCreated() && !room.autoCreated()) {
                // a join here made it on the fly before the creation elsewhere was heard of: the creation's settings
                local.get().adopt(room.maxParticipants(), room.lastN());
                LOG.info("room {} takes the settings it was created with on another node (max {} participants)",
                    room.name(), room.maxParticipants());
            }
            releaseRoomWaiters(room.name());
        }
        for (ClusterDirectory.Joined joined : changes.joined()) {
            remote.add(joined.room(), joined.nodeId(), joined.participant().id(), joined.participant().identity());
        }
        for (ClusterDirectory.TracksChanged changed : changes.tracksChanged()) {
            remote.find(changed.room(), changed.participant().id())
                .ifPresent(p -> remote.publish(p, LocalState.tracks(changed.participant())));
        }
        for (ClusterDirectory.Left left : changes.left()) {
            remote.find(left.room(), left.participantId()).ifPresent(remote::remove);
        }
        if (relays != null && !changes.isEmpty()) {
            relays.sweep(plane);
        }
    }

    private void nodeGone(String gone, String why) {
        if (gone.equals(nodeId)) {
            return;
        }
        ClusterDirectory.Changes changes = directory.drop(gone);
        placement.remove(gone);
        if (relays != null) {
            relays.peerGone(gone);
        }
        if (!changes.isEmpty()) {
            LOG.info("node {} {}: {} of its participants left", gone, why, changes.left().size());
            metrics.nodeDropped();
        }
        apply(changes);
    }

    private void sendTo(String target, String type, Map<String, String> fields) {
        JsonObject message = new JsonObject().put("type", type).put("from", nodeId);
        fields.forEach(message::put);
        vertx.eventBus().send(NODE_ADDRESS_PREFIX + target, message.encode());
    }

    private void publishToAll(String type, Map<String, Object> fields) {
        JsonObject message = new JsonObject().put("type", type).put("from", nodeId);
        fields.forEach(message::put);
        vertx.eventBus().publish(ALL_ADDRESS, message.encode());
    }

    private void onMessage(String text) {
        if (stopped) {
            return;
        }
        if (text == null || text.length() > MAX_MESSAGE_CHARS) {
            metrics.messageRefused();
            return;
        }
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (RuntimeException e) {
            metrics.messageRefused();
            return;
        }
        String from = message.getValue("from") instanceof String s ? s : null;
        String type = message.getValue("type") instanceof String s ? s : "";
        if (from == null || from.equals(nodeId)) {
            return;
        }
        if (!ClusterMessages.handle(this, from, type, message)) {
            metrics.messageRefused();
        }
    }

    /** Another node asks for the stats of a participant connected here. */
    private void onStatsRequest(Message<String> request) {
        JsonObject asked;
        try {
            asked = request.body() != null && request.body().length() <= MAX_MESSAGE_CHARS
                ? new JsonObject(request.body()) : null;
        } catch (RuntimeException e) {
            asked = null;
        }
        String room = asked == null ? null : asked.getValue("room") instanceof String s ? s : null;
        String identity = asked == null ? null : asked.getValue("identity") instanceof String s ? s : null;
        String stats = room == null || identity == null || rest == null ? null : rest.statsForCluster(room, identity);
        if (stats == null) {
            request.fail(404, "no such participant here");
        } else {
            request.reply(stats);
        }
    }

    @Override
    public Future<String> remoteStats(Participant participant) {
        JsonObject asked = new JsonObject().put("room", participant.room().name())
            .put("identity", participant.identity());
        return vertx.eventBus().<String>request(STATS_ADDRESS_PREFIX + participant.nodeId(), asked.encode(),
            new DeliveryOptions().setSendTimeout(STATS_TIMEOUT_MS))
            .map(Message::body);
    }

    // what the messages do, called by ClusterMessages on the control context

    void deleteRoomFromCluster(String room) {
        createdHere.remove(room);
        directory.roomDeleted(room, nanoClock.getAsLong());
        plane.deleteRoom(room);
    }

    void banFromCluster(String room, String identity, long seconds, String tokenId, Instant tokenExpiry) {
        bans.ban(room, identity, seconds, tokenId, tokenExpiry);
    }

    /** A join of the same identity on another node replaced a participant connected here (close code 4009). */
    void replacedFromCluster(String room, String identity) {
        plane.room(room).flatMap(r -> r.participantByIdentity(identity)).filter(p -> !p.isRemote())
            .ifPresent(p -> plane.leave(p, LeaveReason.REPLACED));
    }

    /** A local join took the place of a remote participant of the same identity: its node disconnects it. */
    void replaceRemote(Participant participant) {
        sendTo(participant.nodeId(), "replaced", Map.of("room", participant.room().name(),
            "identity", participant.identity()));
    }

    void kickFromCluster(String room, String identity, Long banSeconds) {
        if (rest != null) {
            rest.kickForwarded(room, identity, banSeconds);
        }
    }

    RelayCoordinator relays() {
        return relays;
    }

    ControlPlane plane() {
        return plane;
    }

    ClusterDirectory directory() {
        return directory;
    }

    // ClusterApi

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public ObjectNode placeRoom(String room) {
        createdHere.add(room);
        publishSoon();
        String chosen = placement.place().orElse(nodeId);
        // the others count it too: rooms placed anywhere before the next load reports spread instead of piling up
        publishToAll("placed", Map.of("node", chosen));
        return nodeRef(chosen);
    }

    /** Another node placed a room on {@code node}. */
    void placedElsewhere(String node) {
        placement.placedElsewhere(node);
        metrics.placementHeard();
    }

    private ObjectNode nodeRef(String id) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("id", id);
        node.put("url", id.equals(nodeId) ? url : directory.node(id).map(NodeState::url).orElse(""));
        return node;
    }

    @Override
    public Future<Void> roomHeardOf(String room) {
        if (stopped || plane.room(room).isPresent() || roomWaiterCount >= MAX_ROOM_WAITERS) {
            return Future.succeededFuture();
        }
        Promise<Void> heard = Promise.promise();
        roomWaiters.computeIfAbsent(room, r -> new ArrayList<>()).add(heard);
        roomWaiterCount++;
        vertx.setTimer(ROOM_WAIT_MS, id -> {
            List<Promise<Void>> waiting = roomWaiters.get(room);
            if (waiting != null && waiting.remove(heard)) {
                roomWaiterCount--;
                if (waiting.isEmpty()) {
                    roomWaiters.remove(room);
                }
            }
            heard.tryComplete();
        });
        return heard.future();
    }

    private void releaseRoomWaiters(String room) {
        List<Promise<Void>> waiting = roomWaiters.remove(room);
        if (waiting != null) {
            roomWaiterCount -= waiting.size();
            waiting.forEach(Promise::tryComplete);
        }
    }

    @Override
    public void roomDeleted(String room) {
        createdHere.remove(room);
        directory.roomDeleted(room, nanoClock.getAsLong());
        publishToAll("deleteRoom", Map.of("room", room));
    }

    @Override
    public void kickRemote(Participant participant, Long banSeconds) {
        Map<String, String> fields = new HashMap<>(Map.of("room", participant.room().name(),
            "identity", participant.identity()));
        if (banSeconds != null) {
            fields.put("ban", Long.toString(banSeconds));
        }
        sendTo(participant.nodeId(), "kick", fields);
    }

    @Override
    public void banned(String room, String identity, long seconds, String tokenId, Instant tokenExpiry) {
        Map<String, Object> fields = new HashMap<>(Map.of("room", room, "identity", identity,
            "seconds", seconds));
        if (tokenId != null && tokenExpiry != null) {
            fields.put("tokenId", tokenId);
            fields.put("tokenExpiry", tokenExpiry.getEpochSecond());
        }
        publishToAll("ban", fields);
    }

    @Override
    public ObjectNode describe() {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("clustered", true).put("node", nodeId);
        ArrayNode nodes = result.putArray("nodes");
        NodeState mine = LocalState.of(nodeId, url, relayAddress(), ownLoad, own.sequence(), plane.rooms().rooms(),
            createdHere, null);
        ObjectNode self = ClusterJson.node(mine, true, placement.score(nodeId));
        if (relays != null) {
            ObjectNode counters = self.putObject("relay");
            relays.relay().counters().forEach(counters::put);
            ObjectNode peers = self.putObject("relayPeers");
            for (NodeState state : directory.nodes()) {
                ObjectNode peer = peers.putObject(state.nodeId());
                relays.relay().peerCounters(state.nodeId()).forEach(peer::put);
            }
        }
        nodes.add(self);
        for (NodeState state : directory.nodes()) {
            nodes.add(ClusterJson.node(state, false, placement.score(state.nodeId())));
        }
        return result;
    }

    @Override
    public String reconnectUrl() {
        Placement others = new Placement(0);
        directory.nodes().forEach(state -> others.report(state.nodeId(), state.load()));
        return others.place().flatMap(directory::node).map(NodeState::url).filter(u -> !u.isEmpty()).orElse(null);
    }

    @Override
    public ArrayNode otherNodes() {
        ArrayNode nodes = JsonNodeFactory.instance.arrayNode();
        directory.nodes().forEach(state -> nodes.addObject().put("id", state.nodeId()).put("url", state.url()));
        return nodes;
    }

    int remoteParticipants() {
        int count = 0;
        for (Room room : plane.rooms().rooms()) {
            for (Participant participant : room.participants()) {
                if (participant.isRemote()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The description of a remote track and the relay address of a node, from the directory. */
    private final class Descriptions implements RelayCoordinator.Descriptions {
        @Override
        public Optional<String> of(String node, String room, String participantId, String trackId) {
            return directory.room(node, room).flatMap(entry -> LocalState.description(entry, participantId, trackId));
        }

        @Override
        public Optional<InetSocketAddress> relayAddress(String node) {
            return directory.node(node).filter(s -> !s.relayHost().isEmpty() && s.relayPort() > 0)
                .map(s -> new InetSocketAddress(s.relayHost(), s.relayPort()));
        }
    }
}
