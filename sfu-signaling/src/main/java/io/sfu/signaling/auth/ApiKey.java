package io.sfu.signaling.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks the {@code Authorization: Bearer <secret>} header of REST calls in constant time: both sides are hashed
 * first, so neither the content nor the length of the secret leaks through timing.
 */
public final class ApiKey {
    private static final String BEARER = "Bearer ";

    private final byte[] secretDigest;

    public ApiKey(String secret) {
        this.secretDigest = sha256(secret);
    }

    /** True when the header carries the secret. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() > 8192
            || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = sha256(authorizationHeader.substring(BEARER.length()).trim());
        return MessageDigest.isEqual(given, secretDigest);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
