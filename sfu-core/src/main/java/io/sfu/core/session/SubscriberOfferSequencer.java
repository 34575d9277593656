package io.sfu.core.session;

import java.util.List;

/**
 * Sequences the offers of one subscriber peer connection: the SFU offers one set of tracks at a time and sends the
 * next offer only after the answer to the previous one was applied, merging whatever changed in between.
 */
final class SubscriberOfferSequencer {
    private List<SubscribedTrack> offered = List.of();
    private List<SubscribedTrack> desired = List.of();
    private boolean offerOutstanding;
    private boolean awaitingAnswer;
    /** An offer went out at least once: there is a connection whose ICE can be restarted. */
    private boolean offeredOnce;
    /** The next offer restarts ICE, even if the tracks did not change. */
    private boolean iceRestart;
    /** An offer should go out even of the tracks already offered, while none has. */
    private boolean connectionWanted;

    /**
     * Records the tracks that should be forwarded now.
     *
     * @return the tracks to put in an offer now, or null when no offer should start now
     */
    List<SubscribedTrack> desire(List<SubscribedTrack> tracks) {
        return desire(tracks, false);
    }

    /**
     * As {@link #desire(List)}; {@code connectionWanted} makes a first offer even of no track, so that the
     * subscriber connection exists (data channels ride on it).
     */
    List<SubscribedTrack> desire(List<SubscribedTrack> tracks, boolean connectionWanted) {
        desired = List.copyOf(tracks);
        this.connectionWanted |= connectionWanted;
        return next();
    }

    /** The engine produced the offer and it went to the client. */
    void offerSent() {
        awaitingAnswer = true;
        offeredOnce = true;
    }

    /** Whether an offer ever went out, so that the subscriber connection exists. */
    boolean offeredOnce() {
        return offeredOnce;
    }

    /**
     * The client asked for an ICE restart: the next offer carries it, now or after the answer to the outstanding one.
     *
     * @return the tracks of an offer to make now, or null when one is outstanding
     */
    List<SubscribedTrack> restartIce() {
        iceRestart = true;
        return next();
    }

    /** The engine could not produce the offer; the next change of the desired tracks tries again. */
    void offerFailed() {
        offerOutstanding = false;
        awaitingAnswer = false;
    }

    /** True while the client owes an answer to the offer it was sent. */
    boolean awaitingAnswer() {
        return awaitingAnswer;
    }

    /** An answer arrived and goes to the engine; another one is not expected until the engine rejected it. */
    void answerReceived() {
        awaitingAnswer = false;
    }

    /** The engine rejected the answer: the offer still waits for a usable one. */
    void answerRejected() {
        awaitingAnswer = true;
    }

    /**
     * The client's answer was applied.
     *
     * @return the tracks of the next offer, or null when the client is up to date
     */
    List<SubscribedTrack> answerApplied() {
        offerOutstanding = false;
        awaitingAnswer = false;
        return next();
    }

    private List<SubscribedTrack> next() {
        if (offerOutstanding || (sameTracks(offered, desired) && !iceRestart && (offeredOnce || !connectionWanted))) {
            return null;
        }
        iceRestart = false;
        offerOutstanding = true;
        offered = desired;
        return offered;
    }

    /** Only the identity of the tracks matters for negotiation: a muted flag changes nothing in the SDP. */
    private static boolean sameTracks(List<SubscribedTrack> a, List<SubscribedTrack> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            SubscribedTrack x = a.get(i);
            SubscribedTrack y = b.get(i);
            if (!x.publisherId().equals(y.publisherId()) || !x.track().sameMedia(y.track())) {
                return false;
            }
        }
        return true;
    }
}
