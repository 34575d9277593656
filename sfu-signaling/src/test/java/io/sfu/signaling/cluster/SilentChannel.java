package io.sfu.signaling.cluster;

import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.LeaveReason;
import io.sfu.core.session.Participant;
import io.sfu.core.session.ParticipantChannel;
import io.sfu.core.session.Track;

/** Test fixture: a participant's channel that drops every message. */
final class SilentChannel implements ParticipantChannel {
    @Override
    public void participantJoined(Participant other) {
    }

    @Override
    public void participantLeft(Participant other) {
    }

    @Override
    public void trackPublished(Participant publisher, Track track) {
    }

    @Override
    public void trackUnpublished(Participant publisher, Track track) {
    }

    @Override
    public void trackMuted(Participant publisher, Track track) {
    }

    @Override
    public void dominantSpeaker(Participant speaker) {
    }

    @Override
    public void publisherAnswer(String sdp) {
    }

    @Override
    public void subscriberOffer(String sdp) {
    }

    @Override
    public void error(ErrorCode code, String message) {
    }

    @Override
    public void disconnect(LeaveReason reason) {
    }
}
