package io.sfu.signaling.cluster;

import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.MediaRelay;
import io.sfu.core.session.Participant;
import io.sfu.core.session.RemoteTrackImporter;
import io.sfu.core.session.Room;
import io.sfu.core.session.Track;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives this node's {@link MediaRelay}: connects it to each peer node (relay address from the peer's state, keys
 * exchanged as messages), imports a remote track when a local participant wants it and asks its origin to export it
 * (one copy per track per node pair), and releases both when nobody here wants the track any more, the track is
 * gone, or the peer is. No Vert.x: messages leave through {@link Outbox}, on the control thread.
 */
final class RelayCoordinator implements RemoteTrackImporter {
    private static final Logger LOG = LoggerFactory.getLogger(RelayCoordinator.class);
    /** The length of an SRTP master key and salt (AES-128-CM-HMAC-SHA1-80): what {@link MediaRelay} exchanges. */
    static final int KEY_BYTES = 30;

    /** How a message reaches one other node: a type and string fields. */
    interface Outbox {
        void send(String nodeId, String type, Map<String, String> fields);
    }

    /** Where a remote track's description is: the state its node published last. */
    interface Descriptions {
        Optional<String> of(String nodeId, String room, String participantId, String trackId);

        Optional<InetSocketAddress> relayAddress(String nodeId);
    }

    private record TrackKey(String room, String trackId) {
    }

    private record ExportKey(String room, String trackId, String peer) {
    }

    private record Imported(String nodeId, String publisherId, String description) {
    }

    private final MediaRelay relay;
    private final Outbox outbox;
    private final Descriptions descriptions;
    /** Each peer's relay address as its key was last sent for; a new address is a new relay. */
    private final Map<String, InetSocketAddress> keySentFor = new HashMap<>();
    /** Keys peers sent that wait for the peer's relay address. */
    private final Map<String, byte[]> pendingKeys = new HashMap<>();
    private final Map<String, InetSocketAddress> connected = new HashMap<>();
    /** Peers that confirmed they hold this node's key: until then it is sent again (see {@link #resendKeys}). */
    private final Set<String> keyAcknowledged = new HashSet<>();
    private final Map<TrackKey, Imported> imports = new HashMap<>();
    private final Map<ExportKey, String> exports = new HashMap<>();
    private long messagesRefused;

    RelayCoordinator(MediaRelay relay, Outbox outbox, Descriptions descriptions) {
        this.relay = Objects.requireNonNull(relay);
        this.outbox = outbox;
        this.descriptions = descriptions;
    }

    MediaRelay relay() {
        return relay;
    }

    /** A peer's state arrived: sends it this node's key once per relay address it announces. */
    void peerSeen(String nodeId) {
        Optional<InetSocketAddress> address = descriptions.relayAddress(nodeId);
        if (address.isEmpty() || address.get().equals(keySentFor.get(nodeId))) {
            return;
        }
        if (keySentFor.containsKey(nodeId)) {
            // the peer restarted with a new relay: what crossed to the old one is gone
            peerGone(nodeId);
        }
        keySentFor.put(nodeId, address.get());
        sendKey(nodeId);
        byte[] pending = pendingKeys.remove(nodeId);
        if (pending != null) {
            connect(nodeId, address.get(), pending);
        }
    }

    private void sendKey(String nodeId) {
        outbox.send(nodeId, "relayKey", Map.of("key", Base64.getEncoder().encodeToString(relay.sendingKey(nodeId))));
    }

    /**
     * Sends this node's key again to each peer that has not confirmed it: a message sent just as a peer joins may
     * find its address not yet known across the cluster, and is lost. Call once a second.
     */
    void resendKeys() {
        for (String nodeId : keySentFor.keySet()) {
            if (!keyAcknowledged.contains(nodeId)) {
                sendKey(nodeId);
            }
        }
    }

    /** A peer confirmed it holds this node's key: what this node sends it now reaches it. */
    void keyAcknowledged(String nodeId) {
        if (keySentFor.containsKey(nodeId)) {
            keyAcknowledged.add(nodeId);
        }
    }

    /** A peer's sending key arrived: the flow from it opens once its relay address is known. */
    void keyReceived(String nodeId, String base64Key) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key);
        } catch (IllegalArgumentException | NullPointerException e) {
            messagesRefused++;
            return;
        }
        if (key.length != KEY_BYTES) {
            messagesRefused++;
            return;
        }
        outbox.send(nodeId, "relayKeyAck", Map.of());
        Optional<InetSocketAddress> address = descriptions.relayAddress(nodeId);
        if (address.isPresent() && address.get().equals(keySentFor.get(nodeId))) {
            connect(nodeId, address.get(), key);
        } else {
            pendingKeys.put(nodeId, key);
        }
    }

    private void connect(String nodeId, InetSocketAddress address, byte[] key) {
        relay.connectPeer(nodeId, address, key);
        connected.put(nodeId, address);
        LOG.info("relay connected to node {} at {}", nodeId, address);
        // a peer may ask for a track before this side has its key: those exports start now
        exports.forEach((export, publisherId) -> {
            if (export.peer().equals(nodeId)) {
                relay.startExport(export.room(), publisherId, export.trackId(), nodeId);
            }
        });
    }

    /** The peer left the cluster (or restarted): its flow, the tracks imported from it and exported to it go. */
    void peerGone(String nodeId) {
        for (Iterator<Map.Entry<TrackKey, Imported>> it = imports.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TrackKey, Imported> entry = it.next();
            if (entry.getValue().nodeId().equals(nodeId)) {
                relay.removeImport(entry.getKey().room(), entry.getKey().trackId());
                it.remove();
            }
        }
        exports.keySet().removeIf(key -> key.peer().equals(nodeId));
        relay.disconnectPeer(nodeId);
        connected.remove(nodeId);
        keyAcknowledged.remove(nodeId);
        keySentFor.remove(nodeId);
        pendingKeys.remove(nodeId);
    }

    boolean isConnected(String nodeId) {
        return connected.containsKey(nodeId);
    }

    @Override
    public boolean importForLocalSubscriber(Room room, Participant publisher, Track track) {
        String nodeId = publisher.nodeId();
        // both ways: this node holds the peer's key, and the peer confirmed it holds this node's (so it hears this)
        if (nodeId == null || !connected.containsKey(nodeId) || !keyAcknowledged.contains(nodeId)) {
            return false;
        }
        TrackKey key = new TrackKey(room.name(), track.id());
        Imported existing = imports.get(key);
        Optional<String> description = descriptions.of(nodeId, room.name(), publisher.id(), track.id());
        if (description.isEmpty()) {
            // the origin has not described it yet; its next state will, and the room is refreshed then
            return existing != null;
        }
        boolean samePublisher = existing != null && existing.nodeId().equals(nodeId)
            && existing.publisherId().equals(publisher.id());
        if (samePublisher && existing.description().equals(description.get())) {
            return true;
        }
        if (existing != null && !samePublisher) {
            release(key, existing);
        }
        // a new description of a track imported already (its publisher renegotiated) replaces its producer
        relay.importTrack(room.name(), publisher.id(), track, description.get(), nodeId);
        imports.put(key, new Imported(nodeId, publisher.id(), description.get()));
        if (!samePublisher) {
            outbox.send(nodeId, "export", Map.of("room", room.name(), "publisherId", publisher.id(),
                "trackId", track.id()));
        }
        return true;
    }

    /** A peer has a subscriber for one of this node's tracks. */
    void exportRequested(String peer, String room, String publisherId, String trackId, ControlPlane plane) {
        Optional<Participant> publisher = plane.room(room).flatMap(r -> r.publisherOf(trackId));
        if (publisher.isEmpty() || publisher.get().isRemote() || !publisher.get().id().equals(publisherId)
            || !keySentFor.containsKey(peer)) {
            messagesRefused++;
            return;
        }
        exports.put(new ExportKey(room, trackId, peer), publisherId);
        if (connected.containsKey(peer)) {
            relay.startExport(room, publisherId, trackId, peer);
        }
    }

    /** A peer no longer needs one of this node's tracks. */
    void exportReleased(String peer, String room, String trackId) {
        if (exports.remove(new ExportKey(room, trackId, peer)) != null) {
            relay.stopExport(room, trackId, peer);
        }
    }

    /**
     * Releases imports nobody here wants any more (or whose publisher is gone) and exports whose local track is gone.
     * Call after room changes and periodically.
     */
    void sweep(ControlPlane plane) {
        List<Map.Entry<TrackKey, Imported>> unwanted = new ArrayList<>();
        for (Map.Entry<TrackKey, Imported> entry : imports.entrySet()) {
            if (!wantedHere(plane, entry.getKey(), entry.getValue())) {
                unwanted.add(entry);
            }
        }
        for (Map.Entry<TrackKey, Imported> entry : unwanted) {
            imports.remove(entry.getKey());
            release(entry.getKey(), entry.getValue());
        }
        for (Iterator<Map.Entry<ExportKey, String>> it = exports.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ExportKey, String> entry = it.next();
            ExportKey key = entry.getKey();
            Optional<Participant> publisher = plane.room(key.room()).flatMap(r -> r.publisherOf(key.trackId()));
            if (publisher.isEmpty() || publisher.get().isRemote() || !publisher.get().id().equals(entry.getValue())) {
                relay.stopExport(key.room(), key.trackId(), key.peer());
                it.remove();
            }
        }
    }

    private void release(TrackKey key, Imported imported) {
        relay.removeImport(key.room(), key.trackId());
        outbox.send(imported.nodeId(), "unexport", Map.of("room", key.room(), "trackId", key.trackId()));
    }

    private static boolean wantedHere(ControlPlane plane, TrackKey key, Imported imported) {
        Optional<Room> room = plane.room(key.room());
        if (room.isEmpty()) {
            return false;
        }
        Optional<Participant> publisher = room.get().publisherOf(key.trackId());
        if (publisher.isEmpty() || !publisher.get().id().equals(imported.publisherId())
            || !imported.nodeId().equals(publisher.get().nodeId())) {
            return false;
        }
        for (Participant participant : room.get().participants()) {
            if (!participant.isRemote() && participant.isActive() && participant.permissions().canSubscribe()
                && participant.wants(key.trackId())) {
                return true;
            }
        }
        return false;
    }

    /** The relay's description of a local track, or null. */
    String describe(String room, String publisherId, String trackId) {
        return relay.describe(room, publisherId, trackId);
    }

    int imports() {
        return imports.size();
    }

    int exports() {
        return exports.size();
    }

    long messagesRefused() {
        return messagesRefused;
    }
}
