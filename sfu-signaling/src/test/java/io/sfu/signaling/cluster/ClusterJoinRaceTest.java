package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import io.sfu.signaling.auth.TokenService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room created through one node and joined through another a moment later, before the second has heard of it: the
 * join waits to hear of it rather than being refused, and the room keeps the settings it was created with.
 */
class ClusterJoinRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WsClient> clients = new ArrayList<>();
    private InProcessCluster cluster;

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private HttpResponse<String> post(SfuServer node, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(InProcessCluster.url(node) + path))
            .header("Authorization", "Bearer " + TestServer.SECRET).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** A token signed with the cluster's secret, as a backend would sign it: valid on every node. */
    private String token(String room, String identity) {
        return new TokenService(TestServer.SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC(),
            cluster.audience(), 30)
            .issue(room, identity, true, true, 600);
    }

    private WsClient join(SfuServer node, String token) throws Exception {
        WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + node.httpAddress().getPort()
            + "/v1/rtc?token=" + token));
        clients.add(client);
        return client;
    }

    @Test
    void aJoinThroughAnotherNodeRightAfterTheCreationWaitsForTheRoomAndItsSettings() throws Exception {
        cluster = InProcessCluster.start(TestServer.SECRET, "j1", "j2");
        SfuServer first = cluster.node(0);
        SfuServer second = cluster.node(1);
        // the tokens first, so that the joins follow the creation within milliseconds, before the second node can
        // have heard of the room (its creation is published after 20 ms)
        String[] tokens = {token("race", "p0"), token("race", "p1"), token("race", "p2")};
        HttpResponse<String> created = post(first, "/v1/rooms", "{\"name\":\"race\",\"maxParticipants\":2}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        WsClient one = join(second, tokens[0]);
        WsClient two = join(second, tokens[1]);
        JsonNode joined = one.next();
        assertThat(joined.path("type").asText()).as(joined.toString()).isEqualTo("joined");
        assertThat(two.next().path("type").asText()).isEqualTo("joined");

        WsClient three = join(second, tokens[2]);
        JsonNode refused = three.next();
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.toString()).as("the room holds the 2 it was created for").contains("is full (2 participants)");
    }
}
