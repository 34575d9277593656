package io.sfu.core.session;

/** Why a participant left its room. */
public enum LeaveReason {
    /** The client said {@code leave}. */
    LEFT,
    /** The client's signaling connection closed. */
    DISCONNECTED,
    /** Removed through the REST API. */
    KICKED,
    /** Its room was deleted. */
    ROOM_DELETED,
    /** Another connection joined the room with the same identity. */
    REPLACED,
    /** The media engine reported that ICE consent expired (RFC 7675). */
    CONSENT_EXPIRED,
    /** The media engine could not establish a peer connection (DTLS failed: wrong fingerprint, timeout). */
    TRANSPORT_FAILED,
    /** The server is shutting down. */
    SHUTDOWN,
    /**
     * It joined but negotiated no media (no publisher offer answered, no subscriber answer applied) within the
     * negotiation deadline, so it gives its room slot back.
     */
    NEGOTIATION_TIMEOUT
}
