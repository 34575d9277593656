package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.SdpLimits;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.signaling.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The bounds of negotiation with the real media engine, through the WebSocket at their defaults (config/sfu.yaml):
 * a publisher offer one over a bound is refused with {@code sdp_invalid} naming it and leaves nothing behind (no
 * transport, no producer, no track), an offer at the bound is answered, and a room at its default maximum of 50
 * audio and video publishers negotiates its subscribers' 98 track m-lines (and the data channel m-line before them).
 */
class RealEngineLimitsTest {
    private RealEngineServer server;

    @BeforeEach
    void start() throws Exception {
        server = RealEngineServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String simulcastOffer() throws IOException {
        return RealEngineServer.chromiumSimulcastOffer();
    }

    /** The simulcast offer with its video announcing this many rids. */
    private static String withRids(int rids) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 3; i < rids; i++) {
            lines.append("a=rid:x").append(i).append(" send\r\n");
        }
        return simulcastOffer().replace("a=rid:q send\r\n", lines + "a=rid:q send\r\n");
    }

    /** The simulcast offer with rejected (port 0) audio m-lines appended, to this many m-lines. */
    private static String withMediaSections(int total) throws IOException {
        SessionDescription offer = SdpParser.parse(simulcastOffer());
        MediaDescription audio = offer.media().get(0);
        for (int i = offer.media().size(); i < total; i++) {
            offer.addMedia(audio.copy().setPort(0).setMid("r" + i));
        }
        return offer.write();
    }

    /** The simulcast offer's audio m-line sent this many times (each a track), bundled. */
    private static String withAudioTracks(int tracks) throws IOException {
        SessionDescription offer = SdpParser.parse(simulcastOffer());
        MediaDescription audio = offer.media().get(0);
        offer.clearMedia();
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < tracks; i++) {
            offer.addMedia(audio.copy().setMid("a" + i));
            mids.add("a" + i);
        }
        offer.setGroup(Group.bundle(mids));
        return offer.write();
    }

    static Stream<Arguments> overALimit() throws IOException {
        return Stream.of(
            arguments("5 rids on one m-line", withRids(5), "more than the 4 simulcast encodings"),
            arguments("33 m-lines", withMediaSections(33), "more than 32 media sections"),
            arguments("17 tracks", withAudioTracks(17), "publishes 17 tracks, more than the 16"),
            arguments("a fingerprint of the wrong length", simulcastOffer().replaceAll(
                "a=fingerprint:sha-256 [^\r]*", "a=fingerprint:sha-256 3A:00:00:6F"), "fingerprint"),
            arguments("a fingerprint of an unknown hash function", simulcastOffer().replace("a=fingerprint:sha-256 ",
                "a=fingerprint:sha-999 "), "fingerprint"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overALimit")
    void anOfferOverALimitIsRefusedNamingItAndLeavesNothingBehind(String name, String offer, String naming)
        throws Exception {
        WsClient alice = server.join("r1", "alice");
        WsClient bob = server.join("r1", "bob");

        alice.send(message("offer").put("pc", "publisher").put("sdp", offer));

        JsonNode error = RealEngineServer.reply(alice);
        assertThat(error.path("type").asText()).as("%s", error).isEqualTo("error");
        assertThat(error.path("code").asText()).isEqualTo("sdp_invalid");
        assertThat(error.path("message").asText()).contains(naming);
        assertThat(server.engine().registeredTransports()).isZero();
        assertThat(server.engine().publishedTracks()).isZero();
        assertThat(server.room("r1").path("participants")).allSatisfy(p -> assertThat(p.path("tracks")).isEmpty());

        // the socket stays usable: a good offer is answered, and the others hear of its tracks only
        alice.send(message("offer").put("pc", "publisher").put("sdp", simulcastOffer()));
        assertThat(RealEngineServer.reply(alice).path("type").asText()).isEqualTo("answer");
        assertThat(server.engine().publishedTracks()).isEqualTo(2);
        assertThat(bob.skipTo("trackPublished").path("track").path("kind").asText()).isIn("audio", "video");
    }

    static Stream<Arguments> atALimit() throws IOException {
        return Stream.of(
            arguments("4 rids on one m-line", withRids(4), 2),
            arguments("32 m-lines", withMediaSections(32), 2),
            arguments("16 tracks", withAudioTracks(16), 16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atALimit")
    void anOfferAtALimitIsAnswered(String name, String offer, int tracks) throws Exception {
        WsClient alice = server.join("r1", "alice");

        alice.send(message("offer").put("pc", "publisher").put("sdp", offer));

        JsonNode reply = RealEngineServer.reply(alice);
        assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("answer");
        assertThat(server.engine().publishedTracks()).isEqualTo(tracks);
    }

    @Test
    void aRoomAtItsDefaultMaximumOfFiftyPublishersNegotiatesEverySubscriber() throws Exception {
        // no client here runs ICE or DTLS: their deadlines must not end sessions while the room fills
        server.close();
        server = RealEngineServer.start("dtls.handshakeTimeoutSeconds", "600", "ice.consentTimeoutSeconds", "600");
        // 49 participants publish audio and video; the 50th receives 2 * 49 m-lines after the data channel's, and
        // answers them
        String offer = simulcastOffer();
        List<WsClient> publishers = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            WsClient publisher = server.join("big", "p" + i);
            publisher.send(message("offer").put("pc", "publisher").put("sdp", offer));
            assertThat(publisher.skipTo("answer").path("sdp").asText()).startsWith("v=0");
            publishers.add(publisher);
        }
        WsClient last = server.join("big", "last");
        String subscriberOffer = last.skipTo("offer").path("sdp").asText();
        List<io.sfu.core.sdp.MediaDescription> media = SdpParser.parse(subscriberOffer,
            SdpLimits.DEFAULT.withMediaSections(99, 1 << 20)).media();
        assertThat(media).hasSize(1 + 98);
        assertThat(media.get(0).media()).isEqualTo("application");
        String answer = RealEngineServer.answerAsABrowserWould(subscriberOffer);
        assertThat(answer.length()).as("the answer exceeds the parser's default bound").isGreaterThan(64 * 1024);

        last.send(message("answer").put("pc", "subscriber").put("sdp", answer));

        // applied: the next change is offered (an unapplied answer would hold every later offer back)
        publishers.get(0).close();
        JsonNode next = last.skipTo("offer");
        assertThat(next.path("sdp").asText()).contains("a=inactive");
        assertThat(server.room("big").path("participants")).hasSize(49);
    }
}
