package io.sfu.signaling.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.signaling.WsClient;
import io.sfu.signaling.cluster.ClusterNodes.Node;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three SFU processes on loopback form a cluster: participants on two nodes see each other in one room, REST on the
 * third sees and acts on the whole room, a node killed with SIGKILL leaves no ghost within 5 s and the call goes on,
 * and a node stopped with SIGTERM sends its clients to another node.
 */
class ClusterProcessTest {
    private static final String SECRET = "cluster-test-secret-0123456789-abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private ClusterNodes cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + SECRET);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(Node node, String path) throws Exception {
        HttpResponse<String> response = call("GET", node.base() + path, null);
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
    }

    /** A series of a node's {@code /metrics}, summed over its labels; 0 when absent. */
    private double metric(Node node, String name) throws Exception {
        double sum = 0;
        for (String line : call("GET", node.base() + "/metrics", null).body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeoutMs + " ms: " + what);
            }
            Thread.sleep(50);
        }
    }

    private boolean quietly(java.util.concurrent.Callable<Boolean> check) {
        try {
            return check.call();
        } catch (Exception e) {
            return false;
        }
    }

    private List<String> identities(Node node, String room) throws Exception {
        List<String> identities = new ArrayList<>();
        get(node, "/v1/rooms/" + room).path("participants").forEach(p -> identities.add(p.path("identity").asText()));
        return identities;
    }

    private static URI rtc(Node node, String token) {
        return URI.create("ws://127.0.0.1:" + node.httpPort() + "/v1/rtc?token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    private WsClient join(Node node, String token) throws Exception {
        return WsClient.connect(rtc(node, token));
    }

    private String token(Node node, String room, String identity) throws Exception {
        HttpResponse<String> response = call("POST", node.base() + "/v1/rooms/" + room + "/tokens",
            "{\"identity\":\"" + identity + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("token").asText();
    }

    private static String offer() throws Exception {
        try (InputStream in = ClusterProcessTest.class.getResourceAsStream("/sdp/chromium-audio-video-gathered.sdp")) {
            assertThat(in).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The next room event about a participant, passing over offers and other messages. */
    private static JsonNode nextEvent(WsClient client, String type) throws Exception {
        return client.skipTo(type);
    }

    @Test
    void participantsOnTwoNodesSeeEachOtherTheThirdActsOnTheRoomAndADeadNodeLeavesNoGhost() throws Exception {
        cluster = ClusterNodes.start(3, SECRET, dir);
        Node n1 = cluster.get(0);
        Node n2 = cluster.get(1);
        Node n3 = cluster.get(2);
        await("every node sees three nodes", 60_000, () -> quietly(() ->
            get(n1, "/v1/cluster").path("nodes").size() == 3 && get(n2, "/v1/cluster").path("nodes").size() == 3
                && get(n3, "/v1/cluster").path("nodes").size() == 3));

        // a room created on n3 is placed on a node and held by every node
        HttpResponse<String> created = call("POST", n3.base() + "/v1/rooms", "{\"name\":\"r1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode placed = JSON.readTree(created.body()).path("node");
        assertThat(placed.path("id").asText()).isIn("n1", "n2", "n3");
        assertThat(placed.path("url").asText()).startsWith("http://127.0.0.1:");
        // n3 told the others where it placed r1: their placements count the room until the next load reports
        await("n1 and n2 heard of n3's placement", 5_000, () -> quietly(() ->
            metric(n1, "sfu_cluster_placements_heard_total") >= 1
                && metric(n2, "sfu_cluster_placements_heard_total") >= 1));
        assertThat(metric(n3, "sfu_cluster_placements_heard_total")).isZero();
        await("r1 on n1 and n2", 5_000, () -> quietly(() -> call("GET", n1.base() + "/v1/rooms/r1", null)
            .statusCode() == 200 && call("GET", n2.base() + "/v1/rooms/r1", null).statusCode() == 200));

        // tokens minted on n3 are valid on n1 and n2: every node shares the secret
        WsClient alice = join(n1, token(n3, "r1", "alice"));
        JsonNode aliceJoined = alice.next("joined");
        assertThat(aliceJoined.path("node").asText()).isEqualTo("n1");
        assertThat(aliceJoined.path("nodes")).hasSize(2);
        alice.send(WsClient.message("offer").put("pc", "publisher").put("sdp", offer()));
        alice.skipTo("answer");

        WsClient bob = join(n2, token(n3, "r1", "bob"));
        JsonNode bobJoined = bob.next("joined");
        JsonNode seen = bobJoined.path("room").path("participants");
        String aliceId = aliceJoined.path("participant").path("id").asText();
        if (seen.isEmpty()) {
            // alice's state had not reached n2 yet: she arrives as an event, with her tracks after her
            assertThat(nextEvent(bob, "participantJoined").path("participant").path("id").asText())
                .isEqualTo(aliceId);
            JsonNode track = nextEvent(bob, "trackPublished");
            assertThat(track.path("participantId").asText()).isEqualTo(aliceId);
        } else {
            assertThat(seen.get(0).path("identity").asText()).isEqualTo("alice");
            assertThat(seen.get(0).path("node").asText()).isEqualTo("n1");
            if (seen.get(0).path("tracks").isEmpty()) {
                // her tracks were not in n1's state yet: they follow as an event
                assertThat(nextEvent(bob, "trackPublished").path("participantId").asText()).isEqualTo(aliceId);
            }
        }
        String bobId = bobJoined.path("participant").path("id").asText();
        assertThat(nextEvent(alice, "participantJoined").path("participant").path("id").asText()).isEqualTo(bobId);

        // REST on the third node lists both, each with its node
        await("n3 lists alice and bob", 5_000, () -> quietly(() ->
            identities(n3, "r1").containsAll(List.of("alice", "bob"))));
        JsonNode room = get(n3, "/v1/rooms/r1");
        List<String> owners = new ArrayList<>();
        room.path("participants").forEach(p -> owners.add(p.path("identity").asText() + "@" + p.path("node").asText()));
        assertThat(owners).containsExactlyInAnyOrder("alice@n1", "bob@n2");
        // alice's stats come from her own node, whichever node is asked
        HttpResponse<String> stats = call("GET", n3.base() + "/v1/rooms/r1/participants/alice/stats", null);
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        JsonNode aliceStats = JSON.readTree(stats.body());
        assertThat(aliceStats.path("id").asText()).isEqualTo(aliceId);
        assertThat(aliceStats.path("tracks").size()).isPositive();

        // a room deleted on one node goes on every node, with its participants
        assertThat(call("POST", n1.base() + "/v1/rooms", "{\"name\":\"r2\"}").statusCode()).isEqualTo(201);
        await("r2 on n2 and n3", 5_000, () -> quietly(() -> call("GET", n2.base() + "/v1/rooms/r2", null)
            .statusCode() == 200 && call("GET", n3.base() + "/v1/rooms/r2", null).statusCode() == 200));
        WsClient dave = join(n3, token(n2, "r2", "dave"));
        dave.next("joined");
        assertThat(call("DELETE", n2.base() + "/v1/rooms/r2", null).statusCode()).isEqualTo(204);
        assertThat(dave.awaitClose()).isEqualTo(4011);
        await("r2 gone from every node", 5_000, () -> quietly(() -> call("GET", n1.base() + "/v1/rooms/r2", null)
            .statusCode() == 404 && call("GET", n3.base() + "/v1/rooms/r2", null).statusCode() == 404));
        dave.close();

        // SIGKILL bob's node: within 5 s the others drop bob, and alice hears he left
        long killed = System.nanoTime();
        n2.process().destroyForcibly();
        JsonNode left = nextEvent(alice, "participantLeft");
        long leftMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(left.path("participantId").asText()).isEqualTo(bobId);
        assertThat(leftMs).as("alice told bob left, ms after the kill").isLessThan(5_000);
        System.out.println("bob's departure reached alice " + leftMs + " ms after SIGKILL of his node");
        await("n3 no longer lists bob", Math.max(1, 5_000 - leftMs), () -> quietly(() ->
            identities(n3, "r1").equals(List.of("alice"))));
        await("n1 and n3 see two nodes", 2_000, () -> quietly(() ->
            get(n1, "/v1/cluster").path("nodes").size() == 2 && get(n3, "/v1/cluster").path("nodes").size() == 2));

        // the call goes on: carol joins on n3, alice sees her; a kick sent to n1 reaches carol's node
        WsClient carol = join(n3, token(n1, "r1", "carol"));
        carol.next("joined");
        assertThat(nextEvent(alice, "participantJoined").path("participant").path("identity").asText())
            .isEqualTo("carol");
        HttpResponse<String> kick = call("DELETE", n1.base() + "/v1/rooms/r1/participants/carol?ban=600", null);
        assertThat(kick.statusCode()).as(kick.body()).isEqualTo(204);
        assertThat(carol.awaitClose()).isEqualTo(4010);
        assertThat(nextEvent(alice, "participantLeft").path("participantId").asText()).isNotEmpty();
        // the ban holds on every node, with a fresh token too
        String fresh = token(n1, "r1", "carol");
        await("carol banned on n1 and n3", 5_000, () -> quietly(() -> WsClient.refusal(rtc(n1, fresh)) == 403
            && WsClient.refusal(rtc(n3, fresh)) == 403));

        // erin joins on n3, then again on n1: the newer connection replaces the older one on its node
        WsClient erin = join(n3, token(n3, "r1", "erin"));
        erin.next("joined");
        await("n1 shows erin", 5_000, () -> quietly(() -> identities(n1, "r1").contains("erin")));
        WsClient erinAgain = join(n1, token(n1, "r1", "erin"));
        erinAgain.next("joined");
        assertThat(erin.awaitClose()).isEqualTo(4009);
        await("erin once, on n1", 5_000, () -> quietly(() -> get(n3, "/v1/rooms/r1").path("participants")
            .findValuesAsText("identity").stream().filter("erin"::equals).count() == 1
            && identities(n1, "r1").contains("erin")));
        erin.close();
        erinAgain.close();

        // the directory moved by room-scoped updates: a full state only at start and when a node asked for one
        double updates = metric(n3, "sfu_cluster_updates_published_total");
        double states = metric(n3, "sfu_cluster_states_published_total");
        System.out.println("n3 sent " + (long) states + " full states and " + (long) updates + " updates");
        assertThat(updates).isGreaterThanOrEqualTo(3);
        assertThat(states).isLessThan(updates);

        // SIGTERM alice's node: she is told to reconnect to the node left
        n1.process().destroy();
        JsonNode reconnect = alice.skipTo("reconnect");
        assertThat(reconnect.path("url").asText()).isEqualTo(n3.base());
        assertThat(alice.awaitClose()).isEqualTo(4015);
        assertThat(n1.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(n1.process().exitValue()).isZero();
        await("n3 alone, r1 empty", 5_000, () -> quietly(() ->
            get(n3, "/v1/cluster").path("nodes").size() == 1 && identities(n3, "r1").isEmpty()));
        alice.close();
        bob.close();
        carol.close();
    }
}
