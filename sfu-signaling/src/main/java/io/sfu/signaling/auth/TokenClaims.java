package io.sfu.signaling.auth;

import io.sfu.core.session.Permissions;
import java.time.Instant;

/**
 * What a verified access token grants: one identity in one room, with publish and subscribe permissions; its
 * {@code jti} and expiry let a ban refuse this very token until it expires.
 */
public record TokenClaims(String room, String identity, boolean canPublish, boolean canSubscribe, String tokenId,
                          Instant expiresAt) {

    public Permissions permissions() {
        return new Permissions(canPublish, canSubscribe);
    }
}
