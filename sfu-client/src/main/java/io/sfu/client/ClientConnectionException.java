package io.sfu.client;

import io.sfu.core.dtls.DtlsHandshakeException;

/**
 * Why a {@link ClientPeerConnection} did not reach or left {@link ClientState#CONNECTED}: the exception its
 * {@link ClientPeerConnection#connected()} future fails with.
 */
public final class ClientConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure, so that tests and the load harness can count them without parsing messages. */
    public enum Reason {
        /** No valid answer to the ICE connectivity check after every retransmission. */
        ICE_TIMEOUT,
        /** The remote side answered the check with a STUN error (401 for wrong credentials); see the code. */
        ICE_ERROR_RESPONSE,
        /** Consent freshness checks went unanswered for the consent timeout (RFC 7675). */
        CONSENT_EXPIRED,
        /** The DTLS handshake failed; see {@link #dtlsReason()}. */
        DTLS_FAILED,
        /** The DTLS association was closed by the peer after it was established. */
        DTLS_CLOSED,
        /** The socket failed. */
        IO_ERROR,
        /** The peer connection was closed before it connected. */
        CLOSED,
        /** An unexpected error in the client itself; the message and cause say which. */
        INTERNAL_ERROR
    }

    private final Reason reason;
    private final int stunErrorCode;

    ClientConnectionException(Reason reason, int stunErrorCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.stunErrorCode = stunErrorCode;
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }

    /** The STUN ERROR-CODE of an {@link Reason#ICE_ERROR_RESPONSE} (e.g. 401), else -1. */
    public int stunErrorCode() {
        return stunErrorCode;
    }

    /** For {@link Reason#DTLS_FAILED}: the DTLS stack's classification, else null. */
    public DtlsHandshakeException.Reason dtlsReason() {
        return getCause() instanceof DtlsHandshakeException ? ((DtlsHandshakeException) getCause()).reason() : null;
    }
}
