package io.sfu.core.session;

/**
 * The way back to one participant's client (its signaling connection). Called on the control thread only; an
 * implementation queues the message and never blocks.
 */
public interface ParticipantChannel {
    /** A channel that drops every message: for a participant whose client is not connected here (another node's). */
    ParticipantChannel DISCARD = new ParticipantChannel() {
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
    };


    void participantJoined(Participant other);

    void participantLeft(Participant other);

    void trackPublished(Participant publisher, Track track);

    void trackUnpublished(Participant publisher, Track track);

    void trackMuted(Participant publisher, Track track);

    void dominantSpeaker(Participant speaker);

    /** The answer to the participant's publisher offer. */
    void publisherAnswer(String sdp);

    /** A new subscriber offer; the next one follows only after the client's answer was applied. */
    void subscriberOffer(String sdp);

    /** A request of this participant failed; the connection stays open. */
    void error(ErrorCode code, String message);

    /**
     * The participant was removed from its room; the connection should be closed. Not called when the removal
     * came from the connection itself closing ({@link LeaveReason#DISCONNECTED}).
     */
    void disconnect(LeaveReason reason);
}
