package io.sfu.core.session;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One client in one room: its identity, permissions, published tracks and subscription choices. Kept thin on
 * purpose: it holds state, {@link ControlPlane} changes it, on the control thread only.
 */
public final class Participant {
    private final String id;
    private final String identity;
    private final Room room;
    private final Permissions permissions;
    private final boolean autoSubscribe;
    private final ParticipantChannel channel;
    /** The cluster node the participant is connected to; null for one connected to this server. */
    private final String nodeId;
    private Map<String, Track> tracks = new LinkedHashMap<>();
    private final Set<String> subscribed = new HashSet<>();
    private final Set<String> unsubscribed = new HashSet<>();
    private final SubscriberOfferSequencer subscriberOffers = new SubscriberOfferSequencer();
    private MediaSession media;
    private boolean publisherOfferPending;
    private boolean negotiated;
    private boolean negotiationDue;
    private boolean active = true;

    Participant(String id, String identity, Room room, Permissions permissions, boolean autoSubscribe,
                ParticipantChannel channel) {
        this(id, identity, room, permissions, autoSubscribe, channel, null);
    }

    Participant(String id, String identity, Room room, Permissions permissions, boolean autoSubscribe,
                ParticipantChannel channel, String nodeId) {
        this.nodeId = nodeId;
        this.id = id;
        this.identity = identity;
        this.room = room;
        this.permissions = permissions;
        this.autoSubscribe = autoSubscribe;
        this.channel = channel;
    }

    public String id() {
        return id;
    }

    public String identity() {
        return identity;
    }

    public Room room() {
        return room;
    }

    /**
     * True for a participant connected to another node of the cluster: it is shown in the room with its tracks,
     * but has no media session or signaling connection here.
     */
    public boolean isRemote() {
        return nodeId != null;
    }

    /** The cluster node a remote participant is connected to; null for a local one. */
    public String nodeId() {
        return nodeId;
    }

    public Permissions permissions() {
        return permissions;
    }

    /** True when every track in the room is forwarded unless unsubscribed (the default). */
    public boolean autoSubscribe() {
        return autoSubscribe;
    }

    /** The published tracks, in publication order. */
    public List<Track> tracks() {
        return List.copyOf(tracks.values());
    }

    public Optional<Track> track(String trackId) {
        return Optional.ofNullable(tracks.get(trackId));
    }

    /** False once the participant left its room; late media events for it are ignored. */
    public boolean isActive() {
        return active;
    }

    /** Whether the participant wants the track forwarded to it (by its subscription choices, not permissions). */
    public boolean wants(String trackId) {
        return autoSubscribe ? !unsubscribed.contains(trackId) : subscribed.contains(trackId);
    }

    ParticipantChannel channel() {
        return channel;
    }

    MediaSession media() {
        return media;
    }

    void media(MediaSession session) {
        this.media = session;
    }

    SubscriberOfferSequencer subscriberOffers() {
        return subscriberOffers;
    }

    boolean publisherOfferPending() {
        return publisherOfferPending;
    }

    void publisherOfferPending(boolean pending) {
        this.publisherOfferPending = pending;
    }

    /** True once a publisher offer was answered or a subscriber answer applied: it negotiated media. */
    boolean negotiated() {
        return negotiated;
    }

    void negotiated(boolean value) {
        this.negotiated = value;
    }

    /** True once the participant is held to the negotiation deadline. */
    boolean negotiationDue() {
        return negotiationDue;
    }

    void negotiationDue(boolean due) {
        this.negotiationDue = due;
    }

    void deactivate() {
        active = false;
    }

    Map<String, Track> trackMap() {
        return tracks;
    }

    void replaceTracks(Map<String, Track> next) {
        tracks = next;
    }

    void updateTrack(Track track) {
        tracks.put(track.id(), track);
    }

    void subscribe(Collection<String> trackIds) {
        subscribed.addAll(trackIds);
        unsubscribed.removeAll(trackIds);
    }

    void unsubscribe(Collection<String> trackIds) {
        subscribed.removeAll(trackIds);
        unsubscribed.addAll(trackIds);
    }

    /** Forgets a choice about a track that no longer exists, so the sets stay bounded by the room's tracks. */
    void forgetTrack(String trackId) {
        subscribed.remove(trackId);
        unsubscribed.remove(trackId);
    }

    @Override
    public String toString() {
        return "Participant[" + id + " " + identity + " in " + room.name() + "]";
    }
}
