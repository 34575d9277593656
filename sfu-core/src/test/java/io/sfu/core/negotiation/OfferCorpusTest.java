package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.testing.OfferCorpus;
import io.sfu.core.testing.OfferCorpus.Offer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every offer of the corpus of real WebRTC stacks (sdp/corpus) is answered as the engine answers it, from its text:
 * its audio and its video become tracks, its simulcast layers are received, and the answer is strict SDP.
 */
class OfferCorpusTest {
    private final PublisherNegotiator negotiator = new PublisherNegotiator(new SplittableRandom(11));

    static List<Offer> offers() {
        return OfferCorpus.offers();
    }

    @Test
    void theCorpusHoldsEveryStackOfTheReadme() {
        assertThat(offers()).extracting(offer -> offer.name().substring(0, offer.name().indexOf('-')))
            .contains("chromium", "firefox", "gstreamer", "libdatachannel", "werift", "libwebrtc", "handwritten");
        assertThat(offers()).extracting(Offer::name).contains("handwritten-safari-style-audio-video.sdp",
            "handwritten-pion-style-audio-video.sdp", "handwritten-aiortc-style-audio-video.sdp");
    }

    @ParameterizedTest
    @MethodSource("offers")
    void everyOfferIsAnsweredWithItsAudioAndVideoAsTracks(Offer offer) {
        PublisherAnswer answer = negotiator.answer(offer.sdp(), Fixtures.LOCAL, null);

        assertThat(answer.tracks()).extracting(PublishedTrack::kind).contains(MediaKind.AUDIO, MediaKind.VIDEO);
        for (PublishedTrack track : answer.tracks()) {
            assertThat(track.codecs()).as("codecs of mid %s", track.mid()).isNotEmpty();
        }
        assertThat(answer.remote().dtlsFingerprints()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("offers")
    void theAnswerIsStrictSdpThatParsesBackWithEveryAttributeValid(Offer offer) {
        String written = negotiator.answer(offer.sdp(), Fixtures.LOCAL, null).answer().write();

        SessionDescription reparsed = SdpParser.parse(written);
        reparsed.validateAttributes();
        assertThat(reparsed.write()).isEqualTo(written);
        for (MediaDescription m : reparsed.media()) {
            assertThat(m.mid()).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("offers")
    void simulcastOffersHaveTheirThreeLayersReceived(Offer offer) {
        if (!offer.sdp().contains("a=simulcast:send")) {
            return;
        }
        PublisherAnswer answer = negotiator.answer(offer.sdp(), Fixtures.LOCAL, null);

        assertThat(answer.tracks()).filteredOn(t -> t.kind() == MediaKind.VIDEO).singleElement()
            .satisfies(video -> assertThat(video.rids()).containsExactly("q", "h", "f"));
    }
}
