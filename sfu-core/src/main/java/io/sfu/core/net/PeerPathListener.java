package io.sfu.core.net;

import java.net.InetSocketAddress;

/**
 * Hears which remote addresses ICE vouches for: a transport that keeps state per remote address (an ICE-TCP
 * connection) lives while its path passes checks and ends once ICE forgot the path.
 */
public interface PeerPathListener {
    /** A valid ICE check (or consent refresh) arrived from {@code path}; called on the media receive thread. */
    void onPathValidated(InetSocketAddress path);

    /**
     * No transport uses {@code path} any more (closed, or the path was evicted); called on the receive thread, or on
     * the thread that closes a transport. May come more than once for one path.
     */
    void onPathForgotten(InetSocketAddress path);
}
