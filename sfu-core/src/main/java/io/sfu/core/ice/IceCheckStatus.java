package io.sfu.core.ice;

/** What the ICE-lite responder made of a connectivity check (RFC 8445 §7.3). */
public enum IceCheckStatus {
    /** Authenticated and well-formed: a success response with XOR-MAPPED-ADDRESS was written. */
    VALID,
    /** USERNAME, MESSAGE-INTEGRITY or an ICE attribute was missing: 400 written, nothing else changed. */
    BAD_REQUEST,
    /** Wrong USERNAME or MESSAGE-INTEGRITY: 401 written without integrity, nothing else changed. */
    UNAUTHORIZED,
    /** An unknown comprehension-required attribute: 420 written with UNKNOWN-ATTRIBUTES. */
    UNKNOWN_ATTRIBUTE,
    /** The peer claims the controlled role too (ICE-CONTROLLED): 487 written; a lite agent cannot switch. */
    ROLE_CONFLICT,
    /** Not a Binding request, or a FINGERPRINT that does not match: nothing written, drop it silently. */
    DISCARDED;

    /** Whether a response was written and should be sent back to the source. */
    public boolean hasResponse() {
        return this != DISCARDED;
    }
}
