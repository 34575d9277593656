package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfu.signaling.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a publisher's tracks carry, through the real media engine: the {@code sources} of its offer by mid, kept
 * over a renegotiation that does not repeat them, changed by one that does.
 */
class RealEngineTrackSourceTest {
    private RealEngineServer server;

    @BeforeEach
    void start() throws Exception {
        server = RealEngineServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void offer(WsClient client, Map<String, String> sources) throws Exception {
        ObjectNode offer = message("offer").put("pc", "publisher")
            .put("sdp", RealEngineServer.chromiumSimulcastOffer());
        if (!sources.isEmpty()) {
            ObjectNode given = offer.putObject("sources");
            sources.forEach(given::put);
        }
        client.send(offer);
        assertThat(RealEngineServer.reply(client).path("type").asText()).isEqualTo("answer");
    }

    /** The room's tracks as {@code kind:source}. */
    private String[] tracks() throws Exception {
        JsonNode tracks = server.room("r1").path("participants").get(0).path("tracks");
        String[] described = new String[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            described[i] = tracks.get(i).path("kind").asText() + ":" + tracks.get(i).path("source").asText();
        }
        return described;
    }

    @Test
    void aScreenShareStaysOneUntilAnOfferSaysOtherwise() throws Exception {
        WsClient alice = server.join("r1", "alice");

        offer(alice, Map.of("1", "screen"));
        assertThat(tracks()).containsExactlyInAnyOrder("audio:microphone", "video:screen");

        offer(alice, Map.of());
        assertThat(tracks()).as("a renegotiation that does not say").containsExactlyInAnyOrder("audio:microphone",
            "video:screen");

        offer(alice, Map.of("1", "camera", "0", "screenAudio"));
        assertThat(tracks()).containsExactlyInAnyOrder("audio:screenAudio", "video:camera");
    }
}
