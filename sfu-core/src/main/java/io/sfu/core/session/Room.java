package io.sfu.core.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room: the participants that see each other and the tracks they publish. Confined to the control thread; it
 * changes only through {@link ControlPlane}, and tells its {@link RoomListener}s about every change.
 */
public final class Room {
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final String name;
    private int maxParticipants;
    private boolean autoCreated;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final Map<String, Participant> byIdentity = new HashMap<>();
    private final Map<String, Participant> trackPublishers = new HashMap<>();
    private final List<RoomListener> listeners = new ArrayList<>(2);
    private String dominantSpeakerId;
    private boolean closed;
    /** Video forwarded to each subscriber from this many most recent speakers; 0: from everyone. */
    private int lastN;

    public Room(String name, int maxParticipants, boolean autoCreated) {
        if (!Names.isValidRoomName(name)) {
            throw new IllegalArgumentException("invalid room name: " + name);
        }
        if (maxParticipants < 1) {
            throw new IllegalArgumentException("maxParticipants must be positive: " + maxParticipants);
        }
        this.name = name;
        this.maxParticipants = maxParticipants;
        this.autoCreated = autoCreated;
    }

    public String name() {
        return name;
    }

    public int maxParticipants() {
        return maxParticipants;
    }

    /** Each subscriber gets the video of this many most recent speakers (0: of everyone); audio is always sent. */
    public int lastN() {
        return lastN;
    }

    /** Sets {@link #lastN()} for the sessions that join from now on; set it when the room is created. */
    public void lastN(int lastN) {
        if (lastN < 0) {
            throw new IllegalArgumentException("lastN must not be negative: " + lastN);
        }
        this.lastN = lastN;
    }

    /** True for a room created on the fly by a join (dev mode); such a room goes away with its last participant. */
    public boolean autoCreated() {
        return autoCreated;
    }

    /**
     * Makes a room created on the fly by a join the room created elsewhere with these settings (a cluster node that
     * heard of the creation after its first join): it keeps its participants and no longer goes away with the last.
     */
    public void adopt(int maxParticipants, int lastN) {
        if (maxParticipants < 1) {
            throw new IllegalArgumentException("maxParticipants must be positive: " + maxParticipants);
        }
        lastN(lastN);
        this.maxParticipants = maxParticipants;
        this.autoCreated = false;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The participants in join order (a read-only view). */
    public Collection<Participant> participants() {
        return Collections.unmodifiableCollection(participants.values());
    }

    public int size() {
        return participants.size();
    }

    public Optional<Participant> participant(String participantId) {
        return Optional.ofNullable(participants.get(participantId));
    }

    public Optional<Participant> participantByIdentity(String identity) {
        return Optional.ofNullable(byIdentity.get(identity));
    }

    /** The participant publishing the track with this id. */
    public Optional<Participant> publisherOf(String trackId) {
        return Optional.ofNullable(trackPublishers.get(trackId));
    }

    public int trackCount() {
        return trackPublishers.size();
    }

    public void addListener(RoomListener listener) {
        listeners.add(listener);
    }

    public void removeListener(RoomListener listener) {
        listeners.remove(listener);
    }

    void add(Participant participant) throws SessionException {
        add(participant, true);
    }

    /**
     * @param enforceLimit false for a participant another node of the cluster admitted: it is in the room already,
     *     and hiding it would only hide it
     */
    void add(Participant participant, boolean enforceLimit) throws SessionException {
        if (closed) {
            throw new SessionException(ErrorCode.NOT_FOUND, "room " + name + " does not exist");
        }
        if (byIdentity.containsKey(participant.identity())) {
            throw new IllegalStateException("identity already in room " + name + ": " + participant.identity());
        }
        if (enforceLimit && participants.size() >= maxParticipants) {
            throw new SessionException(ErrorCode.ROOM_FULL,
                "room " + name + " is full (" + maxParticipants + " participants)");
        }
        participants.put(participant.id(), participant);
        byIdentity.put(participant.identity(), participant);
        emit(l -> l.onParticipantJoined(this, participant));
    }

    void remove(Participant participant, LeaveReason reason) {
        if (participants.remove(participant.id()) == null) {
            return;
        }
        byIdentity.remove(participant.identity());
        for (Track track : participant.tracks()) {
            trackPublishers.remove(track.id(), participant);
        }
        if (participant.id().equals(dominantSpeakerId)) {
            dominantSpeakerId = null;
        }
        emit(l -> l.onParticipantLeft(this, participant, reason));
    }

    /**
     * Replaces the participant's published tracks by {@code tracks}: tracks no longer present are unpublished,
     * new ones (or ones whose media changed) published; an unchanged track keeps its muted flag. A track whose id
     * another participant already publishes is dropped.
     */
    void publish(Participant publisher, List<Track> tracks) {
        Map<String, Track> previous = publisher.trackMap();
        Map<String, Track> next = new LinkedHashMap<>();
        for (Track track : tracks) {
            Participant owner = trackPublishers.get(track.id());
            if (owner != null && owner != publisher) {
                LOG.warn("room {}: dropping track {} of {}: the id is published by {}", name, track.id(),
                    publisher.id(), owner.id());
                continue;
            }
            Track old = previous.get(track.id());
            next.putIfAbsent(track.id(), old != null && old.sameMedia(track) ? old : track);
        }
        List<Track> removed = new ArrayList<>();
        for (Track old : previous.values()) {
            Track now = next.get(old.id());
            if (now != old) {
                removed.add(old);
            }
        }
        List<Track> added = new ArrayList<>();
        for (Track now : next.values()) {
            if (previous.get(now.id()) != now) {
                added.add(now);
            }
        }
        publisher.replaceTracks(next);
        for (Track track : removed) {
            trackPublishers.remove(track.id(), publisher);
        }
        for (Track track : added) {
            trackPublishers.put(track.id(), publisher);
        }
        for (Track track : removed) {
            emit(l -> l.onTrackUnpublished(this, publisher, track));
        }
        for (Track track : added) {
            emit(l -> l.onTrackPublished(this, publisher, track));
        }
    }

    /** @return false when the publisher has no such track */
    boolean setMuted(Participant publisher, String trackId, boolean muted) {
        Optional<Track> current = publisher.track(trackId);
        if (current.isEmpty()) {
            return false;
        }
        Track updated = current.get().withMuted(muted);
        if (updated != current.get()) {
            publisher.updateTrack(updated);
            emit(l -> l.onTrackMuted(this, publisher, updated));
        }
        return true;
    }

    void dominantSpeaker(Participant speaker) {
        if (speaker.id().equals(dominantSpeakerId)) {
            return;
        }
        dominantSpeakerId = speaker.id();
        emit(l -> l.onDominantSpeaker(this, speaker));
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        emit(l -> l.onRoomClosed(this));
        listeners.clear();
    }

    private void emit(Consumer<RoomListener> event) {
        for (RoomListener listener : List.copyOf(listeners)) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // one broken listener must not keep the event from the others
                LOG.error("room {}: listener {} failed", name, listener, e);
            }
        }
    }

    @Override
    public String toString() {
        return "Room[" + name + ", " + participants.size() + "/" + maxParticipants + "]";
    }
}
