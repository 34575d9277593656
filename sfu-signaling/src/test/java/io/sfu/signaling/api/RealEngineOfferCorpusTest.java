package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.testing.OfferCorpus;
import io.sfu.core.testing.OfferCorpus.Offer;
import io.sfu.signaling.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every offer of the corpus of real WebRTC stacks (sdp/corpus of sfu-core) through the WebSocket to the real media
 * engine: each is answered, and the room shows its audio and video tracks.
 */
class RealEngineOfferCorpusTest {
    private static RealEngineServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RealEngineServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Offer> offers() {
        return OfferCorpus.offers();
    }

    @ParameterizedTest
    @MethodSource("offers")
    void everyOfferIsAnsweredByTheEngineAndPublishesAudioAndVideo(Offer offer) throws Exception {
        String room = "corpus-" + offer.name().replace(".sdp", "").replace('.', '-');
        try (WsClient client = server.join(room, "publisher")) {
            client.send(message("offer").put("pc", "publisher").put("sdp", offer.sdp()));

            JsonNode reply = RealEngineServer.reply(client);
            assertThat(reply.path("type").asText()).as("reply to %s: %s", offer, reply).isEqualTo("answer");
            SessionDescription answer = SdpParser.parse(reply.path("sdp").asText());
            answer.validateAttributes();
            assertThat(answer.isIceLite()).isTrue();
            JsonNode tracks = server.room(room).path("participants").get(0).path("tracks");
            assertThat(tracks).extracting(track -> track.path("kind").asText()).contains("audio", "video");
        }
    }

    @Test
    void theTwoOffersIssue12ReportedRefusedAreAnswered() throws Exception {
        // GStreamer writes msid ids with '@', libdatachannel a=ice-options:ice2,trickle
        for (Offer offer : offers()) {
            if (offer.name().equals("gstreamer-audio-video.sdp")) {
                assertThat(offer.sdp()).containsPattern("msid:user\\d+@host-");
            }
            if (offer.name().equals("libdatachannel-audio-video.sdp")) {
                assertThat(offer.sdp()).contains("a=ice-options:ice2,trickle");
            }
        }
        assertThat(offers()).extracting(Offer::name)
            .contains("gstreamer-audio-video.sdp", "libdatachannel-audio-video.sdp");
    }
}
