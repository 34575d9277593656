package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadCommandTest {
    private static Scenario parse(String... args) {
        LoadCommand command = new LoadCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return command.scenario();
    }

    @Test
    void theDocumentedCommandLineGivesItsScenario() {
        Scenario s = parse("--url", "http://127.0.0.1:8080", "--rooms", "2", "--publishers", "1", "--subscribers",
            "30", "--duration", "20", "--video-kbps", "1500", "--simulcast", "--ramp", "--secret", "abc", "--out", "x");

        assertThat(s.rooms()).isEqualTo(2);
        assertThat(s.subscribersPerRoom()).isEqualTo(30);
        assertThat(s.durationSeconds()).isEqualTo(20);
        assertThat(s.videoKbps()).isEqualTo(1500);
        assertThat(s.simulcast()).isTrue();
        assertThat(s.ramp()).isTrue();
        assertThat(s.rampBy()).isEqualTo(Scenario.RampBy.SUBSCRIBERS);
        assertThat(s.rampStep()).isEqualTo(5);
        assertThat(s.secret()).isEqualTo("abc");
        assertThat(s.describe()).doesNotContainKey("secret").containsEntry("secretMode", true);
        assertThat(s.roomPrefix()).isEqualTo("load-" + s.runId() + "-");
    }

    @Test
    void presetsFillTheShapeAndExplicitOptionsWin() {
        Scenario meetings = parse("--url", "http://h:1", "--out", "x", "--preset", "meetings");
        assertThat(meetings.publishersPerRoom()).isEqualTo(5);
        assertThat(meetings.subscribersPerRoom()).isZero();
        assertThat(meetings.rampBy()).isEqualTo(Scenario.RampBy.ROOMS);
        assertThat(meetings.rampStep()).isEqualTo(1);

        Scenario webinar = parse("--url", "http://h:1", "--out", "x", "--preset", "webinar", "--subscribers", "100");
        assertThat(webinar.publishersPerRoom()).isEqualTo(1);
        assertThat(webinar.subscribersPerRoom()).isEqualTo(100);
        assertThat(webinar.rampStep()).isEqualTo(50);
    }

    @Test
    void theNodesOfAClusterAreJoinedInTurnByTheClientsOfEachRoomPublishersFirst() {
        Scenario s = parse("--url", "http://a:1, http://b:2", "--out", "x", "--preset", "webinar", "--subscribers",
            "4");
        assertThat(s.urls()).containsExactly("http://a:1", "http://b:2");
        SfuApi a = new SfuApi("http://a:1", null);
        SfuApi b = new SfuApi("http://b:2", null);
        LoadClient.Context context = new LoadClient.Context(s, java.util.List.of(a, b), null, WallClock.INSTANCE,
            "r");

        assertThat(context.nodeFor(new Topology.ClientSpec(0, true, 0, 0))).isSameAs(a);
        assertThat(context.nodeFor(new Topology.ClientSpec(0, false, 0, 1))).isSameAs(b);
        assertThat(context.nodeFor(new Topology.ClientSpec(0, false, 1, 2))).isSameAs(a);
        assertThat(context.nodeFor(new Topology.ClientSpec(3, false, 2, 9))).isSameAs(b);
        assertThatThrownBy(() -> new LoadClient.Context(s, java.util.List.of(), null, WallClock.INSTANCE, "r"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--url", "http://a:1,", "--out", "x")).hasMessageContaining("--url");
    }

    @Test
    void theReadingsOfANodesClusterAreSummedAndAMissingFigureStaysMissing() {
        ResourceSampler.Sample one = new ResourceSampler.Sample(10, 1e9, 100, 1000, 5, "metrics", 64, 50, 300, 200, 8);
        ResourceSampler.Sample two = new ResourceSampler.Sample(11, 2e9, 200, 3000, 6, "metrics", 36, 70, 200, 300, 2);
        ResourceSampler.Sample sum = ResourceSampler.Sample.sum(java.util.List.of(one, two));
        assertThat(sum.wallNs()).isEqualTo(10);
        assertThat(sum.sfuCpuNs()).isEqualTo(3e9);
        assertThat(sum.sfuPacketsForwarded()).isEqualTo(4000);
        assertThat(sum.sfuAllocatedBytes()).isEqualTo(100);
        assertThat(sum.packetThreadsAllocatedBytes()).isEqualTo(10);
        assertThat(sum.relayPacketsSent()).isEqualTo(500);
        assertThat(sum.relayPacketsReceived()).isEqualTo(500);
        ResourceSampler.Sample blind = new ResourceSampler.Sample(12, Double.NaN, 1, 1, 7, "none", 1, 1, Double.NaN, 1, 1);
        assertThat(ResourceSampler.Sample.sum(java.util.List.of(one, blind)).sfuCpuNs()).isNaN();
        assertThat(ResourceSampler.Sample.sum(java.util.List.of(one, blind)).relayPacketsSent()).isNaN();
        assertThat(ResourceSampler.Sample.sum(java.util.List.of(one))).isSameAs(one);
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--url", "http://h:1", "--out", "x", "--rooms", "0"))
            .hasMessageContaining("--rooms");
        assertThatThrownBy(() -> parse("--url", "http://h:1", "--out", "x", "--shard", "2/2", "--run-id", "r"))
            .hasMessageContaining("--shard");
        assertThatThrownBy(() -> parse("--url", "http://h:1", "--out", "x", "--shard", "0/2"))
            .hasMessageContaining("--run-id");
        assertThatThrownBy(() -> parse("--url", "http://h:1", "--out", "x", "--loss", "101"))
            .hasMessageContaining("--loss");
        assertThatThrownBy(() -> parse("--url", "http://h:1", "--out", "x", "--no-audio", "--no-video"))
            .hasMessageContaining("--no-audio");
        assertThat(LoadMain.run("--url", "http://h:1", "--out", "x", "--rooms", "-1")).isEqualTo(2);
        assertThat(LoadMain.run("--out", "x")).isEqualTo(2);
    }

    @Test
    void anUnreachableSfuEndsTheRunWithExitCode3() {
        assertThat(LoadMain.run("--url", "http://127.0.0.1:1", "--out", "target/unreachable", "--duration", "1"))
            .isEqualTo(3);
    }
}
