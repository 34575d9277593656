package io.sfu.signaling.auth;

import io.sfu.core.session.Permissions;

/** What a verified access token grants: one identity in one room, with publish and subscribe permissions. */
public record TokenClaims(String room, String identity, boolean canPublish, boolean canSubscribe) {

    public Permissions permissions() {
        return new Permissions(canPublish, canSubscribe);
    }
}
