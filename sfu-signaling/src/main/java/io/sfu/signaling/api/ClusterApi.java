package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfu.core.session.Participant;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * What the REST API and the signaling sockets ask of the cluster this server is a node of (none when it runs
 * alone). Called on the control context.
 */
public interface ClusterApi {

    /** This node's id. */
    String nodeId();

    /** A room was created here: the node new clients of it should connect to, as {@code {"id","url"}}. */
    ObjectNode placeRoom(String room);

    /** A room was deleted here through the API: every other node deletes it too. */
    void roomDeleted(String room);

    /** Asks the node a remote participant is connected to to disconnect it (and ban it, with a ban). */
    void kickRemote(Participant remote, Long banSeconds);

    /**
     * The stats of a remote participant, as its own node answers {@code GET .../stats} (the JSON text); fails when
     * that node does not answer in time or no longer has the participant.
     */
    Future<String> remoteStats(Participant remote);

    /** This node banned an identity: every other node bans it too (with the token, if this node knew it). */
    void banned(String room, String identity, long seconds, String tokenId, Instant tokenExpiry);

    /** {@code GET /v1/cluster}: every node, its load and rooms. */
    ObjectNode describe();

    /**
     * The URL of another node clients of a node that shuts down should reconnect to (the least loaded one), or null
     * without another node.
     */
    String reconnectUrl();

    /** The other nodes, {@code [{"id","url"}]}, for {@code joined}. */
    ArrayNode otherNodes();

    /**
     * Completes once this node holds {@code room}, or after a short wait when it does not: a room created through
     * another node a moment ago may not have been heard of here yet, and a join must not be refused (or make the
     * room afresh with default settings) for arriving first. On the control thread.
     */
    Future<Void> roomHeardOf(String room);
}
