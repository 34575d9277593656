package io.sfu.core.dtls;

/**
 * Why a DTLS handshake failed: the exception a {@link DtlsEndpoint}'s handshake future completes with, and the
 * cause handed to its close listeners.
 */
public final class DtlsHandshakeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** No alert was involved. */
    public static final short NO_ALERT = -1;

    /** The kinds of failure, so that callers can count and react without parsing messages. */
    public enum Reason {
        /** The handshake did not finish before the deadline. */
        TIMEOUT,
        /** The endpoint was closed before the handshake finished. */
        CLOSED,
        /** The peer's certificate does not match the fingerprint from its SDP (RFC 8122 §5): bad_certificate. */
        FINGERPRINT_MISMATCH,
        /** The peer sent no certificate, which WebRTC requires (RFC 8827 §6.5): handshake_failure. */
        NO_CERTIFICATE,
        /** No SRTP protection profile in common, or no use_srtp at all (RFC 5764 §4.1.1): handshake_failure. */
        NO_COMMON_SRTP_PROFILE,
        /** The peer sent a fatal alert; see {@link #alertDescription()}. */
        ALERT_RECEIVED,
        /** Anything else the DTLS stack rejected; see {@link #alertDescription()} for the alert it sent. */
        PROTOCOL_ERROR,
        /** The executor refused to run the handshake. */
        REJECTED
    }

    private final Reason reason;
    private final short alertDescription;

    DtlsHandshakeException(Reason reason, short alertDescription, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.alertDescription = alertDescription;
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }

    /** The TLS alert description sent or received (RFC 5246 §7.2), or {@link #NO_ALERT}. */
    public short alertDescription() {
        return alertDescription;
    }
}
