package io.sfu.core.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Relays room events to the other participants' clients and drops their choices about vanished tracks. */
final class RoomEventBroadcaster implements RoomListener {
    private static final Logger LOG = LoggerFactory.getLogger(RoomEventBroadcaster.class);

    @Override
    public void onParticipantJoined(Room room, Participant joined) {
        forOthers(room, joined, other -> other.channel().participantJoined(joined));
    }

    @Override
    public void onParticipantLeft(Room room, Participant left, LeaveReason reason) {
        List<Track> tracks = left.tracks();
        forOthers(room, left, other -> {
            for (Track track : tracks) {
                other.forgetTrack(track.id());
            }
            other.channel().participantLeft(left);
        });
    }

    @Override
    public void onTrackPublished(Room room, Participant publisher, Track track) {
        forOthers(room, publisher, other -> other.channel().trackPublished(publisher, track));
    }

    @Override
    public void onTrackUnpublished(Room room, Participant publisher, Track track) {
        forOthers(room, publisher, other -> {
            other.forgetTrack(track.id());
            other.channel().trackUnpublished(publisher, track);
        });
    }

    @Override
    public void onTrackMuted(Room room, Participant publisher, Track track) {
        forOthers(room, publisher, other -> other.channel().trackMuted(publisher, track));
    }

    @Override
    public void onDominantSpeaker(Room room, Participant speaker) {
        forOthers(room, null, other -> other.channel().dominantSpeaker(speaker));
    }

    private static void forOthers(Room room, Participant subject, java.util.function.Consumer<Participant> send) {
        for (Participant other : List.copyOf(room.participants())) {
            if (other == subject) {
                continue;
            }
            try {
                send.accept(other);
            } catch (RuntimeException e) {
                // a broken connection must not keep the event from the rest of the room
                LOG.warn("room {}: delivering an event to {} failed", room.name(), other.id(), e);
            }
        }
    }
}
