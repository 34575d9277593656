package io.sfu.core.negotiation;

import io.sfu.core.sdp.Setup;

/**
 * The SFU's side of the DTLS handshake on one peer connection, decided by {@code a=setup} (RFC 8842 §5): the
 * endpoint whose setup is {@code active} is the DTLS client.
 */
public enum DtlsRole {
    /** The SFU waits for the ClientHello: it wrote {@code a=setup:passive}, or the browser answered {@code active}. */
    SERVER,
    /** The SFU sends the ClientHello: it wrote {@code a=setup:active}, or the browser answered {@code passive}. */
    CLIENT;

    /** @return the {@code a=setup} value the SFU writes in an answer for this role */
    public Setup answerSetup() {
        return this == SERVER ? Setup.PASSIVE : Setup.ACTIVE;
    }
}
