package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.Participant;
import io.sfu.core.session.Room;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackStats;
import io.sfu.core.session.TurnRelayed;
import java.util.List;
import java.util.Locale;

/** The JSON shapes of the public API (see API.md): rooms, participants, tracks, errors and stats. */
final class Wire {
    private Wire() {
    }

    static ObjectNode track(Track track) {
        ObjectNode node = Json.object();
        node.put("id", track.id());
        node.put("kind", track.kind().wireName());
        node.put("mid", track.mid());
        ArrayNode rids = node.putArray("rids");
        track.rids().forEach(rids::add);
        node.put("muted", track.muted());
        node.put("source", track.source().wireName());
        if (track.data() != null) {
            node.put("label", track.data().label());
            node.put("protocol", track.data().protocol());
            node.put("ordered", track.data().ordered());
            limit(node, "maxRetransmits", track.data().maxRetransmits());
            limit(node, "maxPacketLifeTime", track.data().maxPacketLifeTime());
        }
        return node;
    }

    /** A limit of a data channel, null when there is none (as RTCDataChannel shows it). */
    private static void limit(ObjectNode node, String field, int value) {
        if (value < 0) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** {@code {"id","identity"}}. */
    static ObjectNode participantRef(Participant participant) {
        ObjectNode node = Json.object();
        node.put("id", participant.id());
        node.put("identity", participant.identity());
        return node;
    }

    /** {@code {"id","identity","tracks":[...]}}. */
    static ObjectNode participant(Participant participant) {
        ObjectNode node = participantRef(participant);
        if (participant.isRemote()) {
            // connected to another node of the cluster
            node.put("node", participant.nodeId());
        }
        ArrayNode tracks = node.putArray("tracks");
        participant.tracks().forEach(t -> tracks.add(track(t)));
        return node;
    }

    /** {@code {"name","maxParticipants","participants":[...]}}, leaving out {@code except} (the joiner). */
    static ObjectNode room(Room room, Participant except) {
        ObjectNode node = Json.object();
        node.put("name", room.name());
        node.put("maxParticipants", room.maxParticipants());
        if (room.lastN() > 0) {
            node.put("lastN", room.lastN());
        }
        ArrayNode participants = node.putArray("participants");
        for (Participant p : room.participants()) {
            if (p != except) {
                participants.add(participant(p));
            }
        }
        return node;
    }

    /** The REST error body {@code {"error":{"code","message"}}}. */
    static ObjectNode error(ErrorCode code, String message) {
        ObjectNode node = Json.object();
        ObjectNode error = node.putObject("error");
        error.put("code", code.wireName());
        error.put("message", message);
        return node;
    }

    /** A signaling message {@code {"type":...}} to fill in. */
    static ObjectNode message(String type) {
        ObjectNode node = Json.object();
        node.put("type", type);
        return node;
    }

    static ObjectNode stats(Participant participant, List<TrackStats> stats, TurnRelayed relayed) {
        ObjectNode node = participantRef(participant);
        if (relayed != null) {
            ObjectNode turn = node.putObject("turn");
            turn.put("allocations", relayed.allocations());
            turn.put("bytesToSfu", relayed.bytesToSfu());
            turn.put("bytesToClient", relayed.bytesToClient());
            turn.put("packetsToSfu", relayed.packetsToSfu());
            turn.put("packetsToClient", relayed.packetsToClient());
        }
        ArrayNode tracks = node.putArray("tracks");
        for (TrackStats s : stats) {
            ObjectNode t = tracks.addObject();
            t.put("trackId", s.trackId());
            t.put("direction", s.direction().name().toLowerCase(Locale.ROOT));
            t.put("packets", s.packets());
            t.put("bytes", s.bytes());
            t.put("lost", s.lost());
            t.put("nacks", s.nacks());
            t.put("plis", s.plis());
            t.put("bitrate", s.bitrateBps());
            t.put("dropped", s.dropped());
            t.put("retransmitted", s.retransmitted());
            t.put("retransmitsRefused", s.retransmitsRefused());
            if (s.direction() == TrackStats.Direction.SUBSCRIBED) {
                t.put("downlinkEstimate", s.downlinkEstimateBps());
                t.put("allocatedBitrate", s.allocatedBps());
                if (s.targetLayer() == null) {
                    t.putNull("targetLayer");
                } else {
                    t.put("targetLayer", s.targetLayer());
                }
            }
            if (s.layer() == null) {
                t.putNull("layer");
            } else {
                t.put("layer", s.layer());
            }
            if (s.temporalLayer() < 0) {
                t.putNull("temporalLayer");
            } else {
                t.put("temporalLayer", s.temporalLayer());
            }
            if (s.direction() == TrackStats.Direction.SUBSCRIBED) {
                if (s.spatialLayer() < 0) {
                    t.putNull("spatialLayer");
                } else {
                    t.put("spatialLayer", s.spatialLayer());
                }
            }
        }
        return node;
    }
}
