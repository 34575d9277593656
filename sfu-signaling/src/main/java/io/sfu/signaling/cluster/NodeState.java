package io.sfu.signaling.cluster;

import java.util.List;
import java.util.Objects;

/**
 * What one node publishes about itself to the others, whole each time: where clients and the relay reach it, its
 * load, and the rooms, participants and tracks it hosts. The node is its only writer; a newer {@code sequence}
 * replaces the older state, and a dead node's state is dropped whole.
 */
public record NodeState(String nodeId, String url, String relayHost, int relayPort, Load load, long sequence,
                        List<RoomEntry> rooms) {

    public NodeState {
        Objects.requireNonNull(nodeId, "nodeId");
        url = url == null ? "" : url;
        relayHost = relayHost == null ? "" : relayHost;
        Objects.requireNonNull(load, "load");
        rooms = List.copyOf(rooms);
    }

    /** How busy a node is: its process CPU share (0..1) and the media packets it receives per second. */
    public record Load(double cpu, long packetsPerSecond) {
        public static final Load IDLE = new Load(0, 0);

        public Load {
            cpu = Double.isFinite(cpu) ? Math.max(0, Math.min(1, cpu)) : 0;
            packetsPerSecond = Math.max(0, packetsPerSecond);
        }
    }

    /** A room the node holds: its settings and the node's own participants in it (remote ones are not listed). */
    public record RoomEntry(String name, int maxParticipants, int lastN, boolean autoCreated,
                            List<ParticipantEntry> participants) {
        public RoomEntry {
            Objects.requireNonNull(name, "name");
            participants = List.copyOf(participants);
        }
    }

    /** A participant connected to the node, with the tracks it publishes. */
    public record ParticipantEntry(String id, String identity, List<TrackEntry> tracks) {
        public ParticipantEntry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(identity, "identity");
            tracks = List.copyOf(tracks);
        }
    }

    /**
     * A published media track as the room model knows it, with the relay's description of it (null when the node
     * has no relay or the media engine does not know the track yet).
     */
    public record TrackEntry(String id, String kind, String mid, List<String> rids, boolean muted, String source,
                             String description) {
        public TrackEntry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            mid = mid == null ? "" : mid;
            rids = List.copyOf(rids);
            source = source == null ? "" : source;
        }
    }

    /** The participants of the node, over every room. */
    public int participantCount() {
        int count = 0;
        for (RoomEntry room : rooms) {
            count += room.participants().size();
        }
        return count;
    }
}
