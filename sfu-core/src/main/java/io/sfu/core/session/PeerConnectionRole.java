package io.sfu.core.session;

import java.util.Locale;
import java.util.Optional;

/**
 * Which of a participant's two peer connections a signaling message is about: the publisher (the client offers)
 * or the subscriber (the SFU offers).
 */
public enum PeerConnectionRole {
    PUBLISHER,
    SUBSCRIBER;

    /** The name used in the {@code pc} field of signaling messages. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code pc} field; empty for anything else. */
    public static Optional<PeerConnectionRole> fromWireName(String name) {
        for (PeerConnectionRole role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
