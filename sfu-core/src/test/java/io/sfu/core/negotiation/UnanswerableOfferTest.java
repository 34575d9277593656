package io.sfu.core.negotiation;

import io.sfu.core.sdp.SdpParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Offers that cannot be answered at all: one {@link NegotiationException} with code {@code sdp_invalid}. */
class UnanswerableOfferTest {

    private final PublisherNegotiator negotiator = new PublisherNegotiator(new SplittableRandom(3));

    static Stream<Arguments> unanswerable() {
        return Stream.of(
            arguments("no BUNDLE group", "BUNDLE", edit(s -> s.replace("a=group:BUNDLE 0 1\r\n", ""))),
            arguments("empty BUNDLE group", "BUNDLE", edit(s -> s.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE"))),
            arguments("BUNDLE names a missing mid", "mid 7", edit(s -> s.replace("a=group:BUNDLE 0 1",
                "a=group:BUNDLE 0 1 7"))),
            arguments("no fingerprint", "fingerprint", edit(s -> s.replaceAll("a=fingerprint:[^\r]*\r\n", ""))),
            arguments("no ice-ufrag", "ice-ufrag", edit(s -> s.replaceAll("a=ice-ufrag:[^\r]*\r\n", ""))),
            arguments("no ice-pwd", "ice-pwd", edit(s -> s.replaceAll("a=ice-pwd:[^\r]*\r\n", ""))),
            arguments("no rtcp-mux", "rtcp-mux", edit(s -> s.replace("a=rtcp-mux\r\n", ""))),
            arguments("unsecured RTP profile", "RTP/AVPF", edit(s -> s.replace("m=video 9 UDP/TLS/RTP/SAVPF",
                "m=video 9 RTP/AVPF"))),
            arguments("setup holdconn", "holdconn", edit(s -> s.replace("a=setup:actpass", "a=setup:holdconn"))),
            arguments("remote ICE-lite", "ICE-lite", edit(s -> s.replace("t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n"))),
            arguments("duplicate mid", "two m-lines", edit(s -> s.replace("a=mid:1", "a=mid:0"))),
            arguments("malformed setup", "setup", edit(s -> s.replace("a=setup:actpass", "a=setup:bogus"))),
            arguments("fingerprint of the wrong length", "32 colon-separated bytes", edit(s -> s.replaceAll(
                "a=fingerprint:sha-256 [^\r]*\r\n", "a=fingerprint:sha-256 3A:00:00:6F\r\n"))),
            arguments("fingerprint of an unknown hash function only", "unsupported fingerprint hash function",
                edit(s -> s.replaceAll("a=fingerprint:sha-256 ", "a=fingerprint:sha-999 "))),
            arguments("fingerprint that is not hex", "fingerprint", edit(s -> s.replaceAll(
                "a=fingerprint:sha-256 [^\r]*\r\n", "a=fingerprint:sha-256 not-hex-at-all\r\n"))),
            arguments("malformed mid", "mid", edit(s -> s.replace("a=mid:1", "a=mid:1 (video)"))),
            arguments("malformed ice-ufrag", "ice-ufrag", edit(s -> s.replaceAll("a=ice-ufrag:[^\r]*",
                "a=ice-ufrag:ab"))),
            arguments("two directions", "direction", edit(s -> s.replace("a=sendonly\r\n",
                "a=sendonly\r\na=recvonly\r\n"))),
            arguments("no m-line", "no m-line", edit(s -> s.substring(0, s.indexOf("m=audio")))));
    }

    private static UnaryOperator<String> edit(UnaryOperator<String> f) {
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unanswerable")
    void unanswerableOfferThrowsSdpInvalid(String name, String messagePart, UnaryOperator<String> edit) {
        String offer = edit.apply(Fixtures.text(Fixtures.SIMULCAST));
        assertThat(offer).isNotEqualTo(Fixtures.text(Fixtures.SIMULCAST));

        assertThatThrownBy(() -> negotiator.answer(offer, Fixtures.LOCAL, null))
            .isInstanceOf(NegotiationException.class)
            .hasMessageContaining(messagePart)
            .satisfies(e -> assertThat(((NegotiationException) e).code()).isEqualTo(NegotiationException.SDP_INVALID));
    }

    @Test
    void garbageTextThrowsSdpInvalidWithTheParseErrorAsCause() {
        assertThatThrownBy(() -> negotiator.answer("hello, I am not SDP", Fixtures.LOCAL, null))
            .isInstanceOf(NegotiationException.class)
            .hasCauseInstanceOf(SdpParseException.class)
            .satisfies(e -> assertThat(((NegotiationException) e).code()).isEqualTo(NegotiationException.SDP_INVALID));
        assertThatThrownBy(() -> negotiator.answer((String) null, Fixtures.LOCAL, null))
            .isInstanceOf(NegotiationException.class);
    }

    @Test
    void malformedCandidatesAreSkippedNotFatal() {
        String offer = Fixtures.text(Fixtures.AUDIO_VIDEO_GATHERED)
            .replace("a=candidate:395051198 1 udp 2122194687 127.0.0.1 52333 typ host",
                "a=candidate:395051198 1 udp 2122194687 127.0.0.1 52333 host");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        assertThat(a.remote().candidates()).hasSize(7);
    }

    @Test
    void aMalformedCodecLineLeavesItsCodecOutOfTheAnswerInsteadOfRefusingTheOffer() {
        String offer = Fixtures.text(Fixtures.SIMULCAST).replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8");

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        PublishedTrack video = a.tracks().stream().filter(t -> t.kind() == io.sfu.core.sdp.MediaKind.VIDEO)
            .findFirst().orElseThrow();
        assertThat(video.codecs()).isNotEmpty().noneMatch(c -> c.payloadType() == 96);
        assertThat(a.answer().write()).doesNotContain("a=rtpmap:96 ");
    }

    @Test
    void dataChannelOnlyOfferIsAnsweredWithEverythingRejected() {
        String offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:Ebc0\r\na=ice-pwd:K2GMRf93Va9KaPwEWDHTUzNy\r\n"
            + "a=fingerprint:sha-256 " + "3A:".repeat(31) + "6F\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\n";

        PublisherAnswer a = negotiator.answer(offer, Fixtures.LOCAL, null);

        assertThat(a.acceptedMids()).isEmpty();
        assertThat(a.answer().groups()).isEmpty();
        assertThat(a.answer().media().get(0).port()).isZero();
        assertThat(a.tracks()).isEmpty();
    }
}
