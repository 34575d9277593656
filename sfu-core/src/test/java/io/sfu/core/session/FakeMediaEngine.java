package io.sfu.core.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Test fixture: a stand-in for the media seam that moves no media. It accepts any text starting with {@code v=0}
 * as SDP (anything else is rejected with {@link SdpRejectedException}), reads the m-lines, mids and rids of a
 * publisher offer into tracks, answers with a canned SDP and records every call, so control-plane and signaling
 * tests can drive negotiation without ICE or DTLS.
 */
public final class FakeMediaEngine implements MediaEngine {
    /** Every canned answer starts with this, so tests can recognise it. */
    public static final String ANSWER_MARKER = "s=fake-answer";
    public static final String OFFER_MARKER = "s=fake-subscriber-offer";

    private final Executor callbacks;
    private final Map<String, FakeSession> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param callbacks where listener calls run: inline for unit tests, another thread to exercise hopping */
    public FakeMediaEngine(Executor callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public MediaSession createSession(MediaSessionContext context, MediaSessionListener listener) {
        FakeSession session = new FakeSession(context, listener);
        sessions.put(context.participantId(), session);
        return session;
    }

    @Override
    public InetSocketAddress localAddress() {
        return null;
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The session of a participant, by its id. */
    public FakeSession session(String participantId) {
        FakeSession session = sessions.get(participantId);
        if (session == null) {
            throw new IllegalArgumentException("no session for " + participantId);
        }
        return session;
    }

    public List<FakeSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** A minimal offer with one m-section per kind given ("audio", "video"), mids 0, 1, ... */
    public static String offer(String... kinds) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (int i = 0; i < kinds.length; i++) {
            sdp.append("m=").append(kinds[i]).append(" 9 UDP/TLS/RTP/SAVPF 96\r\n").append("a=mid:").append(i)
                .append("\r\n");
        }
        return sdp.toString();
    }

    /** The media side of one participant, with everything it was told. */
    /** A backend message as a session received it. */
    public record ServerData(String label, boolean binary, byte[] payload) {
    }

    public final class FakeSession implements MediaSession {
        private final MediaSessionContext context;
        private final MediaSessionListener listener;
        private final Map<String, String> trackIdsByMid = new ConcurrentHashMap<>();
        private final List<List<SubscribedTrack>> subscriberOffers = new CopyOnWriteArrayList<>();
        private final List<String> subscriberAnswers = new CopyOnWriteArrayList<>();
        private final List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
        private final Map<String, LayerPreference> layers = new ConcurrentHashMap<>();
        private final Map<String, Boolean> enabledTracks = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger iceRestarts = new java.util.concurrent.atomic.AtomicInteger();
        private final Map<String, Boolean> mutes = new ConcurrentHashMap<>();
        private volatile List<TrackStats> stats = List.of();
        private volatile boolean sessionClosed;
        private final List<ServerData> serverData = new CopyOnWriteArrayList<>();
        private volatile List<SubscribedTrack> dataSubscriptions = List.of();

        FakeSession(MediaSessionContext context, MediaSessionListener listener) {
            this.context = context;
            this.listener = listener;
        }

        public MediaSessionContext context() {
            return context;
        }

        @Override
        public CompletionStage<String> onPublisherOffer(String sdp, Map<String, TrackSource> sources) {
            if (!sdp.startsWith("v=0")) {
                return CompletableFuture.failedFuture(new SdpRejectedException("not an SDP: it must start with v=0"));
            }
            // as the contract asks: the offer's tracks are reported before the answer stage completes
            listener.onPublishedTracks(tracksOf(sdp, sources));
            return CompletableFuture.completedFuture(
                "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n" + ANSWER_MARKER + "\r\nt=0 0\r\na=ice-lite\r\n");
        }

        @Override
        public void restartSubscriberIce() {
            iceRestarts.incrementAndGet();
        }

        /** How often the client asked to restart ICE on its subscriber connection. */
        public int iceRestarts() {
            return iceRestarts.get();
        }

        @Override
        public CompletionStage<String> createSubscriberOffer(List<SubscribedTrack> tracks) {
            subscriberOffers.add(List.copyOf(tracks));
            StringBuilder sdp = new StringBuilder("v=0\r\no=- 3 3 IN IP4 127.0.0.1\r\n" + OFFER_MARKER
                + "\r\nt=0 0\r\na=ice-lite\r\n");
            for (SubscribedTrack t : tracks) {
                sdp.append("m=").append(t.track().kind().wireName()).append(" 9 UDP/TLS/RTP/SAVPF 96\r\n")
                    .append("a=msid:").append(t.publisherId()).append(' ').append(t.track().id()).append("\r\n");
            }
            return CompletableFuture.completedFuture(sdp.toString());
        }

        @Override
        public CompletionStage<Void> onSubscriberAnswer(String sdp) {
            if (!sdp.startsWith("v=0")) {
                return CompletableFuture.failedFuture(new SdpRejectedException("not an SDP: it must start with v=0"));
            }
            subscriberAnswers.add(sdp);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onRemoteCandidate(PeerConnectionRole pc, IceCandidate candidate) {
            candidates.add(candidate);
        }

        @Override
        public void onTrackMuted(String trackId, boolean muted) {
            mutes.put(trackId, muted);
        }

        @Override
        public void setLayerPreference(String trackId, LayerPreference preference) {
            layers.put(trackId, preference);
        }

        @Override
        public void setTrackEnabled(String trackId, boolean enabled) {
            enabledTracks.put(trackId, enabled);
        }

        @Override
        public List<TrackStats> stats() {
            return stats;
        }

        @Override
        public void setDataSubscriptions(List<SubscribedTrack> tracks) {
            dataSubscriptions = List.copyOf(tracks);
        }

        @Override
        public void sendServerData(String label, boolean binary, byte[] payload) {
            serverData.add(new ServerData(label, binary, payload.clone()));
        }

        /** The backend messages handed to this session, in order. */
        public List<ServerData> serverData() {
            return List.copyOf(serverData);
        }

        /** The data tracks the control plane last asked to relay to this participant. */
        public List<SubscribedTrack> dataSubscriptions() {
            return dataSubscriptions;
        }

        /** Reports the participant's data tracks, as the engine's data plane would. */
        public void reportDataTracks(List<Track> tracks) {
            callbacks.execute(() -> listener.onDataTracks(tracks));
        }

        @Override
        public void close() {
            sessionClosed = true;
        }

        public boolean isClosed() {
            return sessionClosed;
        }

        public List<List<SubscribedTrack>> subscriberOffers() {
            return List.copyOf(subscriberOffers);
        }

        public List<String> subscriberAnswers() {
            return List.copyOf(subscriberAnswers);
        }

        public List<IceCandidate> candidates() {
            return List.copyOf(candidates);
        }

        public Map<String, LayerPreference> layers() {
            return Map.copyOf(layers);
        }

        /** What {@code setTrackEnabled} was last told per track. */
        public Map<String, Boolean> enabledTracks() {
            return Map.copyOf(enabledTracks);
        }

        public Map<String, Boolean> mutes() {
            return Map.copyOf(mutes);
        }

        public void setStats(List<TrackStats> newStats) {
            stats = List.copyOf(newStats);
        }

        /** Reports expired ICE consent, from the engine's callback executor. */
        public void expireConsent() {
            callbacks.execute(listener::onConsentExpired);
        }

        public void reportDominantSpeaker(String participantId) {
            callbacks.execute(() -> listener.onDominantSpeaker(participantId));
        }

        /** Reports a track set directly, as an engine would after an offer (e.g. with colliding ids). */
        public void reportTracks(List<Track> tracks) {
            callbacks.execute(() -> listener.onPublishedTracks(tracks));
        }

        private List<Track> tracksOf(String sdp, Map<String, TrackSource> sources) {
            List<Track> tracks = new ArrayList<>();
            TrackKind kind = null;
            String mid = null;
            List<String> rids = new ArrayList<>();
            for (String line : (sdp + "\nm=end").split("\r?\n")) {
                if (line.startsWith("m=")) {
                    if (kind != null && mid != null) {
                        String id = trackIdsByMid.computeIfAbsent(mid, m -> Ids.trackId());
                        tracks.add(new Track(id, kind, mid, rids, false,
                            sources.getOrDefault(mid, TrackSource.defaultFor(kind))));
                    }
                    kind = line.startsWith("m=audio") ? TrackKind.AUDIO
                        : line.startsWith("m=video") ? TrackKind.VIDEO : null;
                    mid = null;
                    rids = new ArrayList<>();
                } else if (line.startsWith("a=mid:")) {
                    mid = line.substring(6).trim();
                } else if (line.startsWith("a=rid:")) {
                    rids.add(line.substring(6).split(" ")[0]);
                }
            }
            return tracks;
        }
    }
}
