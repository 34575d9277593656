package io.sfu.signaling.api;

import io.sfu.core.session.Permissions;
import java.time.Instant;

/**
 * Who a WebSocket joins as, decided from its token (or, in dev mode, its query) before the upgrade; the token's
 * {@code jti} and expiry (null for a join without a token) are what a ban of this participant refuses.
 */
record JoinRequest(String room, String identity, Permissions permissions, boolean autoSubscribe,
                   boolean createIfMissing, String tokenId, Instant tokenExpiry) {
}
