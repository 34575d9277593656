package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientStats;
import io.sfu.client.RemoteTrack;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.testing.Await;
import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Light subscribers ({@code --light-subscribers}) against a real SFU started in the test: they connect through the
 * same signaling, ICE and DTLS as full ones, count every packet from its clear header, take latency from the
 * sampled packets they decrypt, and count a forged packet in the sample as an authentication failure.
 */
class LightSubscribersAgainstRealSfuTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SfuServer server;
    private ClientLoops loops;
    private final List<LoadClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        for (LoadClient c : clients) {
            c.close();
        }
        if (loops != null) {
            loops.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void startSfu() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("http.port", "0", "test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("media.port", "0", "test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test"),
            new ConfigLoader.Override("forwarding.workers", "1", "test")));
        server = SfuServer.start(config, MediaEngines.start(config));
    }

    private String url() {
        return "http://127.0.0.1:" + server.httpAddress().getPort();
    }

    @Test
    void lightSubscribersCountEveryPacketAndTakeLatencyFromOneInEight() throws Exception {
        startSfu();
        Path out = dir.resolve("light");

        int exit = LoadMain.run("--url", url(), "--publishers", "1", "--subscribers", "3", "--duration", "4",
            "--warmup", "1", "--video-kbps", "1000", "--light-subscribers", "--out", out.toString());

        assertThat(exit).isZero();
        LoadReport report = LoadReport.read(out.resolve("report.json"));
        assertThat(report.scenario()).containsEntry("lightSubscribers", true).containsEntry("lightSample", 8)
            .containsEntry("publisherPacing", 2.5);
        LoadReport.Step step = report.steps().get(0);
        assertThat(step.clientsReady()).isEqualTo(4);
        assertThat(step.silentTracks()).isZero();
        // three subscribers receive what one publisher sends, every packet counted
        assertThat(step.receivedPackets()).isBetween(step.sentPackets() * 2, step.sentPackets() * 4);
        assertThat(step.lossPct()).isLessThan(1.0);
        assertThat(step.mbpsOut()).isBetween(2.4, 4.8);
        // latency from the sample: one packet in eight of each of the six streams, give or take the window's edges
        long sampled = Histograms.decode(step.latencyHistogram()).getTotalCount();
        assertThat(sampled).isBetween(step.receivedPackets() / 8 - 12, step.receivedPackets() / 8 + 12);
        assertThat(step.latencyMs().p50()).isPositive();
        assertThat(step.latencyMs().p99()).isGreaterThanOrEqualTo(step.latencyMs().p50());
        assertThat(step.warnings()).anySatisfy(w -> assertThat(w).startsWith("light subscribers: latency from "
            + sampled + " sampled packets (1 in 8)"));
        assertThat(step.failures()).noneSatisfy(f -> assertThat(f).endsWith(LoadRunner.AUTH_FAILURE_TEXT));
        assertThat(report.summary()).contains("light subscribers (1 in 8");
        assertThat(Files.readString(out.resolve("report.html"))).contains("lightSubscribers");
    }

    @Test
    void aForgedPacketInTheSampleIsCountedAsAnAuthenticationFailureAndNotAsReceived() throws Exception {
        startSfu();
        LoadCommand command = new LoadCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--url", url(),
            "--publishers", "1", "--subscribers", "1", "--video-kbps", "800", "--run-id", "light",
            "--client-threads", "1", "--light-subscribers", "--light-sample", "1", "--out", dir.toString());
        Scenario scenario = command.scenario();
        Topology topology = new Topology(scenario);
        loops = new ClientLoops(1, InetAddress.getLoopbackAddress());
        SfuApi api = new SfuApi(url(), null);
        LoadClient.Context context = new LoadClient.Context(scenario, api, DtlsCertificate.generate(),
            WallClock.INSTANCE, scenario.runId());
        api.createRoom(topology.roomName(0), 4);
        LoadClient subscriber = null;
        for (Topology.ClientSpec spec : topology.added(0)) {
            LoadClient client = new LoadClient(spec, context, loops.nextLoop(), topology.roomName(0));
            client.expectTracks(topology.expectedTracks(spec, 0));
            clients.add(client);
            if (!spec.publisher()) {
                subscriber = client;
            }
            client.start();
        }
        Await.until("the call connected", WAIT, () -> clients.stream().allMatch(LoadClient::ready));
        Await.until("media flowing", WAIT, () -> counter(LoopMetrics.Counter.RECEIVED_PACKETS) >= 200);

        ClientPeerConnection pc = subscriber.subscriberConnection();
        int videoSsrc = pc.remoteTracks().stream().filter(t -> t.kind() == MediaKind.VIDEO)
            .mapToInt(RemoteTrack::ssrc).findFirst().orElseThrow();
        long failures0 = counter(LoopMetrics.Counter.AUTH_FAILURES);
        long srtpFailures0 = pc.stats().get(ClientStats.Counter.SRTP_FAILURES);
        long[] before = loops.counters();
        int forged = 40;
        try (HostileDatagrams udp = new HostileDatagrams(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), pc.localAddress().getPort()), 2, 11)) {
            // the stream's SSRC, sequence numbers anywhere, a tag of random bytes: only SRTP can tell it apart
            udp.send(forged, i -> udp.srtp(pc.dtlsResult(), videoSsrc, 1000 + 37 * i, true));
        }
        Await.until("the forged packets counted as authentication failures", WAIT,
            () -> counter(LoopMetrics.Counter.AUTH_FAILURES) - failures0 >= forged);
        Await.until("more media after them", WAIT,
            () -> counter(LoopMetrics.Counter.RECEIVED_PACKETS) - before[index(LoopMetrics.Counter.RECEIVED_PACKETS)]
                >= 200);

        long[] after = loops.counters();
        assertThat(after[index(LoopMetrics.Counter.AUTH_FAILURES)] - failures0).isEqualTo(forged);
        assertThat(pc.stats().get(ClientStats.Counter.SRTP_FAILURES) - srtpFailures0).isEqualTo(forged);
        // none of them counted as received: the real stream goes on without a gap or a duplicate
        long expected = delta(before, after, LoopMetrics.Counter.EXPECTED_PACKETS);
        long received = delta(before, after, LoopMetrics.Counter.RECEIVED_PACKETS);
        assertThat(received).isPositive().isLessThanOrEqualTo(expected);
        assertThat(expected - received).as("lost").isLessThanOrEqualTo(expected / 100);
        assertThat(delta(before, after, LoopMetrics.Counter.DUPLICATES)).isZero();
        assertThat(delta(before, after, LoopMetrics.Counter.FOREIGN_PACKETS)).isZero();
        // with a sample of one every packet is decrypted and measured
        assertThat(delta(before, after, LoopMetrics.Counter.SAMPLED_PACKETS)).isBetween(received - 2, received + 2);
    }

    private long counter(LoopMetrics.Counter counter) {
        return loops.counters()[index(counter)];
    }

    private static int index(LoopMetrics.Counter counter) {
        return counter.ordinal();
    }

    private static long delta(long[] a, long[] b, LoopMetrics.Counter counter) {
        return b[counter.ordinal()] - a[counter.ordinal()];
    }
}
