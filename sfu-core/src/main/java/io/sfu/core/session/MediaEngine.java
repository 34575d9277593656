package io.sfu.core.session;

import java.net.InetSocketAddress;

/**
 * The seam between the control plane and the media plane (ICE, DTLS, SRTP, forwarding): it creates one
 * {@link MediaSession} per participant. Implementations are found through {@link MediaEngineFactory}.
 *
 * <p>The control plane calls it from its control thread only; it must never block that thread.
 */
public interface MediaEngine extends AutoCloseable {

    /**
     * Creates the media side of a participant that has just joined its room. The listener may be called from any
     * thread until {@link MediaSession#close()} returns.
     */
    MediaSession createSession(MediaSessionContext context, MediaSessionListener listener);

    /** The address the media socket is bound to, for the ready line; null when the engine binds none. */
    InetSocketAddress localAddress();

    /**
     * Engine-wide counters and gauges for the metrics endpoint, by snake_case name (e.g.
     * {@code media_packets_forwarded}); read from the control thread at scrape time, must not block.
     */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /**
     * How participant {@code participantId} reaches the engine's TURN server, with credentials of its own; null
     * when the engine runs none.
     */
    default TurnAccess turnAccess(String participantId) {
        return null;
    }

    /** What the engine's TURN server relayed for {@code participantId} since its first allocation; null: nothing. */
    default TurnRelayed turnRelayed(String participantId) {
        return null;
    }

    /**
     * The engine's relay to peer nodes of a cluster, opened on first call with the relay socket bound to
     * {@code port} (0: any free port) on {@code host}; null when the engine has none.
     */
    default MediaRelay relay(String host, int port) {
        return null;
    }

    /** Releases the media socket and the engine's threads; every session has been closed before. */
    @Override
    void close();
}
