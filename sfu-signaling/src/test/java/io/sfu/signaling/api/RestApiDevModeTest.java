package io.sfu.signaling.api;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.session.FakeMediaEngine;
import io.sfu.core.session.TrackStats;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.TestServer.Response;
import io.sfu.signaling.WsClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST contract of API.md in dev mode (no API key), against a real server. */
class RestApiDevModeTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.devMode("rooms.maxParticipantsLimit", "100", "rooms.maxRooms", "50");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.errorCode()).as("%s", response).isEqualTo(code);
        assertThat(response.json().path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void healthzSaysOk() throws Exception {
        Response response = server.get("/healthz");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void metricsAreInPrometheusTextFormatWithJvmAndRoomGauges() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"metered\"}");
        Response response = server.get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge", "process_uptime_seconds",
            "sfu_rooms ", "sfu_participants ", "sfu_tracks ", "sfu_signaling_messages_received_total");
        double rooms = Double.parseDouble(response.body().lines().filter(l -> l.startsWith("sfu_rooms "))
            .findFirst().orElseThrow().substring("sfu_rooms ".length()));
        assertThat(rooms).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void createAGetAndListRooms() throws Exception {
        Response created = server.post("/v1/rooms", "{\"name\":\"c1\",\"maxParticipants\":50}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("name").asText()).isEqualTo("c1");
        assertThat(created.json().path("maxParticipants").asInt()).isEqualTo(50);
        assertThat(created.json().path("participants").isArray()).isTrue();
        assertThat(created.json().path("participants")).isEmpty();

        Response got = server.get("/v1/rooms/c1");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(created.json());

        JsonNode rooms = server.get("/v1/rooms").json().path("rooms");
        JsonNode c1 = null;
        for (JsonNode room : rooms) {
            if (room.path("name").asText().equals("c1")) {
                c1 = room;
            }
        }
        assertThat(c1).isNotNull();
        assertThat(c1.path("participants").asInt(-1)).isZero();
    }

    @Test
    void aRoomWithoutMaxParticipantsGetsTheDefault() throws Exception {
        Response created = server.post("/v1/rooms", "{\"name\":\"defaulted\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("maxParticipants").asInt()).isEqualTo(50);
    }

    @Test
    void creatingAnExistingRoomIsAConflict() throws Exception {
        assertThat(server.post("/v1/rooms", "{\"name\":\"twice\"}").status()).isEqualTo(201);
        assertError(server.post("/v1/rooms", "{\"name\":\"twice\"}"), 409, "conflict");
    }

    @Test
    void badRoomBodiesAreBadRequests() throws Exception {
        String[] bodies = {
            "", "{", "[]", "{}", "{\"name\":42}", "{\"name\":\"\"}", "{\"name\":\"has space\"}",
            "{\"name\":\"" + "x".repeat(65) + "\"}", "{\"name\":\".hidden\"}", "{\"name\":\"ok\",\"maxParticipants\":0}",
            "{\"name\":\"ok\",\"maxParticipants\":101}", "{\"name\":\"ok\",\"maxParticipants\":2.5}",
            "{\"name\":\"ok\",\"maxParticipants\":\"5\"}", "{\"name\":\"ok\",\"name\":\"dup\"}",
            "{\"name\":\"ok\",\"lastN\":-1}", "{\"name\":\"ok\",\"lastN\":\"2\"}", "{\"name\":\"ok\",\"lastN\":101}",
        };
        for (String body : bodies) {
            assertError(server.post("/v1/rooms", body), 400, "bad_request");
        }
        assertThat(server.get("/v1/rooms/ok").status()).isEqualTo(404);
    }

    @Test
    void anOversizedBodyIsRefused() throws Exception {
        Response response = server.post("/v1/rooms", "{\"name\":\"big\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
        assertError(response, 413, "bad_request");
        assertThat(server.get("/v1/rooms/big").status()).isEqualTo(404);
    }

    @Test
    void missingRoomsAreNotFound() throws Exception {
        assertError(server.get("/v1/rooms/r9"), 404, "not_found");
        assertThat(server.get("/v1/rooms/r9").json().path("error").path("message").asText())
            .isEqualTo("room r9 does not exist");
        assertError(server.delete("/v1/rooms/r9"), 404, "not_found");
        assertError(server.post("/v1/rooms/r9/tokens", "{\"identity\":\"alice\"}"), 404, "not_found");
        assertError(server.delete("/v1/rooms/r9/participants/alice"), 404, "not_found");
        assertError(server.get("/v1/rooms/r9/participants/alice/stats"), 404, "not_found");
        assertError(server.get("/v1/nothing/here"), 404, "not_found");
    }

    @Test
    void deletingARoomRemovesIt() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"doomed\"}");
        Response deleted = server.delete("/v1/rooms/doomed");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(server.get("/v1/rooms/doomed").status()).isEqualTo(404);
    }

    @Test
    void tokensAreIssuedForExistingRoomsAndValidated() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"tok\"}");
        Response issued = server.post("/v1/rooms/tok/tokens",
            "{\"identity\":\"alice\",\"canPublish\":true,\"canSubscribe\":true,\"ttlSeconds\":3600}");
        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.json().path("token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        for (String body : List.of("{}", "{\"identity\":\"\"}", "{\"identity\":\"a b\"}", "{\"identity\":7}",
            "{\"identity\":\"a\",\"canPublish\":\"yes\"}", "{\"identity\":\"a\",\"ttlSeconds\":0}",
            "{\"identity\":\"a\",\"ttlSeconds\":86401}", "not json")) {
            assertError(server.post("/v1/rooms/tok/tokens", body), 400, "bad_request");
        }
    }

    @Test
    void aRoomShowsItsParticipantsWithTheirTracksAndStats() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"live\"}");
        try (WsClient alice = WsClient.connect(server.wsUri("/v1/rtc?room=live&identity=alice"))) {
            String aliceId = alice.next("joined").path("participant").path("id").asText();
            alice.send(message("offer").put("pc", "publisher").put("sdp",
                FakeMediaEngine.offer("audio", "video") + "a=rid:h send\r\na=rid:q send\r\n"));
            alice.next("answer");
            alice.assertNothingPending();

            JsonNode room = server.get("/v1/rooms/live").json();
            assertThat(room.path("participants")).hasSize(1);
            JsonNode participant = room.path("participants").get(0);
            assertThat(participant.path("id").asText()).isEqualTo(aliceId);
            assertThat(participant.path("identity").asText()).isEqualTo("alice");
            JsonNode video = participant.path("tracks").get(1);
            assertThat(video.path("kind").asText()).isEqualTo("video");
            assertThat(video.path("mid").asText()).isEqualTo("1");
            assertThat(video.path("rids")).extracting(JsonNode::asText).containsExactly("h", "q");
            assertThat(video.path("muted").asBoolean(true)).isFalse();
            assertThat(server.get("/v1/rooms").json().toString()).contains("\"name\":\"live\",\"participants\":1");

            String videoId = video.path("id").asText();
            server.engine().session(aliceId).setStats(List.of(new TrackStats(videoId,
                TrackStats.Direction.PUBLISHED, 100, 120_000, 2, 3, 1, 800_000, "h", 4)));
            Response stats = server.get("/v1/rooms/live/participants/alice/stats");
            assertThat(stats.status()).isEqualTo(200);
            JsonNode tracks = stats.json().path("tracks");
            assertThat(tracks).hasSize(2);
            assertThat(tracks.get(0).path("packets").asLong(-1)).isZero();
            JsonNode videoStats = tracks.get(1);
            assertThat(videoStats.path("trackId").asText()).isEqualTo(videoId);
            assertThat(videoStats.path("direction").asText()).isEqualTo("published");
            assertThat(videoStats.path("packets").asLong()).isEqualTo(100);
            assertThat(videoStats.path("bytes").asLong()).isEqualTo(120_000);
            assertThat(videoStats.path("lost").asLong()).isEqualTo(2);
            assertThat(videoStats.path("nacks").asLong()).isEqualTo(3);
            assertThat(videoStats.path("plis").asLong()).isEqualTo(1);
            assertThat(videoStats.path("bitrate").asLong()).isEqualTo(800_000);
            assertThat(videoStats.path("layer").asText()).isEqualTo("h");
            assertThat(videoStats.path("dropped").asLong()).isEqualTo(4);
            assertThat(server.get("/metrics").body()).contains("sfu_track_dropped{room=\"live\"")
                .contains("track=\"" + videoId + "\",direction=\"published\"} 4");
            assertError(server.get("/v1/rooms/live/participants/bob/stats"), 404, "not_found");
        }
    }

    @Test
    void aSubscribedTracksDownlinkEstimateIsInItsStatsAndMetricsAndTheServerCountsWhatItAllocates()
        throws Exception {
        server.post("/v1/rooms", "{\"name\":\"estimate\"}");
        try (WsClient bob = WsClient.connect(server.wsUri("/v1/rtc?room=estimate&identity=bob"))) {
            String bobId = bob.next("joined").path("participant").path("id").asText();
            server.engine().session(bobId).setStats(List.of(new TrackStats("TR_v", TrackStats.Direction.SUBSCRIBED,
                100, 120_000, 2, 3, 1, 800_000, null, 4, 5, 6, 1_234_000)));

            JsonNode track = server.get("/v1/rooms/estimate/participants/bob/stats").json().path("tracks").get(0);
            assertThat(track.path("downlinkEstimate").asLong()).isEqualTo(1_234_000);
            String metrics = server.get("/metrics").body();
            assertThat(metrics).contains("sfu_track_downlink_estimate_bps{room=\"estimate\"");
            assertThat(metrics).containsPattern("(?m)^sfu_jvm_allocated_bytes_total [0-9.E]+$");
            assertThat(metrics).containsPattern("(?m)^sfu_media_allocated_bytes_total [0-9.E]+$");
        }
    }

    @Test
    void aSubscribedTracksTargetLayerAndShareOfTheEstimateAreInItsStatsAndMetrics() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"target\"}");
        try (WsClient bob = WsClient.connect(server.wsUri("/v1/rtc?room=target&identity=bob"))) {
            String bobId = bob.next("joined").path("participant").path("id").asText();
            server.engine().session(bobId).setStats(List.of(
                new TrackStats("TR_v", TrackStats.Direction.SUBSCRIBED, 100, 120_000, 2, 3, 1, 800_000, "h", 4, 5, 6,
                    1_234_000, -1, "f", 987_000),
                new TrackStats("TR_a", TrackStats.Direction.SUBSCRIBED, 50, 5_000, 0, 0, 0, 40_000, null, 0, 0, 0,
                    1_234_000, -1, null, 0)));

            JsonNode tracks = server.get("/v1/rooms/target/participants/bob/stats").json().path("tracks");
            assertThat(tracks.get(0).path("layer").asText()).isEqualTo("h");
            assertThat(tracks.get(0).path("targetLayer").asText()).isEqualTo("f");
            assertThat(tracks.get(0).path("allocatedBitrate").asLong()).isEqualTo(987_000);
            assertThat(tracks.get(1).path("targetLayer").isNull()).isTrue();
            assertThat(tracks.get(1).path("allocatedBitrate").asLong(-1)).isZero();
            assertThat(server.get("/metrics").body())
                .contains("sfu_track_allocated_bps{room=\"target\"")
                .contains("track=\"TR_v\",direction=\"subscribed\"} 987000");
        }
    }

    @Test
    void aSubscribedTracksRetransmissionsAndRefusedRetransmissionsAreInItsStatsAndMetrics() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"resend\"}");
        try (WsClient bob = WsClient.connect(server.wsUri("/v1/rtc?room=resend&identity=bob"))) {
            String bobId = bob.next("joined").path("participant").path("id").asText();
            server.engine().session(bobId).setStats(List.of(new TrackStats("TR_v", TrackStats.Direction.SUBSCRIBED,
                100, 120_000, 2, 3, 1, 800_000, null, 4, 5, 6)));

            JsonNode track = server.get("/v1/rooms/resend/participants/bob/stats").json().path("tracks").get(0);
            assertThat(track.path("retransmitted").asLong()).isEqualTo(5);
            assertThat(track.path("retransmitsRefused").asLong()).isEqualTo(6);
            assertThat(server.get("/metrics").body())
                .contains("sfu_track_retransmitted{room=\"resend\"", "sfu_track_retransmits_refused{room=\"resend\"")
                .contains("track=\"TR_v\",direction=\"subscribed\"} 6");
        }
    }

    @Test
    void aSubscribedTracksTemporalAndSpatialLayersAreInItsStatsAndMetricsAndNullWithoutThem() throws Exception {
        server.post("/v1/rooms", "{\"name\":\"temporal\"}");
        try (WsClient bob = WsClient.connect(server.wsUri("/v1/rtc?room=temporal&identity=bob"))) {
            String bobId = bob.next("joined").path("participant").path("id").asText();
            server.engine().session(bobId).setStats(List.of(
                new TrackStats("TR_v", TrackStats.Direction.SUBSCRIBED, 100, 120_000, 2, 3, 1, 800_000, "q", 4, 5, 6,
                    1_234_000, 0, null, 900_000, 2),
                new TrackStats("TR_w", TrackStats.Direction.SUBSCRIBED, 100, 120_000, 2, 3, 1, 800_000, null, 4, 5, 6,
                    1_234_000, -1)));

            JsonNode tracks = server.get("/v1/rooms/temporal/participants/bob/stats").json().path("tracks");
            assertThat(tracks.get(0).path("layer").asText()).isEqualTo("q");
            assertThat(tracks.get(0).path("temporalLayer").isInt()).isTrue();
            assertThat(tracks.get(0).path("temporalLayer").asInt()).isZero();
            assertThat(tracks.get(1).path("temporalLayer").isNull()).isTrue();
            assertThat(tracks.get(0).path("spatialLayer").asInt()).isEqualTo(2);
            assertThat(tracks.get(1).path("spatialLayer").isNull()).isTrue();
            String prefix = "{room=\"temporal\",participant=\"" + bobId + "\",identity=\"bob\",track=";
            assertThat(server.get("/metrics").body())
                .contains("sfu_track_temporal_layer" + prefix + "\"TR_v\",direction=\"subscribed\"} 0")
                .contains("sfu_track_temporal_layer" + prefix + "\"TR_w\",direction=\"subscribed\"} -1")
                .contains("sfu_track_spatial_layer" + prefix + "\"TR_v\",direction=\"subscribed\"} 2")
                .contains("sfu_track_spatial_layer" + prefix + "\"TR_w\",direction=\"subscribed\"} -1");
        }
    }

    @Test
    void wrongMethodsAndPathsGetJsonErrors() throws Exception {
        Response put = server.sendWithKey("PUT", "/v1/rooms", "{}", null);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.errorCode()).isEqualTo("bad_request");
        assertError(server.get("/no/such/page"), 404, "not_found");
    }

    @Test
    void theDemoPageIsServedAtTheRoot() throws Exception {
        Response page = server.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"app.js\"></script>");
        Response script = server.get("/app.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("/v1/rtc?", "type: 'offer', pc: 'publisher'",
            "type: 'answer', pc: 'subscriber'");
    }
}
