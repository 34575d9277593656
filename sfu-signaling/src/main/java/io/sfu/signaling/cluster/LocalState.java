package io.sfu.signaling.cluster;

import io.sfu.core.session.Participant;
import io.sfu.core.session.Room;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackKind;
import io.sfu.core.session.TrackSource;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Between the room model and the directory: this node's rooms as its {@link NodeState}, and entries as tracks. */
final class LocalState {
    private LocalState() {
    }

    /**
     * This node's state: every room with a local participant and every room created through this node's API (so
     * that the others hold it too), listing only the local participants and their media tracks (data tracks stay
     * on their node). Rooms held here only because another node listed them are left out: each room is listed by
     * the nodes that have a reason to, not by all of them.
     */
    static NodeState of(String nodeId, String url, InetSocketAddress relay, NodeState.Load load, long sequence,
                        Collection<Room> rooms, Set<String> createdHere, RelayCoordinator relays) {
        List<NodeState.RoomEntry> entries = new ArrayList<>();
        for (Room room : rooms) {
            List<NodeState.ParticipantEntry> local = new ArrayList<>();
            for (Participant participant : room.participants()) {
                if (participant.isRemote() || !participant.isActive()) {
                    continue;
                }
                List<NodeState.TrackEntry> tracks = new ArrayList<>();
                for (Track track : participant.tracks()) {
                    if (track.kind() != TrackKind.DATA) {
                        String description = relays == null ? null
                            : relays.describe(room.name(), participant.id(), track.id());
                        tracks.add(new NodeState.TrackEntry(track.id(), track.kind().wireName(), track.mid(),
                            track.rids(), track.muted(), track.source().wireName(), description));
                    }
                }
                local.add(new NodeState.ParticipantEntry(participant.id(), participant.identity(), tracks));
            }
            if (!local.isEmpty() || (!room.autoCreated() && createdHere.contains(room.name()))) {
                entries.add(new NodeState.RoomEntry(room.name(), room.maxParticipants(), room.lastN(),
                    room.autoCreated(), local));
            }
        }
        String relayHost = relay == null ? "" : relay.getAddress().getHostAddress();
        int relayPort = relay == null ? 0 : relay.getPort();
        return new NodeState(nodeId, url, relayHost, relayPort, load, sequence, entries);
    }

    /** The tracks of a remote participant's entry; entries of an unknown kind or source are left out. */
    static List<Track> tracks(NodeState.ParticipantEntry participant) {
        List<Track> tracks = new ArrayList<>();
        for (NodeState.TrackEntry entry : participant.tracks()) {
            TrackKind kind = switch (entry.kind()) {
                case "audio" -> TrackKind.AUDIO;
                case "video" -> TrackKind.VIDEO;
                default -> null;
            };
            if (kind == null) {
                continue;
            }
            TrackSource source = TrackSource.fromWire(entry.source()).orElse(TrackSource.defaultFor(kind));
            tracks.add(new Track(entry.id(), kind, entry.mid(), entry.rids(), entry.muted(), source));
        }
        return tracks;
    }

    /** The relay description of a track in a node's room. */
    static Optional<String> description(NodeState.RoomEntry room, String participantId, String trackId) {
        for (NodeState.ParticipantEntry participant : room.participants()) {
            if (participant.id().equals(participantId)) {
                for (NodeState.TrackEntry track : participant.tracks()) {
                    if (track.id().equals(trackId)) {
                        return Optional.ofNullable(track.description());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
