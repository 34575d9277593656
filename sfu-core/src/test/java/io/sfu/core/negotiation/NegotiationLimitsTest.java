package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounds of what a publisher may offer, each at its boundary (accepted) and one over it (refused with
 * {@code sdp_invalid} naming the bound), and the bounds of a subscriber's answer, which follow from the offer.
 */
class NegotiationLimitsTest {
    /** The simulcast fixture: audio and video on two m-lines, three rids q, h, f on the video. */
    private static final String SIMULCAST = Fixtures.text(Fixtures.SIMULCAST);

    private static PublisherNegotiator negotiator(int maxMediaSections, int maxTracks, int maxRids) {
        return new PublisherNegotiator(new SplittableRandom(5),
            new PublisherNegotiator.Limits(maxMediaSections, maxTracks, maxRids));
    }

    private static void assertRefused(PublisherNegotiator negotiator, String offer, String naming) {
        assertThatThrownBy(() -> negotiator.answer(offer, Fixtures.LOCAL, null))
            .isInstanceOf(NegotiationException.class)
            .hasMessageContaining(naming)
            .satisfies(e -> assertThat(((NegotiationException) e).code()).isEqualTo(NegotiationException.SDP_INVALID));
    }

    /** The offer with {@code more} extra send rids on its video m-line (and, up to 16, in its simulcast list). */
    private static String withExtraRids(int more) {
        StringBuilder rids = new StringBuilder();
        StringBuilder list = new StringBuilder("a=simulcast:send q;h;f");
        for (int i = 0; i < more; i++) {
            rids.append("a=rid:x").append(i).append(" send\r\n");
            if (i < 16) {
                list.append(";x").append(i);
            }
        }
        return SIMULCAST.replace("a=rid:q send\r\n", rids + "a=rid:q send\r\n")
            .replace("a=simulcast:send q;h;f", list);
    }

    /** The offer with {@code more} rejected (port 0) audio m-lines appended. */
    private static String withExtraRejectedMediaSections(int more) {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < more; i++) {
            extra.append("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:extra").append(i)
                .append("\r\na=rtpmap:111 opus/48000/2\r\n");
        }
        return SIMULCAST + extra;
    }

    @Test
    void ridsPerMediaSectionAreAcceptedUpToTheLimitAndRefusedOneOver() {
        assertThat(negotiator(32, 16, 3).answer(SIMULCAST, Fixtures.LOCAL, null).tracks().get(1).rids())
            .containsExactly("q", "h", "f");
        assertThat(negotiator(32, 16, 4).answer(withExtraRids(1), Fixtures.LOCAL, null).tracks().get(1).rids())
            .hasSize(4);

        assertRefused(negotiator(32, 16, 3), withExtraRids(1), "more than the 3 simulcast encodings");
    }

    @Test
    void anOfferOfHundredsOfRidsIsRefusedBeforeAnyIsRead() {
        // like the offer of issue 12 that grew the server by a gigabyte (1,000 rids on one video m-line), within
        // the parser's 1024 attributes per m-line
        String offer = withExtraRids(897);
        assertThat(offer.length()).isLessThan(SdpParser.MAX_SDP_LENGTH);

        assertRefused(new PublisherNegotiator(new SplittableRandom(5)), offer,
            "has 900 a=rid lines, more than the 4 simulcast encodings");
    }

    @Test
    void mediaSectionsAreAcceptedUpToTheLimitAndRefusedOneOver() {
        PublisherNegotiator four = negotiator(4, 4, 4);
        assertThat(four.answer(withExtraRejectedMediaSections(2), Fixtures.LOCAL, null).answer().media()).hasSize(4);

        // from the text, the parser refuses it; as a parsed description, the negotiator does
        assertRefused(four, withExtraRejectedMediaSections(3), "more than 4 media sections");
        SessionDescription parsed = SdpParser.parse(withExtraRejectedMediaSections(3));
        assertThatThrownBy(() -> four.answer(parsed, Fixtures.LOCAL, null)).isInstanceOf(NegotiationException.class)
            .hasMessageContaining("5 m-lines, more than the 4 a participant may offer");
    }

    @Test
    void tracksAreAcceptedUpToTheLimitAndRefusedOneOver() {
        assertThat(negotiator(32, 2, 4).answer(SIMULCAST, Fixtures.LOCAL, null).tracks()).hasSize(2);

        assertRefused(negotiator(32, 1, 4), SIMULCAST, "publishes 2 tracks, more than the 1 a participant may publish");
    }

    @Test
    void anOfferWithManyMediaSectionsHasRoomForItsBytes() {
        // a browser's video m-line with every codec is 3 to 5 KiB: 32 of them exceed the parser's default 64 KiB
        PublisherNegotiator.Limits limits = PublisherNegotiator.Limits.DEFAULT;
        assertThat(limits.sdpLimits().maxMediaSections()).isEqualTo(32);
        assertThat(limits.sdpLimits().maxLength()).isGreaterThanOrEqualTo(32 * 5 * 1024);
    }

    @Test
    void aSubscriberAnswerIsBoundedByTheOfferNotByAFixedSixtyFourMediaSections() {
        // a room of 50 audio + video publishers: the 50th participant is offered 2 * 49 m-lines
        List<PublishedTrack> published = new PublisherNegotiator(new SplittableRandom(1))
            .answer(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED), Fixtures.LOCAL).tracks();
        List<ForwardedTrack> tracks = new ArrayList<>();
        for (int p = 0; p < 49; p++) {
            tracks.add(ForwardedTrack.of("p" + p, published.get(0), 1000 + 4 * p, 0));
            tracks.add(ForwardedTrack.of("p" + p, published.get(1), 1001 + 4 * p, 1002 + 4 * p));
        }
        SubscriberNegotiator session = new SubscriberNegotiator(new SplittableRandom(3));
        SessionDescription offer = session.createOffer(tracks, Fixtures.LOCAL);
        String answer = new BrowserAnswerer().answer(offer).write();
        assertThat(offer.media()).hasSize(98);
        assertThatThrownBy(() -> SdpParser.parse(answer)).as("the parser's defaults")
            .hasMessageContaining("more than the limit of " + SdpParser.MAX_SDP_LENGTH);

        assertThat(session.answerLimits().maxMediaSections()).isEqualTo(98);

        SubscriberAnswerResult result = session.applyAnswer(answer);

        assertThat(result.tracks()).hasSize(98);
    }

    @Test
    void aSubscriberAnswerWithMoreMediaSectionsThanTheOfferIsRefused() {
        List<PublishedTrack> published = new PublisherNegotiator(new SplittableRandom(1))
            .answer(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED), Fixtures.LOCAL).tracks();
        SubscriberNegotiator session = new SubscriberNegotiator(new SplittableRandom(3));
        SessionDescription offer = session.createOffer(List.of(ForwardedTrack.of("p", published.get(0), 7, 0)),
            Fixtures.LOCAL);
        SessionDescription answer = new BrowserAnswerer().answer(offer);
        for (int i = 0; i < 64; i++) {
            MediaDescription extra = new MediaDescription("audio", 0, MediaDescription.PROTO_RTP).addPayloadType(0);
            answer.addMedia(extra);
        }

        assertThatThrownBy(() -> session.applyAnswer(answer.write())).isInstanceOf(NegotiationException.class)
            .hasMessageContaining("more than 64 media sections");
        assertThat(session.isOfferPending()).isTrue();
    }
}
