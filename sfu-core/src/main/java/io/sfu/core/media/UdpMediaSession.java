package io.sfu.core.media;

import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsResult;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.forward.ConsumerSpec;
import io.sfu.core.forward.ForwardingAgent;
import io.sfu.core.forward.Leg;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.logging.RateLimitedLog;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.ice.IceLiteSession;
import io.sfu.core.negotiation.AnsweredTrack;
import io.sfu.core.negotiation.ForwardedTrack;
import io.sfu.core.negotiation.LocalTransportParams;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.negotiation.NegotiationException;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.negotiation.PublisherAnswer;
import io.sfu.core.negotiation.PublisherNegotiator;
import io.sfu.core.negotiation.RemoteTransportParams;
import io.sfu.core.negotiation.SubscriberNegotiator;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.session.IceCandidate;
import io.sfu.core.session.Ids;
import io.sfu.core.session.LayerPreference;
import io.sfu.core.session.MediaSession;
import io.sfu.core.session.MediaEngineConfig;
import io.sfu.core.session.MediaSessionContext;
import io.sfu.core.session.MediaSessionListener;
import io.sfu.core.session.PeerConnectionRole;
import io.sfu.core.session.SdpRejectedException;
import io.sfu.core.session.SubscribedTrack;
import io.sfu.core.session.Track;
import io.sfu.core.session.TrackKind;
import io.sfu.core.session.TrackSource;
import io.sfu.core.session.TrackStats;
import io.sfu.core.srtp.SrtpContext;
import io.sfu.core.srtp.SrtpProfile;
import io.sfu.core.transport.WebRtcTransport;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The media side of one participant: its publisher and subscriber peer connections on the shared media port, the
 * producers its publisher offers create and the consumers its subscriber answers create. Called on the control
 * thread; the DTLS completions and consent checks arrive on other threads and touch only volatile state or hand
 * over to the agent's command queue.
 */
final class UdpMediaSession implements MediaSession {
    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaSession.class);
    private static final RateLimitedLog ERRORS = new RateLimitedLog(LOG);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UdpMediaEngine engine;
    private final MediaSessionContext context;
    private final MediaSessionListener listener;
    private final ForwardingAgent agent;
    private final PublisherNegotiator negotiator;
    private final SubscriberNegotiator subscriberNegotiator;
    /** The participant's data channels; null when they are disabled. */
    private final DataParticipant data;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final long startedNs = System.nanoTime();

    private volatile Leg publisher;
    private LocalTransportParams publisherLocal;
    private PublisherAnswer lastAnswer;
    /** Published tracks by mid, in offer order. */
    private final Map<String, PublishedState> published = new LinkedHashMap<>();

    private volatile Leg subscriber;
    private LocalTransportParams subscriberLocal;
    /** The next subscriber offer restarts ICE with new local credentials. */
    private boolean subscriberIceRestart;
    /** Subscriptions by track id. */
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    /** A track this participant publishes. */
    private record PublishedState(Track track, PublishedTrack negotiated, TrackCounters counters) {
    }

    /** A track forwarded to this participant, with the SSRCs the SFU picked for it. */
    private static final class Subscription {
        final String trackId;
        final String publisherId;
        final int ssrc;
        final int rtxSsrc;
        final TrackCounters counters = new TrackCounters();
        String consumerId;
        int preferredLayer = Integer.MAX_VALUE;
        int maxTemporalLayer = ConsumerSpec.ALL_TEMPORAL_LAYERS;
        int maxSpatialLayer = ConsumerSpec.ALL_SPATIAL_LAYERS;
        /** A maxHeight for a track of one encoding, which chooses its spatial layers (SVC); 0 for none. */
        int maxSpatialHeight;
        String[] rids = new String[0];
        /** Encodings of the track: by rid, or by SSRC. */
        int layers = 1;
        /** The subscriber turned the track off. */
        boolean disabled;
        /** Holds the track's mirror on this session's agent ({@link AgentBridges#acquire}). */
        boolean bridged;

        Subscription(String trackId, String publisherId, int ssrc, int rtxSsrc) {
            this.trackId = trackId;
            this.publisherId = publisherId;
            this.ssrc = ssrc;
            this.rtxSsrc = rtxSsrc;
        }
    }

    UdpMediaSession(UdpMediaEngine engine, MediaSessionContext context, MediaSessionListener listener) {
        this.engine = engine;
        this.context = context;
        this.listener = listener;
        this.agent = engine.agentForSession(context.roomName());
        MediaEngineConfig.PublisherLimits limits = engine.config.publisherLimits();
        int maxMessageBytes = engine.dataPlane == null ? 0 : engine.config.dataChannels().maxMessageBytes();
        this.negotiator = new PublisherNegotiator(RANDOM, new PublisherNegotiator.Limits(limits.maxMediaSections(),
            limits.maxTracks(), limits.maxRidsPerMediaSection()), maxMessageBytes);
        this.subscriberNegotiator = new SubscriberNegotiator(RANDOM, maxMessageBytes);
        this.data = engine.dataPlane == null ? null : engine.dataPlane.participant(context.participantId(), listener);
        LOG.info("session start {} ({}) in {} on {}", context.participantId(), context.identity(),
            context.roomName(), agent.name());
    }

    MediaSessionContext context() {
        return context;
    }

    /** The forwarding agent this participant's legs live on. */
    ForwardingAgent agent() {
        return agent;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Publisher peer connection

    /**
     * Answers before it builds anything: an offer the negotiator refuses (malformed, or beyond the publisher
     * limits) leaves no transport, credentials or producer behind.
     */
    @Override
    public CompletionStage<String> onPublisherOffer(String sdp, Map<String, TrackSource> sources) {
        try {
            SessionDescription offer = negotiator.parseOffer(sdp);
            boolean iceRestart = lastAnswer != null && PublisherNegotiator.isIceRestart(offer, lastAnswer);
            LocalTransportParams local = publisherLocal == null || iceRestart ? newLocal() : publisherLocal;
            PublisherAnswer answer = negotiator.answer(offer, local, lastAnswer);
            if (publisher == null) {
                publisher = openTransport("pub", local);
            } else if (iceRestart) {
                restartIce(publisher, publisherLocal, local);
            }
            publisherLocal = local;
            applyRemote(publisher, answer.remote(), PeerConnectionRole.PUBLISHER);
            lastAnswer = answer;
            if (data != null && answer.dataChannel() != null) {
                data.negotiated(PeerConnectionRole.PUBLISHER, answer.dataChannel());
            }
            updateProducers(answer.tracks(), sources);
            return CompletableFuture.completedFuture(answer.answer().write());
        } catch (SdpParseException | NegotiationException e) {
            return CompletableFuture.failedFuture(new SdpRejectedException(e.getMessage(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Makes the producers of the negotiated tracks. A track's source is what this offer says for its mid, else what
     * it was, else its kind's default.
     */
    private void updateProducers(List<PublishedTrack> tracks, Map<String, TrackSource> sources) {
        Set<String> seen = new HashSet<>();
        for (PublishedTrack negotiated : tracks) {
            seen.add(negotiated.mid());
            PublishedState previous = published.get(negotiated.mid());
            String trackId = previous != null ? previous.track().id() : Ids.trackId();
            TrackKind kind = negotiated.kind() == MediaKind.AUDIO ? TrackKind.AUDIO : TrackKind.VIDEO;
            boolean muted = previous != null && previous.track().muted();
            TrackSource source = sources.getOrDefault(negotiated.mid(),
                previous != null ? previous.track().source() : TrackSource.defaultFor(kind));
            Track track = new Track(trackId, kind, negotiated.mid(), negotiated.rids(), muted, source);
            TrackCounters counters = previous != null ? previous.counters() : new TrackCounters();
            boolean screen = kind == TrackKind.VIDEO && source == TrackSource.SCREEN;
            if (previous == null || !previous.negotiated().equals(negotiated) || previous.track().source() != source) {
                agent.addProducer(publisher, ForwardingSpecs.producer(trackId, context.participantId(),
                    context.roomName(), negotiated, screen, counters));
                if (muted) {
                    agent.setProducerMuted(publisher, trackId, true);
                }
            }
            published.put(negotiated.mid(), new PublishedState(track, negotiated, counters));
            PublishedTrackInfo info = new PublishedTrackInfo(trackId, context.participantId(), negotiated, agent,
                screen);
            engine.publish(info);
            ForwardingAgent home = engine.agentFor(context.roomName());
            if (previous == null && kind == TrackKind.AUDIO && home != agent) {
                // the room's home agent elects its speaker: it hears every voice, whoever subscribes there
                engine.bridges.acquire(context.roomName(), info, home);
            }
        }
        for (var it = published.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!seen.contains(entry.getKey())) {
                String trackId = entry.getValue().track().id();
                agent.removeProducer(publisher, trackId);
                engine.published.remove(trackId);
                engine.onUnpublished(trackId);
                it.remove();
            }
        }
        agent.extensionIds(publisher, ForwardingSpecs.receiveExtensionIds(tracks));
        List<Track> all = new ArrayList<>();
        for (PublishedState state : published.values()) {
            all.add(state.track());
        }
        listener.onPublishedTracks(all);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Subscriber peer connection

    @Override
    public CompletionStage<String> createSubscriberOffer(List<SubscribedTrack> tracks) {
        try {
            if (subscriber == null) {
                subscriberLocal = newLocal();
                subscriber = openTransport("sub", subscriberLocal);
            } else if (subscriberIceRestart) {
                LocalTransportParams fresh = newLocal();
                restartIce(subscriber, subscriberLocal, fresh);
                subscriberLocal = fresh;
            }
            subscriberIceRestart = false;
            List<ForwardedTrack> forwarded = new ArrayList<>();
            Set<String> wanted = new HashSet<>();
            for (SubscribedTrack wantedTrack : tracks) {
                PublishedTrackInfo info = engine.published.get(wantedTrack.track().id());
                if (info == null) {
                    continue;
                }
                wanted.add(info.trackId());
                Subscription subscription = subscriptions.computeIfAbsent(info.trackId(), id ->
                    new Subscription(id, info.participantId(), randomSsrc(),
                        info.negotiated().kind() == MediaKind.VIDEO ? randomSsrc() : 0));
                boolean rtx = subscription.rtxSsrc != 0 && info.negotiated().codecs().stream()
                    .anyMatch(NegotiatedCodec::hasRtx);
                forwarded.add(new ForwardedTrack(info.trackId(), info.participantId(), info.trackId(),
                    info.negotiated().kind(), info.negotiated().codecs(), subscription.ssrc,
                    rtx ? subscription.rtxSsrc : 0, info.participantId()));
            }
            SessionDescription offer = subscriberNegotiator.createOffer(forwarded, subscriberLocal);
            // subscriptions that are no longer wanted stop now; new ones start when the answer arrives
            for (var it = subscriptions.values().iterator(); it.hasNext(); ) {
                Subscription subscription = it.next();
                if (!wanted.contains(subscription.trackId)) {
                    stopConsumer(subscription);
                    it.remove();
                }
            }
            return CompletableFuture.completedFuture(offer.write());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void restartSubscriberIce() {
        subscriberIceRestart = true;
    }

    @Override
    public CompletionStage<Void> onSubscriberAnswer(String sdp) {
        try {
            var result = subscriberNegotiator.applyAnswer(sdp);
            applyRemote(subscriber, result.remote(), PeerConnectionRole.SUBSCRIBER);
            if (data != null) {
                subscriberNegotiator.dataChannel().ifPresent(p -> data.negotiated(PeerConnectionRole.SUBSCRIBER, p));
            }
            for (Subscription subscription : subscriptions.values()) {
                var answered = subscriberNegotiator.track(subscription.trackId);
                PublishedTrackInfo info = engine.published.get(subscription.trackId);
                if (answered.isEmpty() || !answered.get().isActive() || info == null) {
                    stopConsumer(subscription);
                    continue;
                }
                startConsumer(subscription, answered.get(), info);
            }
            return CompletableFuture.completedFuture(null);
        } catch (SdpParseException | NegotiationException e) {
            // the offer stays outstanding (JSEP: have-local-offer), as the control plane expects: a corrected
            // answer may follow
            return CompletableFuture.failedFuture(new SdpRejectedException(e.getMessage(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void startConsumer(Subscription subscription, AnsweredTrack answered,
                               PublishedTrackInfo published) {
        PublishedTrackInfo info = published;
        if (published.agent() != agent) {
            // the track is forwarded by another agent (a room spread over several): here it comes from a mirror
            info = engine.bridges.acquire(context.roomName(), published, agent);
            if (info == null) {
                ERRORS.warn("unbridged", "{}: track {} cannot be mirrored onto {}; not forwarded",
                    context.participantId(), subscription.trackId, agent.name());
                return;
            }
            if (subscription.bridged) {
                engine.bridges.release(subscription.trackId, agent);
            }
            subscription.bridged = true;
        }
        subscription.rids = info.negotiated().rids().toArray(new String[0]);
        subscription.layers = info.negotiated().layerCount();
        String consumerId = context.participantId() + "/" + subscription.trackId;
        ConsumerSpec spec = ForwardingSpecs.consumer(consumerId, subscription.trackId, subscription.ssrc,
            info.negotiated(), answered, subscription.preferredLayer, subscription.maxTemporalLayer,
            subscription.maxSpatialLayer, subscription.maxSpatialHeight, subscription.counters);
        subscription.consumerId = consumerId;
        agent.addConsumer(subscriber, spec);
        if (subscription.disabled) {
            agent.setConsumerPaused(subscriber, consumerId, true);
        }
    }

    private void stopConsumer(Subscription subscription) {
        if (subscription.consumerId != null) {
            agent.removeConsumer(subscriber, subscription.consumerId);
            subscription.consumerId = null;
        }
        if (subscription.bridged) {
            subscription.bridged = false;
            engine.bridges.release(subscription.trackId, agent);
        }
    }

    private static int randomSsrc() {
        int ssrc;
        do {
            ssrc = RANDOM.nextInt();
        } while (ssrc == 0);
        return ssrc;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transports

    private LocalTransportParams newLocal() {
        IceCredentials credentials = IceCredentials.random(RANDOM);
        return LocalTransportParams.of(credentials.ufrag(), credentials.pwd(), engine.certificate.fingerprint(),
            engine.announced, engine.tcpPort());
    }

    private Leg openTransport(String role, LocalTransportParams local) {
        IceCredentials credentials = IceCredentials.of(local.iceUfrag(), local.icePwd());
        IceLiteSession ice = new IceLiteSession(credentials, SystemNanoClock.INSTANCE,
            engine.config.consentTimeout().toNanos());
        WebRtcTransport transport = new WebRtcTransport(context.participantId() + "-" + role, ice);
        Leg leg = agent.openLeg(transport, context.roomName(), context.participantId(), randomSsrc());
        if (context.lastN() > 0) {
            agent.setLastN(leg, context.lastN());
        }
        engine.demultiplexer.register(local.iceUfrag(), transport);
        return leg;
    }

    /** New local ICE credentials for a restart (RFC 8445 §9); the old ufrag stops resolving. */
    private void restartIce(Leg leg, LocalTransportParams old, LocalTransportParams fresh) {
        WebRtcTransport transport = leg.transport();
        engine.demultiplexer.unregister(old.iceUfrag(), transport);
        IceCredentials credentials = IceCredentials.of(fresh.iceUfrag(), fresh.icePwd());
        engine.demultiplexer.execute(() -> transport.ice().restart(credentials, null));
        engine.demultiplexer.register(fresh.iceUfrag(), transport);
    }

    private void applyRemote(Leg leg, RemoteTransportParams remote, PeerConnectionRole role) {
        WebRtcTransport transport = leg.transport();
        IceCredentials remoteCredentials = IceCredentials.of(remote.iceUfrag(), remote.icePwd());
        engine.demultiplexer.execute(() -> transport.ice().remoteCredentials(remoteCredentials));
        if (transport.dtls() != null) {
            return;
        }
        // the negotiator refused a description without one the DTLS layer can check
        List<DtlsFingerprint> fingerprints = remote.dtlsFingerprints();
        DtlsRole dtlsRole = remote.localDtlsRole();
        DtlsEndpoint endpoint = new DtlsEndpoint(dtlsRole, engine.certificate, fingerprints,
            (data, offset, length) -> {
                InetSocketAddress target = transport.selectedPath();
                if (target != null) {
                    engine.output.send(ByteBuffer.wrap(data, offset, length), target);
                }
            }, engine.dtlsExecutor, engine.dtlsConfig);
        endpoint.handshakeFuture().whenComplete((result, failure) -> {
            if (failure != null) {
                onTransportFailed(role, failure);
            } else {
                onDtlsConnected(leg, role, result);
            }
        });
        // the transport starts the handshake at the peer's first record (or, as DTLS client, once ICE found a path)
        transport.dtls(endpoint);
    }

    private void onDtlsConnected(Leg leg, PeerConnectionRole role, DtlsResult result) {
        if (closed.get()) {
            return;
        }
        SrtpProfile profile = SrtpProfile.fromId(result.srtpProfileId());
        SrtpContext receive = SrtpContext.forReceiving(profile, result.remoteMasterKey(), result.remoteMasterSalt());
        SrtpContext send = SrtpContext.forSending(profile, result.localMasterKey(), result.localMasterSalt());
        if (data != null) {
            data.connected(role, DataTransport.of(leg.transport().dtls()));
        }
        LOG.info("{} {} connected: {} from {}", context.participantId(), role, profile,
            leg.transport().selectedPath());
        // told once the agent holds the keys: the peer's media is accepted from then on, not dropped as not ready
        agent.installKeys(leg, receive, send, () -> listener.onConnected(role));
    }

    private void onTransportFailed(PeerConnectionRole role, Throwable failure) {
        if (closed.get()) {
            return;
        }
        LOG.info("{} {} transport failed: {}", context.participantId(), role, failure.toString());
        if (failed.compareAndSet(false, true)) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            listener.onTransportFailed(role.name().toLowerCase(java.util.Locale.ROOT) + ": " + cause.getMessage());
        }
    }

    /**
     * Called by the engine's timer: a transport that hears no valid ICE check for the consent timeout (RFC 7675) is
     * closed, with the participant. A transport counts once its remote description is applied (its DTLS endpoint
     * exists): a subscriber offer the client has not answered yet does not expire anyone. A transport whose peer
     * keeps ICE alive but has not started DTLS within the same timeout fails as a handshake would.
     */
    void checkConsent(long nowNs) {
        if (closed.get()) {
            return;
        }
        long timeoutNs = engine.config.consentTimeout().toNanos();
        for (PeerConnectionRole role : PeerConnectionRole.values()) {
            Leg leg = role == PeerConnectionRole.PUBLISHER ? publisher : subscriber;
            WebRtcTransport transport = leg == null ? null : leg.transport();
            DtlsEndpoint dtls = transport == null ? null : transport.dtls();
            if (dtls == null) {
                continue;
            }
            if (nowNs - transport.lastConsentNs() > timeoutNs) {
                LOG.info("{}: ICE consent expired on {}", context.participantId(), transport);
                if (failed.compareAndSet(false, true)) {
                    listener.onConsentExpired();
                }
                return;
            }
            if (dtls.state() == DtlsEndpoint.State.NEW && nowNs - transport.dtlsInstalledNs() > timeoutNs) {
                onTransportFailed(role, new java.util.concurrent.TimeoutException("the peer did not start DTLS within "
                    + engine.config.consentTimeout().toSeconds() + " s"));
                dtls.close();
                return;
            }
        }
    }

    void reportDominantSpeaker(String participantId) {
        if (!closed.get()) {
            listener.onDominantSpeaker(participantId);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Everything else

    @Override
    public void onRemoteCandidate(PeerConnectionRole pc, IceCandidate candidate) {
        // ICE-lite: the peer's checks reveal its addresses; trickled candidates are not needed
    }

    @Override
    public void onTrackMuted(String trackId, boolean muted) {
        for (var entry : published.entrySet()) {
            PublishedState state = entry.getValue();
            if (state.track().id().equals(trackId)) {
                entry.setValue(new PublishedState(state.track().withMuted(muted), state.negotiated(),
                    state.counters()));
                agent.setProducerMuted(publisher, trackId, muted);
                engine.bridges.onMuted(trackId, muted);
            }
        }
    }

    @Override
    public void setLayerPreference(String trackId, LayerPreference preference) {
        Subscription subscription = subscriptions.get(trackId);
        if (subscription == null) {
            return;
        }
        if (preference.maxTemporalLayer() != null) {
            subscription.maxTemporalLayer = preference.maxTemporalLayer();
            if (subscription.consumerId != null) {
                agent.setMaxTemporalLayer(subscriber, subscription.consumerId, subscription.maxTemporalLayer);
            }
        }
        if (preference.maxSpatialLayer() != null || preference.maxHeight() != null && subscription.layers == 1) {
            // a maxHeight of a track of one encoding can only mean its spatial layers
            subscription.maxSpatialLayer = preference.maxSpatialLayer() != null ? preference.maxSpatialLayer()
                : ConsumerSpec.ALL_SPATIAL_LAYERS;
            subscription.maxSpatialHeight = preference.maxSpatialLayer() != null ? 0 : preference.maxHeight();
            if (subscription.consumerId != null) {
                agent.setMaxSpatialLayer(subscriber, subscription.consumerId, subscription.maxSpatialLayer,
                    subscription.maxSpatialHeight);
            }
        }
        if (!preference.namesSimulcastLayer()) {
            return;
        }
        int layer = Integer.MAX_VALUE;
        if (preference.rid() != null) {
            int index = Arrays.asList(subscription.rids).indexOf(preference.rid());
            layer = index >= 0 ? index : Integer.MAX_VALUE;
        } else if (preference.maxHeight() != null && subscription.layers > 1) {
            layer = SimulcastLayers.layerForMaxHeight(subscription.layers, preference.maxHeight());
        }
        subscription.preferredLayer = layer;
        if (subscription.consumerId != null) {
            agent.setPreferredLayer(subscriber, subscription.consumerId, layer);
        }
    }

    @Override
    public void setTrackEnabled(String trackId, boolean enabled) {
        Subscription subscription = subscriptions.get(trackId);
        if (subscription == null || subscription.disabled == !enabled) {
            return;
        }
        subscription.disabled = !enabled;
        if (subscription.consumerId != null) {
            agent.setConsumerPaused(subscriber, subscription.consumerId, !enabled);
        }
    }

    @Override
    public void setDataSubscriptions(List<SubscribedTrack> tracks) {
        if (data != null) {
            data.subscribe(tracks);
        }
    }

    @Override
    public void sendServerData(String label, boolean binary, byte[] payload) {
        if (data != null) {
            data.sendServer(label, binary, payload);
        }
    }

    @Override
    public List<TrackStats> stats() {
        List<TrackStats> stats = new ArrayList<>();
        for (PublishedState state : published.values()) {
            TrackCounters c = state.counters();
            stats.add(new TrackStats(state.track().id(), TrackStats.Direction.PUBLISHED, c.packets(), c.bytes(),
                c.lost(), c.nacks(), c.plis(), c.bitrateBps(), rid(state.negotiated().rids(), c.layer()), 0, 0, 0, 0,
                c.temporalLayer()));
        }
        for (Subscription subscription : subscriptions.values()) {
            TrackCounters c = subscription.counters;
            stats.add(new TrackStats(subscription.trackId, TrackStats.Direction.SUBSCRIBED, c.packets(), c.bytes(),
                c.lost(), c.nacks(), c.plis(), c.bitrateBps(), rid(Arrays.asList(subscription.rids), c.layer()),
                c.dropped(), c.retransmitted(), c.retransmitsRefused(), c.downlinkEstimateBps(), c.temporalLayer(),
                rid(Arrays.asList(subscription.rids), c.targetLayer()), c.allocatedBps(), c.spatialLayer()));
        }
        return stats;
    }

    private static String rid(List<String> rids, int layer) {
        return layer >= 0 && layer < rids.size() ? rids.get(layer) : null;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long packetsIn = 0;
        long bytesIn = 0;
        for (PublishedState state : published.values()) {
            engine.published.remove(state.track().id());
            engine.onUnpublished(state.track().id());
            packetsIn += state.counters().packets();
            bytesIn += state.counters().bytes();
        }
        long packetsOut = 0;
        long bytesOut = 0;
        for (Subscription subscription : subscriptions.values()) {
            stopConsumer(subscription);
            packetsOut += subscription.counters.packets();
            bytesOut += subscription.counters.bytes();
        }
        if (data != null) {
            data.close();
        }
        closeTransport(publisher, publisherLocal);
        closeTransport(subscriber, subscriberLocal);
        engine.onSessionClosed(this);
        LOG.info("session end {} ({}) in {}: {} s, published {} tracks ({} packets, {} bytes in), received {} "
                + "tracks ({} packets, {} bytes out)", context.participantId(), context.identity(),
            context.roomName(), (System.nanoTime() - startedNs) / 1_000_000_000L, published.size(), packetsIn,
            bytesIn, subscriptions.size(), packetsOut, bytesOut);
    }

    private void closeTransport(Leg leg, LocalTransportParams local) {
        if (leg == null) {
            return;
        }
        WebRtcTransport transport = leg.transport();
        transport.close();
        engine.demultiplexer.unregister(local.iceUfrag(), transport);
        engine.demultiplexer.forget(transport);
        agent.closeLeg(leg);
    }
}
