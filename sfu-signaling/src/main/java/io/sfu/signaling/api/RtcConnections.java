package io.sfu.signaling.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The open signaling sockets: the housekeeping tick checks each one's liveness, and a kick that bans finds the
 * banned participant's token through its socket. Confined to the control context.
 */
public final class RtcConnections {
    private final Set<RtcConnection> open = new LinkedHashSet<>();

    void add(RtcConnection connection) {
        open.add(connection);
    }

    void remove(RtcConnection connection) {
        open.remove(connection);
    }

    /** The socket of the participant with this id, if it is open. */
    Optional<RtcConnection> ofParticipant(String participantId) {
        for (RtcConnection connection : open) {
            if (connection.participantId().filter(participantId::equals).isPresent()) {
                return Optional.of(connection);
            }
        }
        return Optional.empty();
    }

    /** Pings the sockets that went quiet and closes those that did not answer in time. */
    public void tick(long nowNs) {
        // a socket closed by its tick leaves the set at once
        for (RtcConnection connection : new ArrayList<>(open)) {
            connection.tick(nowNs);
        }
    }
}
