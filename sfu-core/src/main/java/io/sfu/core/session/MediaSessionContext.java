package io.sfu.core.session;

import java.util.Objects;

/** Who a {@link MediaSession} is for: the room, the participant's id and identity, and its permissions. */
public record MediaSessionContext(String roomName, String participantId, String identity, Permissions permissions) {

    public MediaSessionContext {
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(permissions, "permissions");
    }
}
