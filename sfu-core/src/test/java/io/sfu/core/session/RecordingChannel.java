package io.sfu.core.session;

import java.util.ArrayList;
import java.util.List;

/** Test fixture: a {@link ParticipantChannel} that writes down what it is told, one line per message. */
final class RecordingChannel implements ParticipantChannel {
    final List<String> messages = new ArrayList<>();

    @Override
    public void participantJoined(Participant other) {
        messages.add("participantJoined " + other.identity());
    }

    @Override
    public void participantLeft(Participant other) {
        messages.add("participantLeft " + other.identity());
    }

    @Override
    public void trackPublished(Participant publisher, Track track) {
        messages.add("trackPublished " + publisher.identity() + " " + track.kind().wireName() + " " + track.mid());
    }

    @Override
    public void trackUnpublished(Participant publisher, Track track) {
        messages.add("trackUnpublished " + publisher.identity() + " " + track.mid());
    }

    @Override
    public void trackMuted(Participant publisher, Track track) {
        messages.add("trackMuted " + publisher.identity() + " " + track.mid() + " " + track.muted());
    }

    @Override
    public void dominantSpeaker(Participant speaker) {
        messages.add("dominantSpeaker " + speaker.identity());
    }

    @Override
    public void publisherAnswer(String sdp) {
        messages.add("answer");
    }

    @Override
    public void subscriberOffer(String sdp) {
        messages.add("offer");
    }

    @Override
    public void error(ErrorCode code, String message) {
        messages.add("error " + code.wireName());
    }

    @Override
    public void disconnect(LeaveReason reason) {
        messages.add("disconnect " + reason);
    }

    /** Returns what arrived since the last call and forgets it. */
    List<String> take() {
        List<String> taken = List.copyOf(messages);
        messages.clear();
        return taken;
    }
}
