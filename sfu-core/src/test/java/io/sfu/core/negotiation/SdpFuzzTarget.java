package io.sfu.core.negotiation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfu.core.sdp.SdpFuzzTest;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the SDP a client sends: whatever the text, the parser and every typed
 * accessor succeed or throw {@link SdpParseException}, and what parses writes itself back unchanged
 * ({@link SdpFuzzTest#checkDescription}); the publisher negotiator answers it as a first offer and as a
 * renegotiation, or refuses it with {@link NegotiationException}, and every answer is well-formed
 * ({@link NegotiationFuzzTest#checkAnswer}); applied as a subscriber's answer to the SFU's offer, it applies or is
 * refused with the offer still pending. Seeds: the captured and hand-written descriptions of src/test/resources.
 */
class SdpFuzzTarget {
    static final List<ForwardedTrack> TRACKS = NegotiationFuzzTest.subscribedTracks();
    static final PublisherAnswer PREVIOUS = new PublisherNegotiator(new SplittableRandom(1))
        .answer(Fixtures.load(Fixtures.AUDIO_VIDEO_GATHERED), Fixtures.LOCAL);

    static Stream<byte[]> descriptions() {
        return Stream.concat(Fixtures.OFFERS.stream(), Stream.of(Fixtures.SUBSCRIBER_ANSWER_HANDWRITTEN,
                "sdp/chromium-simulcast-answer.sdp", "sdp/rfc8866-section5-example.sdp"))
            .map(resource -> Fixtures.text(resource).getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("descriptions")
    @FuzzTest
    void anyDescriptionParsesAndIsAnsweredOrIsRefusedWithItsOwnException(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        SessionDescription offer = SdpFuzzTest.checkedDescription(text, -1);
        if (offer == null) {
            return;
        }
        answer(offer, null);
        answer(offer, PREVIOUS);
        NegotiationFuzzTest.applySubscriberAnswer(text, TRACKS, 1);
    }

    static void answer(SessionDescription offer, PublisherAnswer previous) {
        PublisherAnswer answer;
        try {
            answer = new PublisherNegotiator(new SplittableRandom(1)).answer(offer, Fixtures.LOCAL, previous);
        } catch (NegotiationException refused) {
            if (refused.getMessage() == null || refused.getMessage().isBlank()
                || !NegotiationException.SDP_INVALID.equals(refused.code())) {
                throw new AssertionError("a refusal without a reason or with another code: " + refused, refused);
            }
            return;
        }
        NegotiationFuzzTest.checkAnswer(offer, answer);
    }
}
