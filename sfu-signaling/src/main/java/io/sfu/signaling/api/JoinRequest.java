package io.sfu.signaling.api;

import io.sfu.core.session.Permissions;

/** Who a WebSocket joins as, decided from its token (or, in dev mode, its query) before the upgrade. */
record JoinRequest(String room, String identity, Permissions permissions, boolean autoSubscribe,
                   boolean createIfMissing) {
}
