package io.sfu.core.session;

import java.util.List;

/**
 * What the media side reports about one participant. Called from any thread; the control plane hops each call onto
 * its control thread, and ignores calls for a participant that has left.
 */
public interface MediaSessionListener {

    /**
     * The complete set of tracks the participant publishes, after a publisher offer was applied: tracks missing
     * from the previous set are unpublished. Track ids are the engine's and must be unique in the room (see
     * {@link Ids#trackId()}).
     */
    void onPublishedTracks(List<Track> tracks);

    /**
     * The complete set of data tracks the participant publishes (the data channels it opened on its publisher
     * connection, kind {@code DATA}); its media tracks stay as {@link #onPublishedTracks} last reported them.
     */
    default void onDataTracks(List<Track> tracks) {
    }

    /**
     * ICE and DTLS completed on the given peer connection and its SRTP keys are in place, so its media is accepted
     * from now on. Called on a forwarding thread: do not block.
     */
    void onConnected(PeerConnectionRole pc);

    /** ICE consent expired (RFC 7675): the participant is removed from its room. */
    void onConsentExpired();

    /**
     * A peer connection could not be established (its DTLS handshake failed or timed out): the participant is
     * removed from its room. {@code reason} says why, for logs.
     */
    default void onTransportFailed(String reason) {
        onConsentExpired();
    }

    /** The engine's audio-level analysis picked a new dominant speaker in this participant's room. */
    void onDominantSpeaker(String participantId);
}
