package io.sfu.signaling.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.session.Names;
import java.util.List;
import java.util.Optional;

/**
 * A {@link NodeState}, a {@link NodeUpdate} or a {@link Heartbeat} as the JSON text it travels in between nodes,
 * read with bounds: a peer node is an input like any other, and a message that breaks a bound is refused whole (the
 * caller counts it).
 */
public final class NodeStateCodec {
    /** The longest state text taken: about 40,000 participants with two tracks each. */
    public static final int MAX_TEXT_CHARS = 16 << 20;
    static final int MAX_ROOMS = 100_000;
    static final int MAX_PARTICIPANTS_PER_ROOM = 10_000;
    static final int MAX_TRACKS_PER_PARTICIPANT = 256;
    static final int MAX_RIDS = 16;
    static final int MAX_ID_CHARS = 128;
    static final int MAX_DESCRIPTION_CHARS = 16_384;
    static final int MAX_URL_CHARS = 512;

    /** The longest heartbeat taken. */
    static final int MAX_HEARTBEAT_CHARS = 1024;

    private static final ObjectMapper MAPPER;

    /** A node's once-a-second message: its load, and the sequence of its last state or update. */
    public record Heartbeat(String nodeId, double cpu, long packetsPerSecond, long state) {
        public NodeState.Load load() {
            return new NodeState.Load(cpu, packetsPerSecond);
        }
    }

    static {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16)
                .maxStringLength(MAX_DESCRIPTION_CHARS).maxNumberLength(32).build())
            .build();
        MAPPER = new ObjectMapper(factory).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    private NodeStateCodec() {
    }

    public static String write(NodeState state) {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a node state always serialises", e);
        }
    }

    public static String write(NodeUpdate update) {
        try {
            return MAPPER.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a node update always serialises", e);
        }
    }

    public static String write(Heartbeat heartbeat) {
        try {
            return MAPPER.writeValueAsString(heartbeat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a heartbeat always serialises", e);
        }
    }

    /** The heartbeat in this text, or empty when it is malformed or breaks a bound. */
    public static Optional<Heartbeat> readHeartbeat(String text) {
        if (text == null || text.length() > MAX_HEARTBEAT_CHARS) {
            return Optional.empty();
        }
        try {
            Heartbeat heartbeat = MAPPER.readValue(text, Heartbeat.class);
            return id(heartbeat.nodeId()) ? Optional.of(heartbeat) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The update in this text, or empty when it is malformed or breaks a bound. */
    public static Optional<NodeUpdate> readUpdate(String text) {
        if (text == null || text.length() > MAX_TEXT_CHARS) {
            return Optional.empty();
        }
        try {
            NodeUpdate update = MAPPER.readValue(text, NodeUpdate.class);
            return valid(update) ? Optional.of(update) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The state in this text, or empty when it is malformed or breaks a bound. */
    public static Optional<NodeState> read(String text) {
        if (text == null || text.length() > MAX_TEXT_CHARS) {
            return Optional.empty();
        }
        try {
            NodeState state = MAPPER.readValue(text, NodeState.class);
            return valid(state) ? Optional.of(state) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            // a missing field fails the records' checks: the same refusal as a bad value
            return Optional.empty();
        }
    }

    private static boolean valid(NodeState state) {
        if (!id(state.nodeId()) || state.url().length() > MAX_URL_CHARS || state.relayHost().length() > MAX_URL_CHARS
            || state.relayPort() < 0 || state.relayPort() > 65535) {
            return false;
        }
        return valid(state.rooms());
    }

    private static boolean valid(NodeUpdate update) {
        if (!id(update.nodeId()) || update.removed().size() > MAX_ROOMS) {
            return false;
        }
        for (String name : update.removed()) {
            if (!Names.isValidRoomName(name)) {
                return false;
            }
        }
        return valid(update.rooms());
    }

    private static boolean valid(List<NodeState.RoomEntry> rooms) {
        if (rooms.size() > MAX_ROOMS) {
            return false;
        }
        for (NodeState.RoomEntry room : rooms) {
            if (!Names.isValidRoomName(room.name()) || room.maxParticipants() < 1 || room.lastN() < 0
                || room.participants().size() > MAX_PARTICIPANTS_PER_ROOM) {
                return false;
            }
            for (NodeState.ParticipantEntry participant : room.participants()) {
                if (!id(participant.id()) || !Names.isValidIdentity(participant.identity())
                    || participant.tracks().size() > MAX_TRACKS_PER_PARTICIPANT) {
                    return false;
                }
                for (NodeState.TrackEntry track : participant.tracks()) {
                    if (!id(track.id()) || track.mid().length() > MAX_ID_CHARS || track.rids().size() > MAX_RIDS
                        || track.source().length() > MAX_ID_CHARS || track.kind().length() > MAX_ID_CHARS) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean id(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_ID_CHARS;
    }
}
