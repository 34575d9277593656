package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.testing.ManualClock;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.TestServer.Response;
import io.sfu.signaling.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code DELETE /v1/rooms/{room}/participants/{identity}?ban=SECONDS}: the identity may not rejoin the room until
 * the ban ends, and the token its banned join used stays refused until it expires; a bad ban kicks no one.
 */
class KickBanTest {
    private final ManualClock clock = TestServer.wallClockNow();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // no ping or negotiation deadline strikes while the test moves the clock by minutes
        server = TestServer.secretMode(clock, "signaling.pingIntervalSeconds", "3600", "http.idleTimeoutSeconds",
            "3601", "signaling.negotiationTimeoutSeconds", "3600");
        assertThat(server.post("/v1/rooms", "{\"name\":\"r1\"}").status()).isEqualTo(201);
        assertThat(server.post("/v1/rooms", "{\"name\":\"r2\"}").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String token(String room, String identity, int ttlSeconds) throws Exception {
        Response response = server.post("/v1/rooms/" + room + "/tokens",
            "{\"identity\":\"" + identity + "\",\"ttlSeconds\":" + ttlSeconds + "}");
        assertThat(response.status()).isEqualTo(201);
        return response.json().path("token").asText();
    }

    private String join(String token) {
        return "/v1/rtc?token=" + token;
    }

    /** Joins room r1 with the token, then is kicked through the API with this query. */
    private void joinAndKick(String token, String identity, String query) throws Exception {
        try (WsClient client = WsClient.connect(server.wsUri(join(token)))) {
            client.next("joined");
            assertThat(server.delete("/v1/rooms/r1/participants/" + identity + query).status()).isEqualTo(204);
            assertThat(client.awaitClose()).isEqualTo(CloseCodes.KICKED);
        }
    }

    @Test
    void aBannedIdentityCannotRejoinUntilTheBanEndsAndItsTokenNeverAgain() throws Exception {
        String used = token("r1", "mallory", 3600);
        joinAndKick(used, "mallory", "?ban=60");
        String fresh = token("r1", "mallory", 3600);
        assertThat(WsClient.refusal(server.wsUri(join(used)))).isEqualTo(403);
        assertThat(WsClient.refusal(server.wsUri(join(fresh)))).isEqualTo(403);
        try (WsClient elsewhere = WsClient.connect(server.wsUri(join(token("r2", "mallory", 3600))))) {
            assertThat(elsewhere.next("joined").path("room").path("name").asText()).as("another room").isEqualTo("r2");
        }

        clock.advance(Duration.ofSeconds(59));
        assertThat(WsClient.refusal(server.wsUri(join(fresh)))).as("a second before the end").isEqualTo(403);

        clock.advance(Duration.ofSeconds(1));
        try (WsClient back = WsClient.connect(server.wsUri(join(fresh)))) {
            assertThat(back.next("joined").path("participant").path("identity").asText()).isEqualTo("mallory");
        }
        assertThat(WsClient.refusal(server.wsUri(join(used)))).as("the banned join's token").isEqualTo(403);

        clock.advance(Duration.ofSeconds(3600 - 60));
        assertThat(WsClient.refusal(server.wsUri(join(used)))).as("expired now, whatever the ban").isEqualTo(401);
    }

    @Test
    void aKickWithoutBanLetsTheIdentityRejoinAtOnce() throws Exception {
        String used = token("r1", "bob", 3600);
        joinAndKick(used, "bob", "");
        try (WsClient again = WsClient.connect(server.wsUri(join(used)))) {
            again.next("joined");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "2592001", "99999999999", "60&ban=60", "1.5", ""})
    void aBadBanIsRefusedAndKicksNoOne(String ban) throws Exception {
        try (WsClient alice = WsClient.connect(server.wsUri(join(token("r1", "alice", 3600))))) {
            alice.next("joined");
            Response response = server.delete("/v1/rooms/r1/participants/alice?ban=" + ban);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("bad_request");
            assertThat(response.json().path("error").path("message").asText()).contains("2592000");
            alice.assertNothingPending();
            assertThat(server.get("/v1/rooms/r1").json().path("participants")).hasSize(1);
        }
    }

    @Test
    void theLongestBanIsAccepted() throws Exception {
        joinAndKick(token("r1", "alice", 3600), "alice", "?ban=2592000");
        clock.advance(Duration.ofSeconds(2_592_000 - 1));
        assertThat(WsClient.refusal(server.wsUri(join(token("r1", "alice", 3600))))).isEqualTo(403);
    }

    @Test
    void banningSomeoneAbsentIsNotFoundAndBansNoOne() throws Exception {
        Response response = server.delete("/v1/rooms/r1/participants/ghost?ban=60");
        assertThat(response.status()).isEqualTo(404);
        try (WsClient ghost = WsClient.connect(server.wsUri(join(token("r1", "ghost", 3600))))) {
            ghost.next("joined");
        }
    }
}
