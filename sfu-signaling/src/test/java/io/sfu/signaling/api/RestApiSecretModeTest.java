package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.signaling.TestServer;
import io.sfu.signaling.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** With an API secret every /v1 REST call needs the key: without it, 401 and nothing changes. */
class RestApiSecretModeTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.secretMode();
        assertThat(server.post("/v1/rooms", "{\"name\":\"existing\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} with key [{3}]")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "POST   | /v1/rooms                                     | {\"name\":\"sneaky\"}   | NONE",
        "POST   | /v1/rooms                                     | {\"name\":\"sneaky\"}   | wrong-key",
        "POST   | /v1/rooms                                     | {\"name\":\"sneaky\"}   | ''",
        "GET    | /v1/rooms                                     | NONE                     | NONE",
        "GET    | /v1/rooms/existing                            | NONE                     | wrong-key",
        "DELETE | /v1/rooms/existing                            | NONE                     | NONE",
        "DELETE | /v1/rooms/existing                            | NONE                     | wrong-key",
        "POST   | /v1/rooms/existing/tokens                     | {\"identity\":\"mallory\"} | NONE",
        "DELETE | /v1/rooms/existing/participants/alice         | NONE                     | NONE",
        "GET    | /v1/rooms/existing/participants/alice/stats   | NONE                     | wrong-key",
        "GET    | /v1/rooms/missing                             | NONE                     | NONE",
    })
    void everyCallWithoutTheRightKeyIsUnauthorizedAndChangesNothing(String method, String path, String body,
                                                                      String key) throws Exception {
        Response response = server.sendWithKey(method, path, body, key);

        assertThat(response.status()).as("%s", response).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("unauthorized");
        assertThat(response.body()).doesNotContain("token\"");
        assertThat(server.get("/v1/rooms/existing").status()).isEqualTo(200);
        assertThat(server.get("/v1/rooms/sneaky").status()).isEqualTo(404);
    }

    @Test
    void aBasicOrLowerCaseSchemeWithTheSecretIsNotAKey() throws Exception {
        assertThat(server.getWithAuthorization("/v1/rooms", "Basic " + TestServer.SECRET).status()).isEqualTo(401);
        assertThat(server.getWithAuthorization("/v1/rooms", TestServer.SECRET).status()).isEqualTo(401);
        assertThat(server.getWithAuthorization("/v1/rooms", "Bearer " + TestServer.SECRET + "x").status())
            .isEqualTo(401);
        assertThat(server.getWithAuthorization("/v1/rooms", "Bearer " + TestServer.SECRET).status()).isEqualTo(200);
    }

    @Test
    void withTheKeyTheApiWorks() throws Exception {
        assertThat(server.post("/v1/rooms", "{\"name\":\"keyed\"}").status()).isEqualTo(201);
        assertThat(server.get("/v1/rooms").json().toString()).contains("keyed");
        assertThat(server.post("/v1/rooms/keyed/tokens", "{\"identity\":\"alice\"}").status()).isEqualTo(201);
        assertThat(server.delete("/v1/rooms/keyed").status()).isEqualTo(204);
    }

    @Test
    void healthNeedsNoKey() throws Exception {
        assertThat(server.sendWithKey("GET", "/healthz", null, null).status()).isEqualTo(200);
    }

    @Test
    void metricsNeedTheKeyAsV1Does() throws Exception {
        for (String key : new String[] {null, "wrong-key", ""}) {
            Response refused = server.sendWithKey("GET", "/metrics", null, key);
            assertThat(refused.status()).as("key [%s]", key).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("unauthorized");
            assertThat(refused.body()).doesNotContain("sfu_rooms");
        }
        Response scrape = server.get("/metrics");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.body()).contains("sfu_rooms ", "sfu_http_connections ");
    }
}
