package io.sfu.core.session;

import io.sfu.core.logging.RateLimitedLog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: creates and deletes rooms, lets participants join and leave, relays their negotiation to the
 * {@link MediaEngine} and keeps every subscriber's forwarded tracks in step with the room.
 *
 * <p>Single-threaded: every public method must be called on the control thread, and {@code controlThread} must run
 * tasks later on that same thread (queue them, never run them inline); it is how media-side reports get there.
 */
public final class ControlPlane {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    /** Failures a client can provoke again and again: logged a few times a minute per cause. */
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);

    /**
     * The bounds of the control plane: rooms per server, the size of a room created without one, the largest
     * room size a client may ask for, the tracks one participant may publish, and how long a participant has to
     * negotiate media once it could (0: no deadline; see {@link #expireNegotiationDeadlines}).
     */
    public record Limits(int maxRooms, int defaultMaxParticipants, int maxParticipantsPerRoom,
                         int maxTracksPerParticipant, long negotiationTimeoutNs) {
        public Limits {
            if (maxRooms < 1 || maxParticipantsPerRoom < 1 || maxTracksPerParticipant < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (defaultMaxParticipants < 1 || defaultMaxParticipants > maxParticipantsPerRoom) {
                throw new IllegalArgumentException("defaultMaxParticipants must be in 1.." + maxParticipantsPerRoom);
            }
            if (negotiationTimeoutNs < 0) {
                throw new IllegalArgumentException("negotiationTimeoutNs must not be negative");
            }
        }

        /** Without a negotiation deadline. */
        public Limits(int maxRooms, int defaultMaxParticipants, int maxParticipantsPerRoom,
                      int maxTracksPerParticipant) {
            this(maxRooms, defaultMaxParticipants, maxParticipantsPerRoom, maxTracksPerParticipant, 0);
        }
    }

    private final RoomRegistry rooms;
    private final MediaEngine engine;
    private final Executor controlThread;
    private final Limits limits;
    private final LongSupplier nanoClock;
    private final NegotiationDeadlines negotiationDeadlines;
    private final RoomListener broadcaster = new RoomEventBroadcaster();
    private final List<RoomListener> roomListeners = new ArrayList<>(1);
    private RemoteTrackImporter remoteTracks = RemoteTrackImporter.NONE;
    private boolean shutDown;

    public ControlPlane(RoomRegistry rooms, MediaEngine engine, Executor controlThread, Limits limits) {
        this(rooms, engine, controlThread, limits, System::nanoTime);
    }

    /** @param nanoClock the monotonic clock the negotiation deadlines are measured on */
    public ControlPlane(RoomRegistry rooms, MediaEngine engine, Executor controlThread, Limits limits,
                        LongSupplier nanoClock) {
        this.rooms = rooms;
        this.engine = engine;
        this.controlThread = controlThread;
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.negotiationDeadlines = new NegotiationDeadlines(limits.negotiationTimeoutNs());
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public Limits limits() {
        return limits;
    }

    /** Listens to every room, those there now and those created later (the cluster layer's directory). */
    public void addRoomListener(RoomListener listener) {
        roomListeners.add(listener);
        rooms.rooms().forEach(room -> room.addListener(listener));
    }

    /** How tracks of participants on other nodes become forwardable here; {@link RemoteTrackImporter#NONE} alone. */
    public void remoteTracks(RemoteTrackImporter importer) {
        this.remoteTracks = importer;
    }

    public Optional<Room> room(String name) {
        return rooms.find(name);
    }

    /**
     * Creates an empty room.
     *
     * @param maxParticipants null for the default
     * @throws SessionException BAD_REQUEST for a bad name or size, CONFLICT when it exists, FORBIDDEN when the
     *     server holds its maximum of rooms
     */
    public Room createRoom(String name, Integer maxParticipants) throws SessionException {
        return createRoom(name, maxParticipants, null);
    }

    /**
     * Creates a room whose subscribers each get the video of the {@code lastN} most recent speakers (null or 0: of
     * everyone).
     *
     * @throws SessionException BAD_REQUEST for a negative lastN, and as {@link #createRoom(String, Integer)}
     */
    public Room createRoom(String name, Integer maxParticipants, Integer lastN) throws SessionException {
        if (!Names.isValidRoomName(name)) {
            throw new SessionException(ErrorCode.BAD_REQUEST, "invalid room name");
        }
        int max = maxParticipants == null ? limits.defaultMaxParticipants() : maxParticipants;
        if (max < 1 || max > limits.maxParticipantsPerRoom()) {
            throw new SessionException(ErrorCode.BAD_REQUEST,
                "maxParticipants must be between 1 and " + limits.maxParticipantsPerRoom());
        }
        if (lastN != null && lastN < 0) {
            throw new SessionException(ErrorCode.BAD_REQUEST, "lastN must not be negative");
        }
        Room room = addRoom(name, max, false);
        room.lastN(lastN == null ? 0 : lastN);
        return room;
    }

    private Room addRoom(String name, int maxParticipants, boolean autoCreated) throws SessionException {
        if (rooms.find(name).isPresent()) {
            throw new SessionException(ErrorCode.CONFLICT, "room " + name + " already exists");
        }
        if (rooms.size() >= limits.maxRooms()) {
            throw new SessionException(ErrorCode.FORBIDDEN,
                "the server holds its maximum of " + limits.maxRooms() + " rooms");
        }
        Room room = rooms.create(name, maxParticipants, autoCreated)
            .orElseThrow(() -> new SessionException(ErrorCode.CONFLICT, "room " + name + " already exists"));
        room.addListener(broadcaster);
        roomListeners.forEach(room::addListener);
        LOG.info("room {} created (max {} participants{})", name, maxParticipants, autoCreated ? ", on join" : "");
        return room;
    }

    /** The room of this name, created on the fly (it goes away with its last participant) when missing. */
    Room roomOrCreate(String name) throws SessionException {
        Optional<Room> found = rooms.find(name);
        return found.isPresent() ? found.get() : addRoom(name, limits.defaultMaxParticipants(), true);
    }

    /** Deletes a room, disconnecting every participant; false when there is no such room. */
    public boolean deleteRoom(String name) {
        Optional<Room> found = rooms.find(name);
        if (found.isEmpty()) {
            return false;
        }
        Room room = found.get();
        for (Participant participant : List.copyOf(room.participants())) {
            leave(participant, LeaveReason.ROOM_DELETED, false);
        }
        removeRoom(room);
        return true;
    }

    private void removeRoom(Room room) {
        rooms.remove(room);
        room.close();
        LOG.info("room {} removed", room.name());
    }

    /**
     * Adds a participant to a room and creates its media session. A participant of the same identity already in
     * the room is replaced (disconnected with {@link LeaveReason#REPLACED}).
     *
     * @param createIfMissing create the room on the fly (dev mode); it goes away with its last participant
     * @throws SessionException NOT_FOUND for a missing room, ROOM_FULL, BAD_REQUEST for a bad name or identity,
     *     INTERNAL when the media engine fails or the server is shutting down
     */
    public Participant join(String roomName, String identity, Permissions permissions, boolean autoSubscribe,
                            boolean createIfMissing, ParticipantChannel channel) throws SessionException {
        if (shutDown) {
            throw new SessionException(ErrorCode.INTERNAL, "the server is shutting down");
        }
        if (!Names.isValidRoomName(roomName)) {
            throw new SessionException(ErrorCode.BAD_REQUEST, "invalid room name");
        }
        if (!Names.isValidIdentity(identity)) {
            throw new SessionException(ErrorCode.BAD_REQUEST, "invalid identity");
        }
        Optional<Room> found = rooms.find(roomName);
        Room room;
        if (found.isPresent()) {
            room = found.get();
        } else if (createIfMissing) {
            room = addRoom(roomName, limits.defaultMaxParticipants(), true);
        } else {
            throw new SessionException(ErrorCode.NOT_FOUND, "room " + roomName + " does not exist");
        }
        Optional<Participant> previous = room.participantByIdentity(identity);
        if (previous.isEmpty() && room.size() >= room.maxParticipants()) {
            throw new SessionException(ErrorCode.ROOM_FULL,
                "room " + roomName + " is full (" + room.maxParticipants() + " participants)");
        }
        previous.ifPresent(old -> leave(old, LeaveReason.REPLACED, false));

        Participant participant = new Participant(Ids.participantId(), identity, room, permissions, autoSubscribe,
            channel);
        MediaSession media;
        try {
            media = engine.createSession(new MediaSessionContext(roomName, participant.id(), identity, permissions,
                    room.lastN()),
                new ControlThreadHandoff(this, controlThread, participant));
        } catch (RuntimeException e) {
            LOG.error("room {}: the media engine could not create a session for {}", roomName, identity, e);
            dropIfEmptyAutoRoom(room);
            throw new SessionException(ErrorCode.INTERNAL, "the media engine could not create a session");
        }
        participant.media(media);
        try {
            room.add(participant);
        } catch (SessionException e) {
            participant.deactivate();
            closeMedia(participant);
            dropIfEmptyAutoRoom(room);
            throw e;
        }
        LOG.info("room {}: {} joined as {}", roomName, identity, participant.id());
        if (permissions.canPublish()) {
            // one that may only receive cannot negotiate before it is offered something: its deadline starts then
            negotiationDeadlines.start(participant, nanoClock.getAsLong());
        }
        refresh(participant);
        return participant;
    }

    /** Removes a participant from its room and releases its media; nothing happens if it already left. */
    public void leave(Participant participant, LeaveReason reason) {
        leave(participant, reason, true);
    }

    void leave(Participant participant, LeaveReason reason, boolean dropEmptyAutoRoom) {
        if (!participant.isActive()) {
            return;
        }
        participant.deactivate();
        Room room = participant.room();
        // media first: the others hear of the departure only once its resources are released
        closeMedia(participant);
        room.remove(participant, reason);
        LOG.info("room {}: {} ({}) left: {}", room.name(), participant.identity(), participant.id(), reason);
        if (reason != LeaveReason.DISCONNECTED && !participant.isRemote()) {
            try {
                participant.channel().disconnect(reason);
            } catch (RuntimeException e) {
                LOG.warn("room {}: disconnecting {} failed", room.name(), participant.id(), e);
            }
        }
        refreshAll(room);
        if (dropEmptyAutoRoom) {
            dropIfEmptyAutoRoom(room);
        }
    }

    private void dropIfEmptyAutoRoom(Room room) {
        if (room.autoCreated() && room.size() == 0 && !room.isClosed()) {
            removeRoom(room);
        }
    }

    /**
     * Disconnects every participant whose negotiation deadline passed at {@code nowNs} without a publisher offer
     * answered or a subscriber answer applied ({@link LeaveReason#NEGOTIATION_TIMEOUT}), releasing its room slot.
     * A participant that may publish is held to it from its join; one that may only receive from the first
     * subscriber offer sent to it; one that may do neither is never held to it. Call it periodically.
     *
     * @return how many participants it disconnected
     */
    public int expireNegotiationDeadlines(long nowNs) {
        List<Participant> expired = negotiationDeadlines.expired(nowNs);
        for (Participant participant : expired) {
            LOG.info("room {}: {} ({}) negotiated no media within {} s", participant.room().name(),
                participant.identity(), participant.id(),
                TimeUnit.NANOSECONDS.toSeconds(limits.negotiationTimeoutNs()));
            leave(participant, LeaveReason.NEGOTIATION_TIMEOUT);
        }
        return expired.size();
    }

    /**
     * Disconnects the participant of this identity; false when the room or the participant does not exist here (a
     * remote participant is kicked by its own node).
     */
    public boolean kick(String roomName, String identity) {
        Optional<Participant> participant = rooms.find(roomName).flatMap(r -> r.participantByIdentity(identity))
            .filter(p -> !p.isRemote());
        participant.ifPresent(p -> leave(p, LeaveReason.KICKED));
        return participant.isPresent();
    }

    /** {@link #publisherOffer(Participant, String, Map)} without sources. */
    public void publisherOffer(Participant participant, String sdp) throws SessionException {
        publisherOffer(participant, sdp, Map.of());
    }

    /**
     * Hands a publisher offer to the media engine; the answer (or an {@code sdp_invalid} error) goes to the
     * participant's channel.
     *
     * @param sources what the tracks of some mids carry (the others: their kind's default, or what they carried)
     * @throws SessionException FORBIDDEN without the publish permission, CONFLICT while a previous offer waits for
     *     its answer
     */
    public void publisherOffer(Participant participant, String sdp, Map<String, TrackSource> sources)
        throws SessionException {
        requireActive(participant);
        if (!participant.permissions().canPublish()) {
            throw new SessionException(ErrorCode.FORBIDDEN, "this participant may not publish");
        }
        if (participant.publisherOfferPending()) {
            throw new SessionException(ErrorCode.CONFLICT, "the previous publisher offer is still being answered");
        }
        participant.publisherOfferPending(true);
        Map<String, TrackSource> given = Map.copyOf(sources);
        call(() -> participant.media().onPublisherOffer(sdp, given)).whenComplete((answer, error) ->
            controlThread.execute(() -> {
                participant.publisherOfferPending(false);
                if (!participant.isActive()) {
                    return;
                }
                if (error != null) {
                    reportFailure(participant, "publisher offer", error);
                } else {
                    participant.negotiated(true);
                    participant.channel().publisherAnswer(answer);
                }
            }));
    }

    /**
     * Hands the answer to the last subscriber offer to the media engine; once applied, the next offer follows if
     * the forwarded tracks changed meanwhile.
     *
     * @throws SessionException BAD_REQUEST when no subscriber offer waits for an answer
     */
    public void subscriberAnswer(Participant participant, String sdp) throws SessionException {
        requireActive(participant);
        SubscriberOfferSequencer offers = participant.subscriberOffers();
        if (!offers.awaitingAnswer()) {
            throw new SessionException(ErrorCode.BAD_REQUEST, "no subscriber offer is waiting for an answer");
        }
        offers.answerReceived();
        call(() -> participant.media().onSubscriberAnswer(sdp)).whenComplete((ignored, error) ->
            controlThread.execute(() -> {
                if (!participant.isActive()) {
                    return;
                }
                if (error != null) {
                    offers.answerRejected();
                    reportFailure(participant, "subscriber answer", error);
                    return;
                }
                participant.negotiated(true);
                List<SubscribedTrack> next = offers.answerApplied();
                if (next != null) {
                    startSubscriberOffer(participant, next);
                }
            }));
    }

    /**
     * Restarts ICE on the participant's subscriber connection (the client lost its path): the engine takes new
     * credentials and the next subscriber offer, sent now or after the answer it waits for, carries them.
     *
     * @throws SessionException BAD_REQUEST when the participant has no subscriber connection yet
     */
    public void restartSubscriberIce(Participant participant) throws SessionException {
        requireActive(participant);
        SubscriberOfferSequencer offers = participant.subscriberOffers();
        if (!offers.offeredOnce()) {
            throw new SessionException(ErrorCode.BAD_REQUEST, "no subscriber connection to restart yet");
        }
        participant.media().restartSubscriberIce();
        List<SubscribedTrack> next = offers.restartIce();
        if (next != null) {
            startSubscriberOffer(participant, next);
        }
    }

    /** How {@code participant} reaches the embedded TURN server (null when there is none); any thread. */
    public TurnAccess turnAccess(Participant participant) {
        return engine.turnAccess(participant.id());
    }

    /** What the TURN server relayed for {@code participant} since its first allocation (null: nothing); any thread. */
    public TurnRelayed turnRelayed(Participant participant) {
        return engine.turnRelayed(participant.id());
    }

    /** Passes a trickled candidate on; the engine ignores what it cannot use. */
    public void candidate(Participant participant, PeerConnectionRole pc, IceCandidate candidate) {
        if (participant.isActive()) {
            participant.media().onRemoteCandidate(pc, candidate);
        }
    }

    /**
     * Forwards these tracks to the participant. Known ids are applied even when others are unknown.
     *
     * @throws SessionException FORBIDDEN without the subscribe permission, NOT_FOUND naming unknown track ids
     */
    public void subscribe(Participant participant, Collection<String> trackIds) throws SessionException {
        changeSubscriptions(participant, trackIds, true);
    }

    /** Stops forwarding these tracks to the participant; see {@link #subscribe}. */
    public void unsubscribe(Participant participant, Collection<String> trackIds) throws SessionException {
        changeSubscriptions(participant, trackIds, false);
    }

    private void changeSubscriptions(Participant participant, Collection<String> trackIds, boolean subscribe)
        throws SessionException {
        requireActive(participant);
        if (!participant.permissions().canSubscribe()) {
            throw new SessionException(ErrorCode.FORBIDDEN, "this participant may not subscribe");
        }
        Set<String> known = new LinkedHashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (String trackId : trackIds) {
            Optional<Participant> publisher = participant.room().publisherOf(trackId);
            if (publisher.isPresent() && publisher.get() != participant) {
                known.add(trackId);
            } else {
                unknown.add(trackId);
            }
        }
        if (subscribe) {
            participant.subscribe(known);
        } else {
            participant.unsubscribe(known);
        }
        refresh(participant);
        if (!unknown.isEmpty()) {
            throw new SessionException(ErrorCode.NOT_FOUND, "no such track of another participant: " + unknown);
        }
    }

    /**
     * Sends one message from the backend to the room's participants (those named in {@code identities}, or every
     * one when it is null) on their channel {@code server:<label>}.
     *
     * @return the participants it was handed to
     * @throws SessionException NOT_FOUND for an unknown room
     */
    public int sendData(String roomName, String label, boolean binary, byte[] payload, Set<String> identities)
        throws SessionException {
        Room room = rooms.find(roomName).orElseThrow(() -> new SessionException(ErrorCode.NOT_FOUND,
            "room " + roomName + " does not exist"));
        int recipients = 0;
        for (Participant participant : room.participants()) {
            if (participant.isActive() && participant.media() != null
                && (identities == null || identities.contains(participant.identity()))) {
                participant.media().sendServerData(label, binary, payload);
                recipients++;
            }
        }
        return recipients;
    }

    /**
     * Mutes or unmutes one of the participant's own tracks; the others hear of it.
     *
     * @throws SessionException NOT_FOUND when the participant publishes no such track
     */
    public void setMuted(Participant participant, String trackId, boolean muted) throws SessionException {
        requireActive(participant);
        if (!participant.room().setMuted(participant, trackId, muted)) {
            throw new SessionException(ErrorCode.NOT_FOUND, "this participant publishes no track " + trackId);
        }
        participant.media().onTrackMuted(trackId, muted);
    }

    /**
     * Sets the participant's layer preference (simulcast layer, temporal layers) for a track of another participant.
     *
     * @throws SessionException NOT_FOUND when no other participant of the room publishes that track
     */
    public void setLayer(Participant participant, String trackId, LayerPreference preference)
        throws SessionException {
        requireOthersTrack(participant, trackId);
        participant.media().setLayerPreference(trackId, preference);
    }

    /**
     * How the participant shows a track of another participant: whether it is shown at all ({@code enabled}; a
     * hidden one is not forwarded) and how high it is rendered ({@code height}, a simulcast preference as
     * {@link LayerPreference#maxHeight}). Either may be null: that setting stays as it is.
     *
     * @throws SessionException NOT_FOUND when no other participant of the room publishes that track
     */
    public void setTrackSettings(Participant participant, String trackId, Boolean enabled, Integer height)
        throws SessionException {
        requireOthersTrack(participant, trackId);
        if (height != null) {
            participant.media().setLayerPreference(trackId, LayerPreference.maxHeight(height));
        }
        if (enabled != null) {
            participant.media().setTrackEnabled(trackId, enabled);
        }
    }

    private void requireOthersTrack(Participant participant, String trackId) throws SessionException {
        requireActive(participant);
        Optional<Participant> publisher = participant.room().publisherOf(trackId);
        if (publisher.isEmpty() || publisher.get() == participant) {
            throw new SessionException(ErrorCode.NOT_FOUND, "no such track of another participant: " + trackId);
        }
    }

    /**
     * The counters of every track the participant publishes or receives: the engine's where it has them, zeros
     * for a published track it has not measured yet.
     */
    public List<TrackStats> stats(Participant participant) {
        List<TrackStats> measured = participant.isActive() && participant.media() != null
            ? participant.media().stats() : List.of();
        Map<String, TrackStats> published = new HashMap<>();
        List<TrackStats> result = new ArrayList<>();
        for (TrackStats stats : measured) {
            if (stats.direction() == TrackStats.Direction.PUBLISHED) {
                published.put(stats.trackId(), stats);
            }
        }
        for (Track track : participant.tracks()) {
            result.add(published.getOrDefault(track.id(),
                TrackStats.empty(track.id(), TrackStats.Direction.PUBLISHED)));
        }
        for (TrackStats stats : measured) {
            if (stats.direction() == TrackStats.Direction.SUBSCRIBED) {
                result.add(stats);
            }
        }
        return result;
    }

    /** Disconnects every participant and refuses new joins; the rooms stay. */
    public void shutdown() {
        shutDown = true;
        for (Room room : rooms.rooms()) {
            for (Participant participant : List.copyOf(room.participants())) {
                leave(participant, LeaveReason.SHUTDOWN, false);
            }
        }
    }

    private static void requireActive(Participant participant) throws SessionException {
        if (!participant.isActive()) {
            throw new SessionException(ErrorCode.NOT_FOUND, "participant " + participant.id() + " left its room");
        }
    }

    /** Brings every local subscriber of the room in step with it (a remote track became forwardable). */
    public void refreshRoom(Room room) {
        refreshAll(room);
    }

    private void refreshAll(Room room) {
        for (Participant participant : List.copyOf(room.participants())) {
            refresh(participant);
        }
    }

    /** Brings the tracks forwarded to the participant in step with the room and its choices. */
    private void refresh(Participant participant) {
        if (!participant.isActive() || !participant.permissions().canSubscribe()) {
            return;
        }
        List<SubscribedTrack> desired = new ArrayList<>();
        List<SubscribedTrack> data = new ArrayList<>();
        for (Participant publisher : participant.room().participants()) {
            if (publisher == participant) {
                continue;
            }
            for (Track track : publisher.tracks()) {
                if (participant.wants(track.id()) && (!publisher.isRemote()
                    || remoteTracks.importForLocalSubscriber(participant.room(), publisher, track))) {
                    (track.kind() == TrackKind.DATA ? data : desired).add(new SubscribedTrack(publisher.id(), track));
                }
            }
        }
        participant.media().setDataSubscriptions(data);
        // data tracks need the subscriber connection, not an offer of their own
        List<SubscribedTrack> offer = participant.subscriberOffers().desire(desired, !data.isEmpty());
        if (offer != null) {
            startSubscriberOffer(participant, offer);
        }
    }

    private void startSubscriberOffer(Participant participant, List<SubscribedTrack> tracks) {
        call(() -> participant.media().createSubscriberOffer(tracks)).whenComplete((sdp, error) ->
            controlThread.execute(() -> {
                if (!participant.isActive()) {
                    return;
                }
                if (error != null) {
                    participant.subscriberOffers().offerFailed();
                    reportFailure(participant, "subscriber offer", error);
                    return;
                }
                participant.subscriberOffers().offerSent();
                negotiationDeadlines.start(participant, nanoClock.getAsLong());
                participant.channel().subscriberOffer(sdp);
            }));
    }

    /**
     * Publishes what the engine reported: its media tracks ({@code data} false) or its data tracks, keeping the
     * other kind as it was.
     */
    void publishTracks(Participant participant, List<Track> tracks, boolean data) {
        if (!participant.permissions().canPublish()) {
            LOG.warn("room {}: ignoring tracks reported for {}, who may not publish", participant.room().name(),
                participant.id());
            return;
        }
        List<Track> accepted = new ArrayList<>();
        for (Track kept : participant.tracks()) {
            if ((kept.kind() == TrackKind.DATA) != data) {
                accepted.add(kept);
            }
        }
        int limit = accepted.size() + limits.maxTracksPerParticipant();
        for (Track track : tracks) {
            if (track == null || track.id().isBlank() || (track.kind() == TrackKind.DATA) != data) {
                continue;
            }
            if (accepted.size() == limit) {
                LOG.warn("room {}: {} publishes more than {} tracks; the rest are ignored",
                    participant.room().name(), participant.id(), limits.maxTracksPerParticipant());
                break;
            }
            accepted.add(track);
        }
        participant.room().publish(participant, accepted);
        refreshAll(participant.room());
    }

    private void reportFailure(Participant participant, String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SdpRejectedException) {
            participant.channel().error(ErrorCode.SDP_INVALID, cause.getMessage());
        } else {
            ERRORS.error("media-engine:" + what, "room {}: {} of {} failed in the media engine",
                participant.room().name(), what, participant.id(), cause);
            participant.channel().error(ErrorCode.INTERNAL, what + " failed in the media engine");
        }
    }

    private void closeMedia(Participant participant) {
        MediaSession media = participant.media();
        if (media == null) {
            return;
        }
        try {
            media.close();
        } catch (RuntimeException e) {
            LOG.warn("room {}: closing the media session of {} failed", participant.room().name(), participant.id(),
                e);
        }
    }

    /** Turns an engine call that throws or returns null into a failed stage, so every failure takes one path. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> engineCall) {
        try {
            CompletionStage<T> stage = engineCall.get();
            return stage != null ? stage : CompletableFuture.failedFuture(new IllegalStateException("null stage"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
