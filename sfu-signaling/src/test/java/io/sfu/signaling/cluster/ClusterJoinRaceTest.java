package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.TestServer;
import io.sfu.signaling.WsClient;
import io.sfu.signaling.auth.TokenService;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room created through one node and joined through another a moment later, before the second has heard of it: the
 * join waits to hear of it rather than being refused, and the room keeps the settings it was created with.
 */
class ClusterJoinRaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SfuServer> nodes = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private String audience;

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        nodes.forEach(SfuServer::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private SfuServer startNode(String id, int clusterPort, String members) throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("http.port", "0", "test"),
            new ConfigLoader.Override("auth.secret", TestServer.SECRET, "test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("media.port", "0", "test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test"),
            new ConfigLoader.Override("forwarding.workers", "1", "test"),
            new ConfigLoader.Override("cluster.nodeId", id, "test"),
            new ConfigLoader.Override("cluster.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("cluster.port", Integer.toString(clusterPort), "test"),
            new ConfigLoader.Override("cluster.members", List.of(members.split(",")), "test")));
        audience = config.auth().audience();
        SfuServer server = SfuServer.start(config, MediaEngines.start(config));
        nodes.add(server);
        return server;
    }

    private static String base(SfuServer node) {
        return "http://127.0.0.1:" + node.httpAddress().getPort();
    }

    private HttpResponse<String> post(SfuServer node, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(node) + path))
            .header("Authorization", "Bearer " + TestServer.SECRET).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** A token signed with the cluster's secret, as a backend would sign it: valid on every node. */
    private String token(String room, String identity) {
        return new TokenService(TestServer.SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), audience, 30)
            .issue(room, identity, true, true, 600);
    }

    private WsClient join(SfuServer node, String token) throws Exception {
        WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + node.httpAddress().getPort()
            + "/v1/rtc?token=" + token));
        clients.add(client);
        return client;
    }

    private void awaitCluster() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            boolean formed = true;
            for (SfuServer node : nodes) {
                String body = http.send(HttpRequest.newBuilder(URI.create(base(node) + "/v1/cluster"))
                    .header("Authorization", "Bearer " + TestServer.SECRET).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                formed &= body.contains("\"id\":\"j1\"") && body.contains("\"id\":\"j2\"");
            }
            if (formed) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("the two nodes form a cluster within 60 s").isNegative();
            Thread.sleep(100);
        }
    }

    @Test
    void aJoinThroughAnotherNodeRightAfterTheCreationWaitsForTheRoomAndItsSettings() throws Exception {
        int port1 = freePort();
        int port2 = freePort();
        String members = "127.0.0.1:" + port1 + ",127.0.0.1:" + port2;
        SfuServer first = startNode("j1", port1, members);
        SfuServer second = startNode("j2", port2, members);
        awaitCluster();
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
