package io.sfu.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.core.session.MediaEngine;
import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.cluster.ClusterNodes;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media across two nodes of a cluster with real Chromium pages: alice on one node and bob on the other each receive
 * the other's video (frames decoded) and audio, which crossed between the nodes through their media relay, once
 * per track (the relay's export and import counts). Needs the media engine with its relay.
 */
@Tag("browser")
class ClusterMediaBrowserTest {
    private static final long WITHIN_MS = 15_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path logs;

    @BeforeEach
    void needsBrowserAndEngineWithRelay() throws Exception {
        BrowserEnvironment.requireOrSkip();
        BrowserSfu.assumeMediaEngine();
        assumeTrue(engineHasRelay(), "the media engine has no relay (MediaEngine.relay answers null)");
    }

    /** Asks a media engine, started here on free ports and closed at once, for its relay. */
    private static boolean engineHasRelay() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("media.host", "127.0.0.1", "relay check"),
            new ConfigLoader.Override("media.port", "0", "relay check"),
            new ConfigLoader.Override("media.tcpPort", "-1", "relay check")));
        MediaEngine engine = MediaEngines.start(config);
        try {
            return engine.relay("127.0.0.1", 0) != null;
        } finally {
            engine.close();
        }
    }

    private static JsonNode cluster(ClusterNodes.Node node) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.base() + "/v1/cluster"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static JsonNode self(JsonNode cluster) {
        for (JsonNode node : cluster.path("nodes")) {
            if (node.path("self").asBoolean()) {
                return node;
            }
        }
        return JSON.createObjectNode();
    }

    @Test
    void participantsOnTwoNodesReceiveEachOthersMediaAcrossTheRelay() throws Exception {
        try (ClusterNodes nodes = ClusterNodes.start(2, null, logs)) {
            ClusterNodes.Node a = nodes.get(0);
            ClusterNodes.Node b = nodes.get(1);
            assertThat(self(cluster(a)).has("relay")).as("the node opened its relay").isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (cluster(a).path("nodes").size() < 2 || cluster(b).path("nodes").size() < 2) {
                assertThat(System.nanoTime() - deadline).as("both nodes see each other within 30 s").isNegative();
                Thread.sleep(100);
            }

            JsonNode result = NodeScript.run("cluster-media.mjs", a.base(), "--url-b", b.base(),
                "--within-ms", Long.toString(WITHIN_MS)).assertPassed().json();

            assertThat(result.path("firstMediaMs").asLong()).isBetween(0L, WITHIN_MS);
            for (String[] pair : new String[][] {{"alice", "bob"}, {"bob", "alice"}}) {
                JsonNode first = result.path("received").path(pair[0]).path(pair[1]);
                JsonNode later = result.path("rising").path(pair[0]).path(pair[1]);
                String what = pair[0] + " from " + pair[1];
                assertThat(first.path("videoFramesDecoded").asLong()).as("%s: video frames", what).isPositive();
                assertThat(first.path("audioPacketsReceived").asLong()).as("%s: audio packets", what).isPositive();
                assertThat(later.path("videoFramesDecoded").asLong()).as("%s: video frames, rising", what)
                    .isGreaterThan(first.path("videoFramesDecoded").asLong());
            }
            // the media crossed through the relays, both ways
            for (ClusterNodes.Node node : nodes.nodes()) {
                JsonNode relay = self(cluster(node)).path("relay");
                assertThat(relay.path("relay_packets_sent").asLong()).as("%s relayed packets", node.id()).isPositive();
                assertThat(relay.path("relay_packets_received").asLong()).as("%s received relayed packets",
                    node.id()).isPositive();
                assertThat(self(cluster(node)).path("relayPeers").size()).as("%s's relay peers", node.id())
                    .isEqualTo(1);
            }
        }
    }

    @Test
    void whenANodeIsKilledTheOthersDropItsParticipantWithinFiveSecondsAndKeepReceivingEachOther() throws Exception {
        try (ClusterNodes nodes = ClusterNodes.start(3, null, logs)) {
            ClusterNodes.Node a = nodes.get(0);
            assertThat(self(cluster(a)).has("relay")).as("the node opened its relay").isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (ClusterNodes.Node node : nodes.nodes()) {
                while (cluster(node).path("nodes").size() < 3) {
                    assertThat(System.nanoTime() - deadline).as("the nodes see each other within 30 s").isNegative();
                    Thread.sleep(100);
                }
            }

            JsonNode result = NodeScript.run("cluster-media.mjs", a.base(), "--url-b", nodes.get(1).base(),
                "--url-c", nodes.get(2).base(), "--kill-pid", Long.toString(nodes.get(2).process().pid()),
                "--within-ms", Long.toString(WITHIN_MS)).assertPassed().json();

            assertThat(nodes.get(2).process().isAlive()).isFalse();
            for (String stayed : new String[] {"alice", "bob"}) {
                assertThat(result.path("carolLeftMs").path(stayed).asLong()).as("%s told carol left", stayed)
                    .isBetween(0L, 5_000L);
            }
            for (String[] pair : new String[][] {{"alice", "bob"}, {"bob", "alice"}}) {
                JsonNode now = result.path("afterKill").path("received").path(pair[0]).path(pair[1]);
                JsonNode later = result.path("afterKill").path("rising").path(pair[0]).path(pair[1]);
                assertThat(later.path("videoFramesDecoded").asLong()).as("%s from %s after the kill", pair[0],
                    pair[1]).isGreaterThan(now.path("videoFramesDecoded").asLong());
                assertThat(later.path("audioPacketsReceived").asLong()).as("%s from %s after the kill", pair[0],
                    pair[1]).isGreaterThan(now.path("audioPacketsReceived").asLong());
            }
            for (ClusterNodes.Node node : List.of(a, nodes.get(1))) {
                assertThat(cluster(node).path("nodes")).as("%s's view", node.id()).hasSize(2);
            }
        }
    }
}
