package io.sfu.core.session;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The media side of a cluster: carries tracks between this node's engine and its peer nodes' engines, over one
 * SRTP-protected UDP flow per node pair, so that a track published here crosses once to each node that has
 * subscribers for it, which fans it out locally.
 *
 * <p>The control plane (and the cluster layer beside it) calls these methods on its control thread; none may block.
 * Everything that names a peer, a room or a track it does not know is ignored, never thrown at the caller; so is an
 * export or import with a peer not connected yet ({@link #connectPeer} first), and what is over a bound (peers,
 * tracks per peer): each is counted ({@code relay_refused}, {@code relay_bad_descriptions}).
 */
public interface MediaRelay {

    /**
     * The relay socket's address, which peers send relayed media and feedback to; datagrams from this node come from
     * it too, so a peer's {@link #connectPeer} must be given this address (resolved), not another route to it.
     */
    InetSocketAddress localAddress();

    /**
     * The SRTP master key and salt (AES-128-CM-HMAC-SHA1-80 keying, 30 octets) this node protects what it sends to
     * {@code peerNodeId} with, made at random on the first call and kept until {@link #disconnectPeer}. The peer
     * learns it through the cluster and passes it to its own {@link #connectPeer}.
     */
    byte[] sendingKey(String peerNodeId);

    /**
     * Opens (or updates) the flow to a peer: the address its relay socket listens on, and the key it protects what
     * it sends to this node with (its {@link #sendingKey} for this node).
     */
    void connectPeer(String peerNodeId, InetSocketAddress address, byte[] peerSendingKey);

    /**
     * Tears down the flow to a peer: exports to it stop, and the tracks imported from it lose their producer (their
     * local subscribers stop receiving them). Idempotent.
     */
    void disconnectPeer(String peerNodeId);

    /**
     * What a peer needs in order to import track {@code trackId}, published on this node by {@code publisherId} in
     * {@code roomName}: an opaque, printable description (codecs and payload types, header extensions, the SSRCs
     * the relay sends each encoding with, which stay the same for the track's life). Null when no such track is
     * published here (an imported track is not described again).
     */
    String describe(String roomName, String publisherId, String trackId);

    /**
     * Starts sending a local track to a peer (every encoding, a keyframe requested at once), with NACK/RTX and
     * keyframe requests from the peer answered as for a local subscriber. Idempotent.
     */
    void startExport(String roomName, String publisherId, String trackId, String peerNodeId);

    /** Stops sending a local track to a peer. Idempotent. */
    void stopExport(String roomName, String trackId, String peerNodeId);

    /**
     * Makes a track published on {@code fromNodeId} subscribable here as if {@code publisherId} published it on this
     * node: a producer fed by the flow from that peer, described by the peer's {@link #describe}. Must be called
     * before a subscriber offer that carries the track is created. Idempotent; a different description of the same
     * track (its publisher renegotiated) replaces the producer, and its subscribers carry on at the next keyframe.
     */
    void importTrack(String roomName, String publisherId, Track track, String description, String fromNodeId);

    /** Removes an imported track's producer. Idempotent. */
    void removeImport(String roomName, String trackId);

    /**
     * Counters of the relay, by snake_case name, for the metrics endpoint and the cluster listing: packets and
     * bytes sent to and received from peers, and what was dropped (unknown peer or stream, failed authentication).
     */
    Map<String, Long> counters();

    /**
     * The same counters for the flow with one peer (packets and bytes both ways, drops, tracks exported and
     * imported), for the cluster listing; empty for a peer this node does not know.
     */
    default Map<String, Long> peerCounters(String peerNodeId) {
        return Map.of();
    }
}
