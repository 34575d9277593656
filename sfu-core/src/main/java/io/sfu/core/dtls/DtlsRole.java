package io.sfu.core.dtls;

/**
 * Which side of the DTLS handshake this endpoint plays. The SDP a=setup attribute decides it (RFC 8842 §5):
 * the side that is "active" sends the ClientHello.
 */
public enum DtlsRole {
    /** Waits for the ClientHello: local a=setup:passive, the SFU's usual answer to a browser's actpass offer. */
    SERVER,
    /** Sends the ClientHello: local a=setup:active. */
    CLIENT;

    /**
     * The role for the local endpoint's own negotiated a=setup value ("active" or "passive", case-insensitive).
     * "actpass" is an offer, not a negotiated role, and is rejected like any other value with
     * {@link IllegalArgumentException}.
     */
    public static DtlsRole ofLocalSetup(String setup) {
        if ("passive".equalsIgnoreCase(setup)) {
            return SERVER;
        }
        if ("active".equalsIgnoreCase(setup)) {
            return CLIENT;
        }
        throw new IllegalArgumentException("a=setup must be active or passive once negotiated: " + setup);
    }
}
