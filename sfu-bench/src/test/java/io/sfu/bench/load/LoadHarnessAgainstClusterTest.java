package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.sfu.signaling.SfuServer;
import io.sfu.signaling.cluster.InProcessCluster;
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

    private InProcessCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String url(SfuServer server) {
        return InProcessCluster.url(server);
    }

    @Test
    void aSpeakerOnOneNodeReachesListenersOnBothAndEachPacketCrossesOnce() throws Exception {
        cluster = InProcessCluster.start(null, "c1", "c2");
        SfuServer first = cluster.node(0);
        SfuServer second = cluster.node(1);
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
        cluster = InProcessCluster.start(null, "c1", "c2");
        SfuServer first = cluster.node(0);
        SfuServer second = cluster.node(1);
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
