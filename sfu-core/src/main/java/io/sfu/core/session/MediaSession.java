package io.sfu.core.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The media side of one participant: its publisher and subscriber peer connections (one ICE/DTLS/SRTP transport
 * each), the tracks it publishes and the tracks forwarded to it.
 *
 * <p>The control plane calls these methods from its control thread only, one negotiation at a time per peer
 * connection; none may block. Returned stages may complete on any thread. A stage that fails because of the remote
 * SDP fails with {@link SdpRejectedException}; any other failure is reported to the client as {@code internal}.
 */
public interface MediaSession {

    /**
     * Applies a publisher offer (first publish or renegotiation) and yields the complete answer SDP: ICE-lite at
     * session level, BUNDLE, rtcp-mux, the engine's fingerprint, its host candidate(s) and end-of-candidates. The
     * tracks the offer carries are reported through {@link MediaSessionListener#onPublishedTracks} before the
     * returned stage completes, so that the room shows them to anyone who reads it after the answer was sent.
     * {@code sources} says what the tracks of some mids carry; the others carry their kind's
     * {@link TrackSource#defaultFor default}.
     */
    CompletionStage<String> onPublisherOffer(String sdp, Map<String, TrackSource> sources);

    /** {@link #onPublisherOffer(String, Map)} with every track of its kind's default source. */
    default CompletionStage<String> onPublisherOffer(String sdp) {
        return onPublisherOffer(sdp, Map.of());
    }

    /**
     * Yields a complete subscriber offer that forwards exactly {@code tracks} (msid {@code <publisherId> <trackId>}).
     * The control plane sends one offer at a time: the next only after {@link #onSubscriberAnswer} succeeded.
     */
    CompletionStage<String> createSubscriberOffer(List<SubscribedTrack> tracks);

    /**
     * The client asked to restart ICE on its subscriber connection (RFC 8445 §9): the next subscriber offer carries
     * new local ICE credentials, which the transport takes from then on; DTLS and the media carry on.
     */
    void restartSubscriberIce();

    /** Applies the client's answer to the last subscriber offer. */
    CompletionStage<Void> onSubscriberAnswer(String sdp);

    /** A candidate trickled by the client; the engine ignores what it cannot use (TCP, end-of-candidates, ...). */
    void onRemoteCandidate(PeerConnectionRole pc, IceCandidate candidate);

    /** The publisher muted or unmuted one of its tracks (the engine may stop forwarding it). */
    void onTrackMuted(String trackId, boolean muted);

    /** The subscriber's simulcast preference for a track forwarded to it. */
    void setLayerPreference(String trackId, LayerPreference preference);

    /**
     * The subscriber turned a track forwarded to it off (nothing is forwarded, the subscription stays) or on again
     * (forwarding resumes at a keyframe).
     */
    void setTrackEnabled(String trackId, boolean enabled);

    /**
     * The data tracks to relay to this participant now (its subscriber connection's channels labelled
     * {@code <publisherId>:<label>}): channels of tracks no longer listed close, new ones open once the subscriber
     * connection's association is up. Data tracks never change the subscriber offers.
     */
    default void setDataSubscriptions(List<SubscribedTrack> tracks) {
    }

    /**
     * Sends one message from the backend on the subscriber connection's channel {@code server:<label>} (reliable,
     * ordered; opened on first use). Dropped (and counted) when the participant has no data channel association.
     */
    default void sendServerData(String label, boolean binary, byte[] payload) {
    }

    /** A snapshot of the counters of every track this participant publishes or receives. Must not block. */
    List<TrackStats> stats();

    /** Releases the transports and the forwarding state; no listener call follows its return. Idempotent. */
    void close();
}
