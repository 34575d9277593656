package io.sfu.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's side of a cluster: shows the participants of other nodes in this server's rooms, with their
 * tracks, so that local clients see them in {@code joined} and in the room events like local ones. Confined to the
 * control thread, like the {@link ControlPlane} it works on.
 */
public final class RemoteParticipants {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteParticipants.class);
    /** A remote participant publishes through its own node; here it never subscribes. */
    private static final Permissions REMOTE = new Permissions(true, false);

    private final ControlPlane plane;

    public RemoteParticipants(ControlPlane plane) {
        this.plane = plane;
    }

    /**
     * Shows a participant of node {@code nodeId} in a room. A room missing here is created on the fly (it goes away
     * with its last participant). A remote participant of the same identity is replaced; a local one stays, and the
     * remote one is not shown.
     *
     * @return the participant, or empty when it could not be shown (a bad name, a local participant of that
     *     identity, no room left on this server)
     */
    public Optional<Participant> add(String roomName, String nodeId, String participantId, String identity) {
        if (!Names.isValidRoomName(roomName) || !Names.isValidIdentity(identity) || participantId.isBlank()) {
            return Optional.empty();
        }
        Room room;
        try {
            room = plane.roomOrCreate(roomName);
        } catch (SessionException e) {
            LOG.warn("room {}: cannot show {} of node {}: {}", roomName, identity, nodeId, e.getMessage());
            return Optional.empty();
        }
        Optional<Participant> existing = room.participant(participantId);
        if (existing.isPresent()) {
            return existing.filter(Participant::isRemote);
        }
        Optional<Participant> sameIdentity = room.participantByIdentity(identity);
        if (sameIdentity.isPresent()) {
            if (!sameIdentity.get().isRemote()) {
                LOG.warn("room {}: {} is connected here and on node {}; the remote one is not shown", roomName,
                    identity, nodeId);
                return Optional.empty();
            }
            // its node will say it left; REPLACED is kept for a local join taking a remote identity's place
            plane.leave(sameIdentity.get(), LeaveReason.DISCONNECTED);
        }
        Participant participant = new Participant(participantId, identity, room, REMOTE, false, ParticipantChannel.DISCARD, nodeId);
        try {
            room.add(participant, false);
        } catch (SessionException e) {
            return Optional.empty();
        }
        LOG.info("room {}: {} ({}) of node {} is shown", roomName, identity, participantId, nodeId);
        return Optional.of(participant);
    }

    /**
     * Replaces a remote participant's tracks by what its node published: local subscribers get the new ones (once
     * imported) and lose the vanished ones; mute changes reach the local clients as {@code trackMuted}.
     */
    public void publish(Participant remote, List<Track> tracks) {
        if (!remote.isRemote() || !remote.isActive()) {
            return;
        }
        List<Track> media = new ArrayList<>();
        for (Track track : tracks) {
            if (track.kind() != TrackKind.DATA) {
                media.add(track);
            }
        }
        Room room = remote.room();
        room.publish(remote, media);
        for (Track track : media) {
            room.setMuted(remote, track.id(), track.muted());
        }
        plane.refreshRoom(room);
    }

    /** Removes a remote participant from its room (it left its node, or its node went away). */
    public void remove(Participant remote) {
        if (remote.isRemote()) {
            plane.leave(remote, LeaveReason.DISCONNECTED);
        }
    }

    /** The remote participant of this id in this room. */
    public Optional<Participant> find(String roomName, String participantId) {
        return plane.room(roomName).flatMap(r -> r.participant(participantId)).filter(Participant::isRemote);
    }
}
