package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.sfu.core.testing.ManualClock;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token signed by a machine whose clock runs ahead: its {@code nbf} and {@code iat} may lie up to
 * {@code auth.clockSkewSeconds} (30 here) in the future; its {@code exp} gets no leeway.
 */
class TokenClockSkewTest {
    private final ManualClock clock = TestServer.wallClockNow();
    private TestServer server;
    private Instant now;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.secretMode(clock, "auth.clockSkewSeconds", "30");
        assertThat(server.post("/v1/rooms", "{\"name\":\"r1\"}").status()).isEqualTo(201);
        now = TestServer.asWallClock(clock).instant();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JWTCreator.Builder token(String identity) {
        return JWT.create().withClaim("room", "r1").withClaim("identity", identity).withClaim("canPublish", true)
            .withClaim("canSubscribe", true).withAudience("sfu").withJWTId("jti-" + identity);
    }

    private String rtc(JWTCreator.Builder token) {
        return "/v1/rtc?token=" + token.sign(Algorithm.HMAC256(TestServer.SECRET));
    }

    private void assertJoins(JWTCreator.Builder token, String identity) throws Exception {
        try (WsClient client = WsClient.connect(server.wsUri(rtc(token)))) {
            assertThat(client.next("joined").path("participant").path("identity").asText()).isEqualTo(identity);
        }
    }

    @Test
    void notBeforeAndIssuedAtUpToTheSkewAheadAreAccepted() throws Exception {
        assertJoins(token("nbf").withNotBefore(now.plusSeconds(30)).withExpiresAt(now.plusSeconds(600)), "nbf");
        assertJoins(token("iat").withIssuedAt(now.plusSeconds(30)).withExpiresAt(now.plusSeconds(600)), "iat");
    }

    @Test
    void oneSecondMoreIsRefused() throws Exception {
        assertThat(WsClient.refusal(server.wsUri(rtc(token("nbf").withNotBefore(now.plusSeconds(31))
            .withExpiresAt(now.plusSeconds(600)))))).isEqualTo(401);
        assertThat(WsClient.refusal(server.wsUri(rtc(token("iat").withIssuedAt(now.plusSeconds(31))
            .withExpiresAt(now.plusSeconds(600)))))).isEqualTo(401);
        assertThat(server.get("/v1/rooms/r1").json().path("participants")).isEmpty();
    }

    @Test
    void expiryGetsNoLeeway() throws Exception {
        assertJoins(token("last").withExpiresAt(now.plusSeconds(1)), "last");
        assertThat(WsClient.refusal(server.wsUri(rtc(token("late").withExpiresAt(now.minusSeconds(1))))))
            .isEqualTo(401);
    }
}
