package io.sfu.signaling;

import io.sfu.core.session.IceCandidate;
import io.sfu.core.session.LayerPreference;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.MediaSessionListener;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.TrackSource;
import io.sfu.core.session.TrackStats;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the server runs with when no {@link io.sfu.core.session.MediaEngineFactory} is on the class path: rooms and
 * signaling work, and every negotiation is refused (reported to the client as {@code internal}), so nothing
 * pretends that media flows.
 */
final class NoMediaEngine implements MediaEngine {

    /** The failure every negotiation gets; stackless, it says all there is. */
    static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unavailable() {
            super("no media engine is installed");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    public MediaSession createSession(MediaSessionContext context, MediaSessionListener listener) {
        return new MediaSession() {
            @Override
            public CompletionStage<String> onPublisherOffer(String sdp, Map<String, TrackSource> sources) {
                return CompletableFuture.failedFuture(new Unavailable());
            }

            @Override
            public CompletionStage<String> createSubscriberOffer(List<SubscribedTrack> tracks) {
                return CompletableFuture.failedFuture(new Unavailable());
            }

            @Override
            public CompletionStage<Void> onSubscriberAnswer(String sdp) {
                return CompletableFuture.failedFuture(new Unavailable());
            }

            @Override
            public void onRemoteCandidate(PeerConnectionRole pc, IceCandidate candidate) {
            }

            @Override
            public void onTrackMuted(String trackId, boolean muted) {
            }

            @Override
            public void setTrackEnabled(String trackId, boolean enabled) {
            }

            @Override
            public void restartSubscriberIce() {
            }

            @Override
            public void setLayerPreference(String trackId, LayerPreference preference) {
            }

            @Override
            public List<TrackStats> stats() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public InetSocketAddress localAddress() {
        return null;
    }

    @Override
    public void close() {
    }
}
