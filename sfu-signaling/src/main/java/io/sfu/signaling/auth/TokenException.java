package io.sfu.signaling.auth;

/** An access token that does not grant anything: malformed, badly signed, expired or missing a claim. */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public TokenException(String message) {
        super(message, null, false, false);
    }
}
