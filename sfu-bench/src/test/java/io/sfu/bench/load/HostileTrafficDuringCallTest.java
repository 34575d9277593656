package io.sfu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sfu.client.ClientPeerConnection;
import io.sfu.client.RtpSender;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.testing.Await;
import io.sfu.signaling.MediaEngines;
import io.sfu.signaling.RawWebSocket;
import io.sfu.signaling.SfuServer;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import io.sfu.signaling.metrics.SignalingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A live call (one publisher of audio and video, two subscribers: the load harness's clients over the real API and
 * media port of a server started here in secret mode) while the server is attacked: hostile datagrams of every kind
 * from other source ports, a garbage flood, malformed and oversized signaling, an oversized REST body, more idle
 * connections than the caps allow and a thousand WebSocket connects. The call's loss, counted in packets by the
 * subscribers' probes, may rise by less than one percentage point; every hostile datagram is dropped and counted;
 * the caps refuse exactly what they say; heap and threads stay bounded.
 */
class HostileTrafficDuringCallTest {
    private static final String SECRET = "hostile-test-secret-0123456789abcdefghij";
    private static final int MAX_CONNECTIONS = 1000;
    private static final int MAX_PER_ADDRESS = 256;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    private SfuServer server;
    private MediaEngine engine;
    private ClientLoops loops;
    private final List<LoadClient> clients = new ArrayList<>();
    private final List<AutoCloseable> hostile = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : hostile) {
            c.close();
        }
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

    @Test
    void aLiveCallKeepsItsMediaWhileHostileTrafficIsDroppedCountedAndRefusedByTheCaps() throws Exception {
        startServer();
        SfuApi api = new SfuApi("http://127.0.0.1:" + server.httpAddress().getPort(), SECRET);
        LoadClient publisher = startCall(api);

        // settled media first: every stream started, its first key frame through
        awaitPackets(600);
        long heapBefore = heapAfterGc();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long[] beforeStart = loops.counters();
        awaitPackets(1500);
        double lossBefore = lossPct(beforeStart, loops.counters());

        long[] attackStart = loops.counters();
        int mediaPort = server.mediaAddress().getPort();
        long kernelDrops0 = HostileDatagrams.kernelDrops(mediaPort);
        Map<String, Long> engine0 = engine.counters();

        // hostile datagrams of each kind, from other source ports
        HostileDatagrams udp = new HostileDatagrams(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), mediaPort), 8, 7);
        hostile.add(udp);
        ClientPeerConnection pub = publisher.publisherConnection();
        String serverUfrag = pub.remoteIceCredentials().ufrag();
        int videoSsrc = videoSsrc(pub);
        byte[] captured = udp.srtp(pub.dtlsResult(), videoSsrc, 7, false);
        long unknownSent = 0;
        unknownSent += udp.send(2000, i -> udp.random());
        unknownSent += udp.send(1000, i -> udp.stunWithWrongCredentials("nosuchufrag" + i));
        long badIntegritySent = udp.send(1000, i -> udp.stunWithWrongCredentials(serverUfrag));
        unknownSent += udp.send(1000, i -> udp.dtlsJunk());
        unknownSent += udp.send(1000, i -> captured);
        unknownSent += udp.send(1000, i -> udp.srtp(pub.dtlsResult(), videoSsrc, 100 + i, true));
        long targetedUnknown = unknownSent;
        Await.until("the targeted datagrams dropped and counted", WAIT, () ->
            delta(engine0, "media_datagrams_dropped_unknown") + kernelDropsSince(mediaPort, kernelDrops0)
                >= targetedUnknown
                && delta(engine0, "media_ice_checks_refused") + kernelDropsSince(mediaPort, kernelDrops0)
                >= badIntegritySent);

        // a garbage flood: at most 200,000 datagrams or 5 s, at 100,000 a second, from the same 8 ports
        long floodStartNs = System.nanoTime();
        long flooded = udp.flood(200_000, 5_000_000_000L, 100_000);
        double floodSeconds = (System.nanoTime() - floodStartNs) / 1e9;
        long allUnknown = unknownSent + flooded;
        Await.until("the flood dropped and counted", WAIT, () ->
            delta(engine0, "media_datagrams_dropped_unknown") + kernelDropsSince(mediaPort, kernelDrops0)
                >= allUnknown);
        long kernelDropped = kernelDropsSince(mediaPort, kernelDrops0);
        long droppedUnknown = delta(engine0, "media_datagrams_dropped_unknown");
        long iceRefused = delta(engine0, "media_ice_checks_refused");

        // signaling: malformed JSON, an oversized message, an oversized REST body; each part ends with its
        // connections released, so the connection caps below meet exactly the call's own connections
        api.createRoom("hostile-json", 2);
        String malloryToken = api.token("hostile-json", "mallory", true, true, 600);
        String malletToken = api.token("hostile-json", "mallet", true, true, 600);
        int callConnections = server.metrics().openConnections();
        int malformedAnswered = malformedSignaling(malloryToken, malletToken);
        awaitOpenConnections(callConnections);
        int oversizedRestStatus = oversizedRestBody();
        awaitOpenConnections(callConnections);

        // connections: more idle ones than the caps hold, WebSocket connects while they are full and after
        ConnectionCounts idle = idleConnectionsAgainstTheCaps();
        int badTokenRefusals = webSocketConnects(500, "/v1/rtc?token=not-a-token", 401);

        // the tail of the attack window: packets sent after the attack, so recoveries of its losses land in it
        long[] attackEnd = loops.counters();
        awaitPacketsAfter(attackEnd, 400);
        double lossDuring = lossPct(attackStart, loops.counters());

        long heapAfter = heapAfterGc();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf(java.util.Locale.ROOT, "hostile: loss before %.3f%% (%d packets), during %.3f%% (%d packets);"
                + " %d targeted datagrams + %d flooded in %.2f s: %d counted unknown, %d ICE checks refused, %d dropped"
                + " by the kernel; idle connections %s; heap %d -> %d MB, threads %d -> %d%n",
            lossBefore, expected(beforeStart, attackStart), lossDuring, expected(attackStart, loops.counters()),
            targetedUnknown + badIntegritySent, flooded, floodSeconds, droppedUnknown, iceRefused, kernelDropped, idle,
            heapBefore / MB, heapAfter / MB, threadsBefore, threadsAfter);

        assertThat(lossDuring - lossBefore).as("the call's loss rises by less than one point").isLessThan(1.0);
        for (LoadClient c : clients) {
            assertThat(c.failure()).as(c.identity()).isNull();
        }
        // what the media port received and the kernel did not drop, it counted
        assertThat(droppedUnknown + kernelDropped).isGreaterThanOrEqualTo(allUnknown);
        assertThat(iceRefused + kernelDropped).isGreaterThanOrEqualTo(badIntegritySent);
        assertThat(delta(engine0, "media_ice_path_takeovers_refused")).isZero();
        assertThat(delta(engine0, "media_failed_duty_cycles")).isZero();
        assertThat(delta(engine0, "media_thread_restarts")).isZero();
        assertThat(flooded).as("flooded datagrams").isGreaterThanOrEqualTo(50_000);

        assertThat(malformedAnswered).isEqualTo(MALFORMED.size() + 1);
        assertThat(oversizedRestStatus).isEqualTo(413);
        assertThat(idle.accepted()).isEqualTo(idle.expectedAccepted());
        assertThat(idle.refusedPerAddress()).isEqualTo(idle.expectedPerAddress());
        assertThat(idle.refusedTotal()).isEqualTo(idle.expectedTotal());
        assertThat(idle.closedByServer()).isEqualTo(idle.expectedPerAddress() + idle.expectedTotal());
        assertThat(idle.webSocketsRefused()).isEqualTo(500);
        assertThat(badTokenRefusals).isEqualTo(500);

        assertThat(heapAfter).as("heap after GC, MB").isLessThan(heapBefore + 64 * MB);
        assertThat(threadsAfter).as("live threads").isLessThanOrEqualTo(threadsBefore + 16);
    }

    // ---------------------------------------------------------------- the server and the call

    private void startServer() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("http.port", "0", "test"),
            new ConfigLoader.Override("http.maxConnections", String.valueOf(MAX_CONNECTIONS), "test"),
            new ConfigLoader.Override("http.maxConnectionsPerAddress", String.valueOf(MAX_PER_ADDRESS), "test"),
            new ConfigLoader.Override("auth.secret", SECRET, "test"),
            new ConfigLoader.Override("media.host", "127.0.0.1", "test"),
            new ConfigLoader.Override("media.port", "0", "test"),
            new ConfigLoader.Override("media.announce", List.of("127.0.0.1"), "test"),
            new ConfigLoader.Override("forwarding.workers", "1", "test")));
        engine = MediaEngines.start(config);
        server = SfuServer.start(config, engine);
    }

    /** One publisher (audio and 1.5 Mbit/s video) and two subscribers, connected and receiving; the publisher. */
    private LoadClient startCall(SfuApi api) throws Exception {
        LoadCommand command = new LoadCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--url", api.base().toString(), "--secret", SECRET, "--publishers", "1",
            "--subscribers", "2", "--video-kbps", "1500", "--run-id", "hostile", "--client-threads", "1",
            "--out", dir.toString());
        Scenario scenario = command.scenario();
        Topology topology = new Topology(scenario);
        loops = new ClientLoops(1, InetAddress.getLoopbackAddress());
        LoadClient.Context context = new LoadClient.Context(scenario, api, DtlsCertificate.generate(),
            WallClock.INSTANCE, scenario.runId());
        api.createRoom(topology.roomName(0), 4);
        LoadClient publisher = null;
        for (Topology.ClientSpec spec : topology.added(0)) {
            LoadClient client = new LoadClient(spec, context, loops.nextLoop(), topology.roomName(0));
            client.expectTracks(topology.expectedTracks(spec, 0));
            clients.add(client);
            if (spec.publisher()) {
                publisher = client;
            }
            client.start();
        }
        Await.until("the call connected", WAIT, () -> clients.stream().allMatch(LoadClient::ready));
        return publisher;
    }

    private static int videoSsrc(ClientPeerConnection pc) {
        for (RtpSender sender : pc.senders()) {
            if (sender.kind() == MediaKind.VIDEO) {
                return sender.ssrc();
            }
        }
        throw new AssertionError("the publisher sends no video");
    }

    // ---------------------------------------------------------------- measuring

    private void awaitPackets(long packets) {
        awaitPacketsAfter(loops.counters(), packets);
    }

    private void awaitPacketsAfter(long[] from, long packets) {
        Await.until(packets + " more packets expected by the subscribers", WAIT,
            () -> expected(from, loops.counters()) >= packets);
    }

    private static long expected(long[] a, long[] b) {
        return b[LoopMetrics.Counter.EXPECTED_PACKETS.ordinal()] - a[LoopMetrics.Counter.EXPECTED_PACKETS.ordinal()];
    }

    /** Loss between two snapshots, in percent of the packets the subscribers' probes expected. */
    private static double lossPct(long[] a, long[] b) {
        long expected = expected(a, b);
        long received = b[LoopMetrics.Counter.RECEIVED_PACKETS.ordinal()]
            - a[LoopMetrics.Counter.RECEIVED_PACKETS.ordinal()];
        return expected <= 0 ? 0 : Math.max(0, 100.0 * (expected - received) / expected);
    }

    private long delta(Map<String, Long> before, String counter) {
        return engine.counters().get(counter) - before.get(counter);
    }

    private static long kernelDropsSince(int port, long before) {
        try {
            return HostileDatagrams.kernelDrops(port) - before;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------- signaling

    /** Messages no client should send: each is answered with an error and the socket stays open. */
    private static final List<String> MALFORMED = List.of("{", "}", "[1,2", "{\"type\":", "null", "42", "\"offer\"",
        "{\"type\":42}", "{\"type\":\"offer\",\"sdp\":[]}", "{\"type\":\"nonsense\"}", "{\"type\":\"offer\"}",
        "{'type':'offer'}", "{\"type\":\"offer\",\"type\":\"answer\"}", "\u0000\u0001\u0002", "{\"a\":1}{\"b\":2}",
        "{\"type\":\"" + "x".repeat(10_000) + "\"}", "{\"type\":\"answer\",\"pc\":\"subscriber\",\"sdp\":\"v=0\"}");

    /**
     * A participant of its own room sends each malformed message and a 100,000-deep nested array, then a message
     * above signaling.maxMessageBytes in two frames (closed with 1009); another sends one frame above it (its
     * connection closed). Returns the error answers to the malformed messages.
     */
    private int malformedSignaling(String malloryToken, String malletToken) throws Exception {
        int answered = 0;
        try (RawWebSocket ws = join(malloryToken)) {
            List<String> messages = new ArrayList<>(MALFORMED);
            messages.add("[".repeat(100_000));
            for (String message : messages) {
                ws.sendText(message);
                RawWebSocket.Frame reply = ws.readMessage();
                if (reply.opcode() == RawWebSocket.TEXT && reply.text().contains("\"error\"")) {
                    answered++;
                }
            }
            ws.send(RawWebSocket.TEXT, false, new byte[200_000]);
            ws.send(0, true, new byte[100_000]);
            assertThat(nextClose(ws).closeCode()).as("close code after an oversized message").isEqualTo(1009);
        }
        try (RawWebSocket ws = join(malletToken)) {
            try {
                ws.send(RawWebSocket.TEXT, new byte[300_000]);
            } catch (IOException e) {
                // the server closed the connection while the frame was still being written
            }
            assertThat(nextClose(ws).closeCode()).as("close code after one oversized frame").isEqualTo(1009);
        }
        return answered;
    }

    /**
     * Reads until the server closes the connection, skipping room events (a close frame, or the end of the stream);
     * a read that times out fails.
     */
    private static RawWebSocket.Frame nextClose(RawWebSocket ws) throws IOException {
        RawWebSocket.Frame frame = ws.readMessage();
        while (frame.opcode() != RawWebSocket.CLOSE) {
            frame = ws.readMessage();
        }
        return frame;
    }

    private void awaitOpenConnections(int open) {
        Await.until("the server to hold " + open + " connections", WAIT,
            () -> server.metrics().openConnections() == open);
    }

    private RawWebSocket join(String token) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(server.httpAddress().getPort(), "/v1/rtc?token=" + token);
        assertThat(ws.readMessage().text()).contains("\"joined\"");
        return ws;
    }

    /** A REST body of 2 MB, above http.maxBodyBytes, on a connection of its own: the status it gets. */
    private int oversizedRestBody() throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(server.httpAddress(), 10_000);
            socket.setSoTimeout(10_000);
            String head = "POST /v1/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + SECRET
                + "\r\nContent-Type: application/json\r\nContent-Length: " + 2 * MB + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (long sent = 0; sent < 2 * MB; sent += chunk.length) {
                    socket.getOutputStream().write(chunk);
                }
            } catch (IOException e) {
                // the server may answer and close before the whole body is written; the status is read below
            }
            byte[] status = socket.getInputStream().readNBytes(12);
            return Integer.parseInt(new String(status, java.nio.charset.StandardCharsets.US_ASCII).substring(9, 12));
        }
    }

    // ---------------------------------------------------------------- connections

    /** What the idle connections met, and what the caps say they should have. */
    record ConnectionCounts(int accepted, long refusedPerAddress, long refusedTotal, int closedByServer,
                            int webSocketsRefused, int expectedAccepted, int expectedPerAddress, int expectedTotal) {
    }

    /**
     * 2,000 idle TCP connections, 400 from each of five loopback addresses in turn: the per-address cap refuses
     * what one address holds beyond it, the total cap what the server holds beyond it. While they are held, 500
     * WebSocket connects are refused (503). The refused ones are closed by the server; then all are closed.
     */
    private ConnectionCounts idleConnectionsAgainstTheCaps() throws Exception {
        SignalingMetrics metrics = server.metrics();
        int open0 = metrics.openConnections();
        double perAddress0 = refused(SignalingMetrics.REFUSED_PER_ADDRESS);
        double total0 = refused(SignalingMetrics.REFUSED_TOTAL);
        int open = open0;
        int expectedPerAddress = 0;
        int expectedTotal = 0;
        List<SocketChannel> channels = new ArrayList<>();
        Selector selector = Selector.open();
        hostile.add(selector);
        hostile.add(() -> {
            for (SocketChannel c : channels) {
                c.close();
            }
        });
        for (int a = 2; a <= 6; a++) {
            InetAddress local = InetAddress.getByName("127.0.0." + a);
            int fromHere = 0;
            for (int i = 0; i < 400; i++) {
                // what the limiter decides, in the order it checks
                if (open >= MAX_CONNECTIONS) {
                    expectedTotal++;
                } else if (fromHere >= MAX_PER_ADDRESS) {
                    expectedPerAddress++;
                } else {
                    open++;
                    fromHere++;
                }
                SocketChannel channel = SocketChannel.open();
                channel.bind(new InetSocketAddress(local, 0));
                channel.connect(server.httpAddress());
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
                channels.add(channel);
            }
            // one address at a time, so the limiter sees them in the order modelled above
            int settled = channels.size();
            Await.until("the server to take " + settled + " connections", WAIT, () ->
                metrics.openConnections() - open0 + refused(SignalingMetrics.REFUSED_PER_ADDRESS) - perAddress0
                    + refused(SignalingMetrics.REFUSED_TOTAL) - total0 >= settled);
        }
        int expectedAccepted = open - open0;
        int accepted = metrics.openConnections() - open0;
        int refusedCount = expectedPerAddress + expectedTotal;
        int[] closed = {0};
        ByteBuffer sink = ByteBuffer.allocate(4096);
        boolean allClosed = Await.until(WAIT, () -> {
            selector.selectNow();
            for (SelectionKey key : selector.selectedKeys()) {
                sink.clear();
                int read;
                try {
                    read = ((SocketChannel) key.channel()).read(sink);
                } catch (IOException e) {
                    read = -1;
                }
                if (read < 0) {
                    key.cancel();
                    closed[0]++;
                }
            }
            selector.selectedKeys().clear();
            return closed[0] >= refusedCount;
        });
        assertThat(allClosed).as("the server closed the " + refusedCount + " refused connections").isTrue();
        double perAddressRefused = refused(SignalingMetrics.REFUSED_PER_ADDRESS) - perAddress0;
        double totalRefusedIdle = refused(SignalingMetrics.REFUSED_TOTAL) - total0;
        int webSocketsRefused = webSocketConnects(500, "/v1/rtc?token=not-a-token", 503);
        for (SocketChannel c : channels) {
            c.close();
        }
        Await.until("every idle connection released", WAIT, () -> metrics.openConnections() == open0);
        assertThat(refused(SignalingMetrics.REFUSED_TOTAL) - total0).isEqualTo(totalRefusedIdle + 500);
        return new ConnectionCounts(accepted, (long) perAddressRefused, (long) totalRefusedIdle, closed[0],
            webSocketsRefused, expectedAccepted, expectedPerAddress, expectedTotal);
    }

    private double refused(String reason) {
        return server.metrics().registry().get("sfu.http.connections.refused").tag("reason", reason).counter()
            .count();
    }

    /** {@code count} WebSocket upgrade requests one after the other; returns how many got {@code status}. */
    private int webSocketConnects(int count, String pathAndQuery, int status) throws IOException {
        int got = 0;
        Map<Integer, Integer> others = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int answer = RawWebSocket.upgradeStatus(server.httpAddress().getPort(), pathAndQuery);
            if (answer == status) {
                got++;
            } else {
                others.merge(answer, 1, Integer::sum);
            }
        }
        assertThat(others).as("other statuses").isEmpty();
        return got;
    }
}
