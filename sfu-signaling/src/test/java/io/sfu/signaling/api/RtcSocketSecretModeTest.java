package io.sfu.signaling.api;

import static io.sfu.signaling.WsClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.sfu.core.session.FakeMediaEngine;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket joins with tokens: the token decides the room, the identity and the permissions. */
class RtcSocketSecretModeTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.secretMode();
        server.post("/v1/rooms", "{\"name\":\"a\"}");
        server.post("/v1/rooms", "{\"name\":\"b\"}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String rtc(String token) {
        return "/v1/rtc?token=" + token;
    }

    @Test
    void aTokenJoinsItsRoomAsItsIdentity() throws Exception {
        try (WsClient alice = WsClient.connect(server.wsUri(rtc(server.token("a", "alice", true, true))))) {
            JsonNode joined = alice.next("joined");
            assertThat(joined.path("participant").path("identity").asText()).isEqualTo("alice");
            assertThat(joined.path("room").path("name").asText()).isEqualTo("a");
        }
    }

    @Test
    void aTokenForRoomACannotJoinRoomB() throws Exception {
        String token = server.token("a", "alice", true, true);
        assertThat(WsClient.refusal(server.wsUri(rtc(token) + "&room=b"))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(token) + "&identity=bob"))).isEqualTo(401);
        assertThat(server.get("/v1/rooms/b").json().path("participants")).isEmpty();
    }

    /** A token as a backend would mint it with the secret: every claim the server requires, room a. */
    private static JWTCreator.Builder minted(String identity) {
        return JWT.create().withClaim("room", "a").withClaim("identity", identity).withAudience("sfu")
            .withJWTId("id-" + identity).withExpiresAt(Instant.now().plusSeconds(600));
    }

    @Test
    void withoutAValidTokenTheUpgradeIsUnauthorized() throws Exception {
        Algorithm wrongKey = Algorithm.HMAC256("another-secret-another-secret-another");
        String forged = minted("mallory").sign(wrongKey);
        Algorithm rightKey = Algorithm.HMAC256(TestServer.SECRET);
        String expired = minted("late").withExpiresAt(Instant.now().minusSeconds(60)).sign(rightKey);
        String noRoom = JWT.create().withClaim("identity", "x").withAudience("sfu").withJWTId("id-x")
            .withExpiresAt(Instant.now().plusSeconds(600)).sign(rightKey);
        String noExpiry = JWT.create().withClaim("room", "a").withClaim("identity", "forever").withAudience("sfu")
            .withJWTId("id-forever").sign(rightKey);
        String noAudience = JWT.create().withClaim("room", "a").withClaim("identity", "anyone").withJWTId("id-any")
            .withExpiresAt(Instant.now().plusSeconds(600)).sign(rightKey);
        String otherAudience = minted("elsewhere").withAudience("another-service").sign(rightKey);
        String noTokenId = JWT.create().withClaim("room", "a").withClaim("identity", "anonymous")
            .withAudience("sfu").withExpiresAt(Instant.now().plusSeconds(600)).sign(rightKey);

        assertThat(WsClient.refusal(server.wsUri("/v1/rtc"))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri("/v1/rtc?room=a&identity=alice"))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc("not.a.jwt")))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(forged)))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(expired)))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(noRoom)))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(noExpiry)))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(noAudience)))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(otherAudience)))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(noTokenId)))).isEqualTo(401);
        assertThat(server.get("/v1/rooms/a").json().path("participants")).isEmpty();
        // the same minting with every claim right joins: each refusal above is for its one flaw
        try (WsClient valid = WsClient.connect(server.wsUri(rtc(minted("valid").sign(rightKey))))) {
            assertThat(valid.next("joined").path("participant").path("identity").asText()).isEqualTo("valid");
        }
    }

    @Test
    void aTokenForARoomThatIsGoneIsNotFound() throws Exception {
        String token = server.token("a", "alice", true, true);
        server.delete("/v1/rooms/a");
        try (WsClient alice = WsClient.connect(server.wsUri(rtc(token)))) {
            assertThat(alice.next("error").path("code").asText()).isEqualTo("not_found");
            assertThat(alice.awaitClose()).isEqualTo(CloseCodes.NOT_FOUND);
        }
        assertThat(server.get("/v1/rooms/a").status()).isEqualTo(404);
    }

    @Test
    void withoutPublishPermissionAnOfferIsForbidden() throws Exception {
        try (WsClient viewer = WsClient.connect(server.wsUri(rtc(server.token("a", "viewer", false, true))))) {
            viewer.next("joined");
            viewer.send(message("offer").put("pc", "publisher").put("sdp", FakeMediaEngine.offer("audio")));
            JsonNode error = viewer.next("error");
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
            viewer.send(message("leave"));
            assertThat(viewer.awaitClose()).isEqualTo(CloseCodes.NORMAL);
        }
    }

    /**
     * The publisher publishes a video track once both joined; the other is told of it and of nothing else.
     *
     * @return the track's id
     */
    private static String publishVideoTo(WsClient publisher, WsClient other) throws Exception {
        publisher.next("joined");
        other.next("joined");
        publisher.next("participantJoined");
        publisher.send(message("offer").put("pc", "publisher").put("sdp", FakeMediaEngine.offer("video")));
        publisher.next("answer");
        String trackId = other.next("trackPublished").path("track").path("id").asText();
        other.assertNothingPending();
        return trackId;
    }

    @Test
    void aTokenWithoutPermissionClaimsMayNeitherPublishNorSubscribe() throws Exception {
        String bare = minted("bare").sign(Algorithm.HMAC256(TestServer.SECRET));
        try (WsClient alice = WsClient.connect(server.wsUri(rtc(server.token("a", "alice", true, true))));
             WsClient viewer = WsClient.connect(server.wsUri(rtc(bare)))) {
            String trackId = publishVideoTo(alice, viewer);

            viewer.send(message("offer").put("pc", "publisher").put("sdp", FakeMediaEngine.offer("audio")));
            assertThat(viewer.next("error").path("code").asText()).isEqualTo("forbidden");
            viewer.send(message("subscribe").set("trackIds", WsClientJson.array(trackId)));
            assertThat(viewer.next("error").path("code").asText()).isEqualTo("forbidden");
            for (JsonNode participant : server.get("/v1/rooms/a").json().path("participants")) {
                if (participant.path("identity").asText().equals("bare")) {
                    assertThat(participant.path("tracks")).as("nothing published").isEmpty();
                }
            }
            assertThat(server.engine().sessions()).filteredOn(session -> session.context().identity().equals("bare"))
                .singleElement().satisfies(session -> assertThat(session.subscriberOffers()).as("nothing forwarded")
                    .isEmpty());
        }
    }

    @Test
    void withoutSubscribePermissionNothingIsForwarded() throws Exception {
        try (WsClient alice = WsClient.connect(server.wsUri(rtc(server.token("a", "alice", true, true))));
             WsClient blind = WsClient.connect(server.wsUri(rtc(server.token("a", "blind", true, false))))) {
            String trackId = publishVideoTo(alice, blind);
            blind.send(message("subscribe").set("trackIds", WsClientJson.array(trackId)));
            assertThat(blind.next("error").path("code").asText()).isEqualTo("forbidden");
        }
    }
}
