package io.sfu.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriberOfferSequencerTest {
    private static SubscribedTrack track(String id) {
        return new SubscribedTrack("PA_1", new Track(id, TrackKind.VIDEO, id, List.of(), false, TrackSource.CAMERA));
    }

    @Test
    void nothingToOfferWhileNothingChanged() {
        SubscriberOfferSequencer n = new SubscriberOfferSequencer();
        assertThat(n.desire(List.of())).isNull();
    }

    @Test
    void changesDuringAnOfferWaitForItsAnswerAndAreMergedIntoOneOffer() {
        SubscriberOfferSequencer n = new SubscriberOfferSequencer();
        assertThat(n.desire(List.of(track("a")))).containsExactly(track("a"));
        n.offerSent();
        assertThat(n.desire(List.of(track("a"), track("b")))).isNull();
        assertThat(n.desire(List.of(track("a"), track("b"), track("c")))).isNull();
        n.answerReceived();
        assertThat(n.answerApplied()).containsExactly(track("a"), track("b"), track("c"));
        n.offerSent();
        n.answerReceived();
        assertThat(n.answerApplied()).isNull();
    }

    @Test
    void aMuteFlagAloneDoesNotRenegotiate() {
        SubscriberOfferSequencer n = new SubscriberOfferSequencer();
        n.desire(List.of(track("a")));
        n.offerSent();
        n.answerReceived();
        n.answerApplied();
        SubscribedTrack muted = new SubscribedTrack("PA_1", track("a").track().withMuted(true));
        assertThat(n.desire(List.of(muted))).isNull();
    }

    @Test
    void aRejectedAnswerKeepsWaitingForAnother() {
        SubscriberOfferSequencer n = new SubscriberOfferSequencer();
        n.desire(List.of(track("a")));
        n.offerSent();
        n.answerReceived();
        assertThat(n.awaitingAnswer()).isFalse();
        n.answerRejected();
        assertThat(n.awaitingAnswer()).isTrue();
    }

    @Test
    void aFailedOfferIsRetriedOnTheNextChangeOnly() {
        SubscriberOfferSequencer n = new SubscriberOfferSequencer();
        n.desire(List.of(track("a")));
        n.offerFailed();
        assertThat(n.desire(List.of(track("a")))).isNull();
        assertThat(n.desire(List.of(track("a"), track("b")))).hasSize(2);
    }
}
