package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness against a cluster of two real SFU nodes started in the test (each with its own media engine and
 * relay, joined over Hazelcast on loopback): a speaker on the first node and listeners on both, each media packet
 * crossing once to the second node, and the figures of both nodes in the report.
 */
class LoadHarnessAgainstClusterTest {
    @TempDir
    Path dir;

    private final List<SfuServer> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (SfuServer node : nodes) {
            node.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private SfuServer startNode(String id, int clusterPort, String members) throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("http.port", "0", "test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("media.port", "0", "test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test"),
            new ConfigLoader.Override("forwarding.workers", "1", "test"),
            new ConfigLoader.Override("cluster.nodeId", id, "test"),
            new ConfigLoader.Override("cluster.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("cluster.port", Integer.toString(clusterPort), "test"),
            new ConfigLoader.Override("cluster.members", List.of(members.split(",")), "test")));
        SfuServer server = SfuServer.start(config, MediaEngines.start(config));
        nodes.add(server);
        return server;
    }

    private static String url(SfuServer server) {
        return "http://127.0.0.1:" + server.httpAddress().getPort();
    }

    /** Waits until each node lists both in GET /v1/cluster. */
    private void awaitCluster() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            boolean formed = true;
            for (SfuServer node : nodes) {
                String body = http.send(HttpRequest.newBuilder(URI.create(url(node) + "/v1/cluster")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                formed &= body.contains("\"id\":\"c1\"") && body.contains("\"id\":\"c2\"");
            }
            if (formed) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("the two nodes form a cluster within 60 s").isNegative();
            Thread.sleep(100);
        }
    }

    @Test
    void aSpeakerOnOneNodeReachesListenersOnBothAndEachPacketCrossesOnce() throws Exception {
        int port1 = freePort();
        int port2 = freePort();
        String members = "127.0.0.1:" + port1 + ",127.0.0.1:" + port2;
        SfuServer first = startNode("c1", port1, members);
        SfuServer second = startNode("c2", port2, members);
        awaitCluster();
        Path out = dir.resolve("cluster");

        int exit = LoadMain.run("--url", url(first) + "," + url(second), "--publishers", "1", "--subscribers", "4",
            "--duration", "4", "--warmup", "2", "--video-kbps", "500", "--out", out.toString());

        assertThat(exit).isZero();
        LoadReport.Step step = LoadReport.read(out.resolve("report.json")).steps().get(0);
        assertThat(step.clientsReady()).isEqualTo(5);
        assertThat(step.silentTracks()).isZero();
        // four listeners receive what the speaker sends, two of them through the second node
        assertThat(step.receivedPackets()).isBetween(step.sentPackets() * 3, step.sentPackets() * 5);
        LoadReport.ClusterStep cluster = step.cluster();
        assertThat(cluster).isNotNull();
        assertThat(cluster.nodes()).isEqualTo(2);
        assertThat(cluster.perNode()).extracting(LoadReport.NodeStep::url)
            .containsExactly(url(first), url(second));
        // the speaker's packets cross to the second node once, whatever its two listeners (retransmissions and
        // RTCP ride on the relay too)
        assertThat(cluster.relayCopiesPerPublishedPacketPerPeer()).isBetween(0.9, 1.3);
        assertThat(cluster.perNode().get(0).relayPacketsSentPerSecond()).isPositive();
        assertThat(cluster.perNode().get(1).relayPacketsReceivedPerSecond()).isPositive();
        assertThat(cluster.perNode().get(1).forwardedPacketsPerSecond()).isPositive();
    }

    @Test
    void lightListenersOnBothNodesCountEveryPacketOfTheSpeaker() throws Exception {
        int port1 = freePort();
        int port2 = freePort();
        String members = "127.0.0.1:" + port1 + ",127.0.0.1:" + port2;
        SfuServer first = startNode("c1", port1, members);
        SfuServer second = startNode("c2", port2, members);
        awaitCluster();
        Path out = dir.resolve("cluster-light");

        int exit = LoadMain.run("--url", url(first) + "," + url(second), "--publishers", "1", "--subscribers", "4",
            "--duration", "4", "--warmup", "2", "--video-kbps", "500", "--light-subscribers", "--out",
            out.toString());

        assertThat(exit).isZero();
        LoadReport report = LoadReport.read(out.resolve("report.json"));
        assertThat(report.scenario()).containsEntry("lightSubscribers", true);
        LoadReport.Step step = report.steps().get(0);
        assertThat(step.clientsReady()).isEqualTo(5);
        assertThat(step.silentTracks()).isZero();
        assertThat(step.receivedPackets()).isBetween(step.sentPackets() * 3, step.sentPackets() * 5);
        assertThat(step.lossPct()).isLessThan(1.0);
        long sampled = Histograms.decode(step.latencyHistogram()).getTotalCount();
        assertThat(sampled).isBetween(step.receivedPackets() / 8 - 16, step.receivedPackets() / 8 + 16);
        assertThat(step.failures()).noneSatisfy(f -> assertThat(f).endsWith(LoadRunner.AUTH_FAILURE_TEXT));
        assertThat(step.cluster().perNode().get(1).forwardedPacketsPerSecond()).isPositive();
    }
}
