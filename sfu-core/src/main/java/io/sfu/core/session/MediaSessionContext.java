package io.sfu.core.session;

import java.util.Objects;

/**
 * Who a {@link MediaSession} is for: the room, the participant's id and identity, its permissions, and the room's
 * last-N (the video of how many most recent speakers each subscriber gets; 0: of everyone).
 */
public record MediaSessionContext(String roomName, String participantId, String identity, Permissions permissions,
                                  int lastN) {

    public MediaSessionContext {
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(permissions, "permissions");
        if (lastN < 0) {
            throw new IllegalArgumentException("lastN must not be negative: " + lastN);
        }
    }

    /** A participant of a room without last-N. */
    public MediaSessionContext(String roomName, String participantId, String identity, Permissions permissions) {
        this(roomName, participantId, identity, permissions, 0);
    }
}
