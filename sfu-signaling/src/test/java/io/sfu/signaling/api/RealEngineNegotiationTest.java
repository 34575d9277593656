package io.sfu.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.sdp.SdpParser;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.WsClient;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Negotiation through the WebSocket against the real media engine (the one the process runs), with offers
 * captured from headless Chromium: what the SFU answers, and how it refuses what it cannot answer.
 */
class RealEngineNegotiationTest {
    private SfuServer server;

    @BeforeEach
    void start() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("http.port", "0", "test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("media.port", "0", "test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test")));
        MediaEngine engine = MediaEngines.start(config);
        assertThat(engine.getClass().getSimpleName()).isEqualTo("UdpMediaEngine");
        server = SfuServer.start(config, engine);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WsClient join(String room, String identity) throws Exception {
        InetAddressHolder http = new InetAddressHolder(server);
        WsClient client = WsClient.connect(URI.create("ws://" + http.hostPort() + "/v1/rtc?room=" + room
            + "&identity=" + identity));
        assertThat(client.next().path("type").asText()).isEqualTo("joined");
        return client;
    }

    private record InetAddressHolder(SfuServer server) {
        String hostPort() {
            return server.httpAddress().getHostString() + ":" + server.httpAddress().getPort();
        }
    }

    private static String capture(String name) throws IOException {
        try (InputStream in = RealEngineNegotiationTest.class.getResourceAsStream("/sdp/" + name)) {
            assertThat(in).as("captured SDP %s on the test class path", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aChromiumOfferGetsAnIceLiteBundledAnswerWithTheEnginesUdpAndPassiveTcpCandidates() throws Exception {
        WsClient alice = join("r1", "alice");
        alice.send(message("offer").put("pc", "publisher").put("sdp", capture("chromium-audio-video-gathered.sdp")));

        JsonNode answer = alice.skipTo("answer");
        SessionDescription sdp = SdpParser.parse(answer.path("sdp").asText());
        assertThat(sdp.isIceLite()).isTrue();
        assertThat(sdp.bundleGroup()).isPresent();
        int mediaPort = server.mediaAddress().getPort();
        for (var media : sdp.media()) {
            assertThat(media.candidates()).hasSize(2).allSatisfy(candidate -> {
                assertThat(candidate.address()).isEqualTo("127.0.0.1");
                // ICE-TCP listens on the UDP port's number by default
                assertThat(candidate.port()).isEqualTo(mediaPort);
            });
            assertThat(media.candidates().get(0).isUdp()).isTrue();
            assertThat(media.candidates().get(1).isTcp()).isTrue();
            assertThat(media.candidates().get(1).tcpType()).isEqualTo("passive");
            assertThat(media.candidates().get(1).priority()).isLessThan(media.candidates().get(0).priority());
            assertThat(media.hasAttribute("end-of-candidates")).isTrue();
            assertThat(media.attributeValue("setup")).contains("passive");
        }
    }

    @Test
    void aSimulcastOfferIsAnsweredWithTheLayersToReceive() throws Exception {
        WsClient alice = join("r1", "alice");
        alice.send(message("offer").put("pc", "publisher").put("sdp", capture("chromium-simulcast.sdp")));

        String answer = alice.skipTo("answer").path("sdp").asText();
        assertThat(answer).contains("a=simulcast:recv q;h;f").contains("a=rid:q recv").contains("a=rid:f recv");
    }

    @Test
    void anOfferWithoutBundleIsRefusedAndTheSocketStaysUsable() throws Exception {
        WsClient alice = join("r1", "alice");
        WsClient bob = join("r1", "bob");
        String noBundle = capture("chromium-audio-video-gathered.sdp").replaceAll("a=group:BUNDLE[^\r\n]*\r?\n", "");

        alice.send(message("offer").put("pc", "publisher").put("sdp", noBundle));
        JsonNode error = alice.skipTo("error");
        assertThat(error.path("code").asText()).isEqualTo("sdp_invalid");

        alice.send(message("offer").put("pc", "publisher").put("sdp", "this is not SDP"));
        assertThat(alice.skipTo("error").path("code").asText()).isEqualTo("sdp_invalid");

        alice.send(message("offer").put("pc", "publisher").put("sdp", capture("chromium-audio-video-gathered.sdp")));
        assertThat(alice.skipTo("answer").path("sdp").asText()).startsWith("v=0");
        assertThat(bob.skipTo("trackPublished").path("track").path("kind").asText()).isIn("audio", "video");
    }

    @Test
    void theRoomShowsTheAnsweredTracksOnceTheAnswerArrives() throws Exception {
        WsClient alice = join("r1", "alice");
        alice.send(message("offer").put("pc", "publisher").put("sdp", capture("chromium-audio-video-gathered.sdp")));
        alice.skipTo("answer");

        // no wait: the engine reports the offer's tracks before the answer is sent, and the control context runs
        // both in that order, so what a client was answered is already in the room
        HttpResponse<String> room = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
            + new InetAddressHolder(server).hostPort() + "/v1/rooms/r1")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(room.statusCode()).isEqualTo(200);
        JsonNode tracks = new ObjectMapper().readTree(room.body()).path("participants").get(0).path("tracks");
        assertThat(tracks).extracting(track -> track.path("kind").asText()).containsExactly("audio", "video");
    }

    @Test
    void aSubscriberAnswerTheEngineRefusesLeavesTheOfferOpenForACorrectedOne() throws Exception {
        WsClient alice = join("r1", "alice");
        WsClient bob = join("r1", "bob");
        alice.send(message("offer").put("pc", "publisher").put("sdp", capture("chromium-audio-video-gathered.sdp")));
        alice.skipTo("answer");
        String offer = bob.skipTo("offer").path("sdp").asText();

        bob.send(message("answer").put("pc", "subscriber").put("sdp", "this is not SDP"));
        assertThat(bob.skipTo("error").path("code").asText()).isEqualTo("sdp_invalid");
        bob.send(message("answer").put("pc", "subscriber")
            .put("sdp", RealEngineServer.answerAsABrowserWould(offer)));

        bob.assertNothingPending();
    }
}
