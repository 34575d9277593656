package io.sfu.client;

/**
 * Where a {@link ClientPeerConnection}'s transport stands. It moves forward only: NEW → CHECKING (ICE checks sent)
 * → DTLS (ICE answered, handshake running) → CONNECTED (SRTP keys in place), or to FAILED or CLOSED from any state.
 */
public enum ClientState {
    /** No remote description yet. */
    NEW,
    /** ICE connectivity checks are being sent to the remote candidate. */
    CHECKING,
    /** ICE succeeded; the DTLS handshake runs. */
    DTLS,
    /** DTLS completed and the SRTP contexts are ready: media flows. */
    CONNECTED,
    /** ICE or DTLS failed, or consent expired; see {@link ClientPeerConnection#failure()}. Final. */
    FAILED,
    /** Closed by its owner or with its loop. Final. */
    CLOSED;

    /** Whether this state is final. */
    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
