package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.session.DataTrackInfo;
import io.sfu.core.session.FakeMediaEngine;
import io.sfu.core.session.Track;
import io.sfu.core.testing.Await;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.TestServer.Response;
import io.sfu.signaling.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data channels in the API, against a real server with a fake engine: {@code POST /v1/rooms/{room}/data} hands the
 * message to the participants' media sessions, refuses bad bodies clearly, and data tracks are announced with their
 * channel and auto-subscribed apart from media.
 */
class DataMessagesTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.devMode("dataChannels.maxMessageBytes", "4096");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(Response response, int status, String code, String message) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.errorCode()).as("%s", response).isEqualTo(code);
        assertThat(response.json().path("error").path("message").asText()).contains(message);
    }

    @Test
    void aMessageReachesEveryParticipantOrThoseNamed() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"news\"}");
        try (WsClient alice = WsClient.connect(server.wsUri("/v1/rtc?room=news&identity=alice"));
             WsClient bob = WsClient.connect(server.wsUri("/v1/rtc?room=news&identity=bob"))) {
            String aliceId = alice.next("joined").path("participant").path("id").asText();
            String bobId = bob.next("joined").path("participant").path("id").asText();

            Response text = server.post("/v1/rooms/news/data", "{\"label\":\"scores\",\"text\":\"2:1\"}");
            Response binary = server.post("/v1/rooms/news/data",
                "{\"label\":\"scores\",\"base64\":\"AAEC/w==\",\"to\":[\"bob\"]}");

            assertThat(text.status()).isEqualTo(202);
            assertThat(text.json().path("recipients").asInt()).isEqualTo(2);
            assertThat(binary.json().path("recipients").asInt()).isEqualTo(1);
            List<FakeMediaEngine.ServerData> toAlice = server.engine().session(aliceId).serverData();
            List<FakeMediaEngine.ServerData> toBob = server.engine().session(bobId).serverData();
            assertThat(toAlice).hasSize(1);
            assertThat(toAlice.get(0).label()).isEqualTo("scores");
            assertThat(toAlice.get(0).binary()).isFalse();
            assertThat(new String(toAlice.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("2:1");
            assertThat(toBob).hasSize(2);
            assertThat(toBob.get(1).binary()).isTrue();
            assertThat(toBob.get(1).payload()).containsExactly(0, 1, 2, 255);
        }
    }

    @Test
    void badBodiesAreRefusedClearly() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"bad\"}");
        String path = "/v1/rooms/bad/data";
        assertError(server.post("/v1/rooms/nowhere/data", "{\"label\":\"x\",\"text\":\"y\"}"), 404, "not_found",
            "room nowhere does not exist");
        assertError(server.post(path, ""), 400, "bad_request", "a JSON body is required");
        assertError(server.post(path, "{\"text\":\"y\"}"), 400, "bad_request", "label");
        assertError(server.post(path, "{\"label\":\"\",\"text\":\"y\"}"), 400, "bad_request", "label must have");
        assertError(server.post(path, "{\"label\":\"x\"}"), 400, "bad_request", "exactly one of text");
        assertError(server.post(path, "{\"label\":\"x\",\"text\":\"y\",\"base64\":\"AA==\"}"), 400, "bad_request",
            "exactly one of text");
        assertError(server.post(path, "{\"label\":\"x\",\"base64\":\"not base64!\"}"), 400, "bad_request",
            "not valid base64");
        assertError(server.post(path, "{\"label\":\"x\",\"text\":\"y\",\"to\":\"alice\"}"), 400, "bad_request",
            "to");
        assertError(server.post(path, "{\"label\":\"x\",\"text\":\"y\",\"to\":[\"../x\"]}"), 400, "bad_request",
            "invalid identity");
        assertError(server.post(path, "{\"label\":\"x\",\"text\":\"" + "z".repeat(4097) + "\"}"), 413,
            "bad_request", "more than the 4096");
        assertThat(server.post(path, "{\"label\":\"x\",\"text\":\"" + "z".repeat(4096) + "\"}").status())
            .isEqualTo(202);
    }

    @Test
    void dataTracksAreAnnouncedWithTheirChannelAndSubscribedApartFromMedia() throws Exception {
        try (WsClient alice = WsClient.connect(server.wsUri("/v1/rtc?room=chat&identity=alice"));
             WsClient bob = WsClient.connect(server.wsUri("/v1/rtc?room=chat&identity=bob"))) {
            String aliceId = alice.next("joined").path("participant").path("id").asText();
            String bobId = bob.next("joined").path("participant").path("id").asText();
            Track chat = Track.data("tr_chat", "0", new DataTrackInfo("chat", "", true, -1, -1));
            Track cursor = Track.data("tr_cursor", "0", new DataTrackInfo("cursor", "json", false, 0, 500));

            server.engine().session(aliceId).reportDataTracks(List.of(chat, cursor));

            JsonNode published = bob.skipTo("trackPublished");
            assertThat(published.path("participantId").asText()).isEqualTo(aliceId);
            JsonNode track = published.path("track");
            assertThat(track.path("kind").asText()).isEqualTo("data");
            assertThat(track.path("label").asText()).isEqualTo("chat");
            assertThat(track.path("ordered").asBoolean()).isTrue();
            assertThat(track.path("maxRetransmits").isNull()).isTrue();
            assertThat(track.path("maxPacketLifeTime").isNull()).isTrue();
            JsonNode second = bob.skipTo("trackPublished").path("track");
            assertThat(second.path("protocol").asText()).isEqualTo("json");
            assertThat(second.path("ordered").asBoolean(true)).isFalse();
            assertThat(second.path("maxRetransmits").asInt()).isZero();
            assertThat(second.path("maxPacketLifeTime").asInt()).isEqualTo(500);
            FakeMediaEngine.FakeSession bobSession = server.engine().session(bobId);
            // the room tells everyone first, then brings the subscriptions in step
            Await.until("bob's data subscriptions", Duration.ofSeconds(5),
                () -> bobSession.dataSubscriptions().size() == 2);
            assertThat(bobSession.dataSubscriptions()).extracting(t -> t.track().id())
                .containsExactly("tr_chat", "tr_cursor");
            // the data tracks need the subscriber connection, and offer no m-line of their own
            assertThat(bobSession.subscriberOffers()).hasSize(1);
            assertThat(bobSession.subscriberOffers().get(0)).isEmpty();

            bob.send(WsClient.message("unsubscribe").set("trackIds",
                io.sfu.signaling.api.Json.object().arrayNode().add("tr_cursor")));
            server.engine().session(aliceId).reportDataTracks(List.of(chat));
            JsonNode unpublished = bob.skipTo("trackUnpublished");
            assertThat(unpublished.path("trackId").asText()).isEqualTo("tr_cursor");
            Await.until("bob's data subscriptions without the cursor", Duration.ofSeconds(5),
                () -> bobSession.dataSubscriptions().size() == 1);
            assertThat(bobSession.dataSubscriptions()).extracting(t -> t.track().id()).containsExactly("tr_chat");
        }
    }
}
