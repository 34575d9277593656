package io.sfu.core.session;

import java.util.Objects;

/**
 * The channel of a data track as its publisher opened it (RFC 8832): label, subprotocol, ordering and partial
 * reliability, which the channels relaying it to subscribers copy.
 *
 * @param maxRetransmits    -1: not limited
 * @param maxPacketLifeTime milliseconds; -1: not limited
 */
public record DataTrackInfo(String label, String protocol, boolean ordered, int maxRetransmits,
                            int maxPacketLifeTime) {

    public DataTrackInfo {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** Whether every message is delivered (no retransmission or lifetime limit). */
    public boolean reliable() {
        return maxRetransmits < 0 && maxPacketLifeTime < 0;
    }
}
