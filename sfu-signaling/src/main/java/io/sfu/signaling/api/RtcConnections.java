package io.sfu.signaling.api;

import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The open signaling sockets: the housekeeping tick checks each one's liveness, a kick that bans finds the banned
 * participant's token through its socket, and a closed socket gives its connection's place back to the
 * {@link ConnectionLimiter}. Confined to the control context.
 */
public final class RtcConnections {
    private final ConnectionLimiter limiter;
    /** Each open socket with what frees its connection's place. */
    private final Map<RtcConnection, Runnable> open = new LinkedHashMap<>();
    private ClusterApi cluster;

    public RtcConnections(ConnectionLimiter limiter) {
        this.limiter = limiter;
    }

    /** The cluster this server is a node of: {@code joined} names the other nodes, a shutdown where to go. */
    public void cluster(ClusterApi clusterApi) {
        this.cluster = clusterApi;
    }

    /** The cluster, or null when the server runs alone. */
    ClusterApi cluster() {
        return cluster;
    }

    /** A socket upgraded from this HTTP connection; its place is freed when the socket is removed. */
    void add(RtcConnection connection, HttpConnection upgradedFrom) {
        open.put(connection, limiter.releaseOf(upgradedFrom));
    }

    void remove(RtcConnection connection) {
        Runnable release = open.remove(connection);
        if (release != null) {
            release.run();
        }
    }

    /** The socket of the participant with this id, if it is open. */
    Optional<RtcConnection> ofParticipant(String participantId) {
        for (RtcConnection connection : open.keySet()) {
            if (connection.participantId().filter(participantId::equals).isPresent()) {
                return Optional.of(connection);
            }
        }
        return Optional.empty();
    }

    /** Pings the sockets that went quiet and closes those that did not answer in time. */
    public void tick(long nowNs) {
        // a socket closed by its tick leaves the set at once
        for (RtcConnection connection : new ArrayList<>(open.keySet())) {
            connection.tick(nowNs);
        }
    }
}
