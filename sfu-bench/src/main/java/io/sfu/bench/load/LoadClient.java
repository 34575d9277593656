package io.sfu.bench.load;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfu.client.ClientPeerConnection;
import io.sfu.client.ClientPeerConnectionConfig;
import io.sfu.client.ClientState;
import io.sfu.client.ClientStats;
import io.sfu.client.Impairment;
import io.sfu.client.LoopTimer;
import io.sfu.core.sdp.MediaKind;
import io.sfu.client.RemoteTrack;
import io.sfu.client.RtpSender;
import io.sfu.client.TrackSpec;
import io.sfu.core.datachannel.DataChannel;
import io.sfu.core.dtls.DtlsCertificate;
import io.sfu.core.dtls.DtlsConfig;
import io.sfu.core.rtp.RtpPacket;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant of the load, speaking the SFU's public API like a browser would: it joins over the WebSocket (with
 * a token in secret mode), offers its tracks on the publisher peer connection and applies the answer, answers every
 * subscriber offer on the subscriber peer connection, sends its media once connected and measures everything it
 * receives through the probes. Peer connections run on a shared {@link ClientLoops} loop; signaling runs on the
 * WebSocket's threads.
 */
public final class LoadClient {
    private static final Logger LOG = LoggerFactory.getLogger(LoadClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SIMULCAST_RIDS = {"q", "h", "f"};
    private static final int[][] LAYER_SIZES = {{320, 180}, {640, 360}, {1280, 720}};

    /** What the clients of a run share; {@code nodes}: the SFU nodes they join in turn (one unless a cluster). */
    public record Context(Scenario scenario, List<SfuApi> nodes, DtlsCertificate certificate, TimeSource clock,
                          String runId) {
        public Context {
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("a run needs an SFU node");
            }
        }

        /** One SFU node. */
        public Context(Scenario scenario, SfuApi api, DtlsCertificate certificate, TimeSource clock, String runId) {
            this(scenario, List.of(api), certificate, clock, runId);
        }

        /** The node a client joins: the clients of a room (publishers first) take the nodes in turn. */
        public SfuApi nodeFor(Topology.ClientSpec spec) {
            long order = spec.publisher() ? spec.index() : (long) scenario.publishersPerRoom() + spec.index();
            return nodes.get((int) (order % nodes.size()));
        }
    }

    private final Topology.ClientSpec spec;
    private final Context context;
    private final ClientLoops.Loop loop;
    private final String room;
    private final String identity;
    private final LoopMetrics metrics;
    // receive side, loop thread
    private final Int2ObjectHashMap<StreamTracker> trackers = new Int2ObjectHashMap<>();
    /** The simulcast layer each received video track came on last (loop thread), by {@link StreamIds#trackKey}. */
    private final Int2ObjectHashMap<int[]> layerByTrack = new Int2ObjectHashMap<>();
    /** Changes of the layer a video track is received on, for {@code layers.csv}; read after the run. */
    private final ConcurrentLinkedQueue<LayerChange> layerChanges = new ConcurrentLinkedQueue<>();
    private volatile long firstMediaEpochNs;
    private int layerChangeCount;
    private final Map<RtpSender, MediaSource> sourcesBySender = new IdentityHashMap<>();
    private final List<LoopTimer> timers = new ArrayList<>();
    private final DataLoad data;
    /** The light receive path of a subscriber with {@code --light-subscribers}, else null. Loop thread. */
    private final LightReceiver light;

    private volatile WebSocket socket;
    private volatile ClientPeerConnection publisherPc;
    private volatile ClientPeerConnection subscriberPc;
    private volatile String failure;
    private volatile boolean closing;
    private volatile int expectedTracks;
    private volatile long startNs;
    private volatile long readyNs;
    private volatile boolean started;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private final StringBuilder partial = new StringBuilder();

    public LoadClient(Topology.ClientSpec spec, Context context, ClientLoops.Loop loop, String room) {
        this(spec, context, loop, room, spec.identity(context.runId()));
    }

    /** A client in {@code spec}'s place under another identity: one that replaces a client that left. */
    public LoadClient(Topology.ClientSpec spec, Context context, ClientLoops.Loop loop, String room, String identity) {
        this.spec = spec;
        this.context = context;
        this.loop = loop;
        this.room = room;
        this.identity = identity;
        this.metrics = loop.metrics();
        this.data = new DataLoad(context.scenario().data(), metrics, context.clock(), loop.io());
        Scenario.ClientModel model = context.scenario().clientModel();
        this.light = model.lightSubscribers() && !spec.publisher()
            ? new LightReceiver(metrics, context.clock(), model.lightSample(), this::onVideoLayer) : null;
    }

    public Topology.ClientSpec spec() {
        return spec;
    }

    public String identity() {
        return identity;
    }

    /** The subscriber peer connection, or null before the SFU's first offer. */
    ClientPeerConnection subscriberConnection() {
        return subscriberPc;
    }

    /** The publisher peer connection, or null before the client publishes (or when it only receives). */
    ClientPeerConnection publisherConnection() {
        return publisherPc;
    }

    /**
     * Joins: fetches a token when the run has a secret (blocking, on the calling thread), then opens the WebSocket;
     * the rest follows from the server's messages.
     */
    public void start() {
        startNs = System.nanoTime();
        started = true;
        try {
            String token = null;
            SfuApi node = context.nodeFor(spec);
            if (node.secretMode()) {
                token = node.token(room, identity, spec.publisher(), true,
                    Math.max(3600, context.scenario().maxRunSeconds() * 2));
            }
            node.http().newWebSocketBuilder()
                .buildAsync(node.joinUri(room, identity, token), new SignalingListener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        fail("WebSocket connect failed: " + rootMessage(error));
                    }
                });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            fail("join failed: " + rootMessage(e));
        }
    }

    /** How many remote tracks make this client complete at the current step. */
    public void expectTracks(int tracks) {
        expectedTracks = tracks;
        checkReady();
    }

    /** Whether every peer connection it needs is connected and every track it should receive was offered. */
    public boolean ready() {
        if (failure != null) {
            return false;
        }
        ClientPeerConnection pub = publisherPc;
        if (spec.publisher() && (pub == null || pub.state() != ClientState.CONNECTED)) {
            return false;
        }
        if (expectedTracks == 0) {
            return true;
        }
        ClientPeerConnection sub = subscriberPc;
        return sub != null && sub.state() == ClientState.CONNECTED && sub.remoteTracks().size() >= expectedTracks;
    }

    private void checkReady() {
        if (readyNs == 0 && ready()) {
            readyNs = System.nanoTime();
        }
    }

    /** From the start of the join to ready, in nanoseconds, or -1 while not ready. */
    public long connectNs() {
        checkReady();
        return readyNs == 0 ? -1 : readyNs - startNs;
    }

    /** Whether it became ready before {@code nanoTime} (a {@link System#nanoTime()} reading). */
    public boolean readyBefore(long nanoTime) {
        checkReady();
        long ready = readyNs;
        return ready != 0 && ready - nanoTime < 0;
    }

    /** Whether it has started joining and is neither connected nor failed. */
    public boolean connecting() {
        return started && failure == null && !ready();
    }

    /** Why the client failed, or null. */
    public String failure() {
        return failure;
    }

    /** Adds this client's peer connection counters into {@code sums} (indexed by counter ordinal). Any thread. */
    public void addStats(long[] sums) {
        for (ClientPeerConnection pc : new ClientPeerConnection[] {publisherPc, subscriberPc}) {
            if (pc != null) {
                ClientStats stats = pc.stats();
                for (ClientStats.Counter c : ClientStats.Counter.values()) {
                    sums[c.ordinal()] += stats.get(c);
                }
            }
        }
    }

    /**
     * The number of distinct remote tracks that delivered a packet at or after {@code sinceEpochNs}. Runs on the
     * client's loop; the result completes there.
     */
    public CompletableFuture<Integer> tracksReceivedSince(long sinceEpochNs) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        try {
            loop.io().execute(() -> {
                if (light != null) {
                    result.complete(light.tracksReceivedSince(sinceEpochNs));
                    return;
                }
                Set<Integer> tracks = new HashSet<>();
                trackers.forEach((id, tracker) -> {
                    if (tracker.lastArrivalEpochNs() - sinceEpochNs >= 0) {
                        tracks.add(StreamIds.trackKey(id));
                    }
                });
                result.complete(tracks.size());
            });
        } catch (RuntimeException e) {
            result.complete(0);
        }
        return result;
    }

    // ---------------------------------------------------------------- signaling

    private final class SignalingListener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onMessage(JSON.readTree(text));
                } catch (Exception e) {
                    fail("signaling: " + rootMessage(e));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!closing) {
                fail("the SFU closed the WebSocket: " + statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!closing) {
                fail("WebSocket error: " + rootMessage(error));
            }
        }
    }

    private void onMessage(JsonNode message) {
        String type = message.path("type").asText("");
        String pc = message.path("pc").asText("");
        switch (type) {
            case "joined" -> {
                if (spec.publisher()) {
                    publish();
                }
            }
            case "answer" -> {
                if ("publisher".equals(pc) && publisherPc != null) {
                    publisherPc.applyAnswer(message.path("sdp").asText());
                }
            }
            case "offer" -> {
                if ("subscriber".equals(pc)) {
                    if (subscriberPc == null) {
                        subscriberPc = loop.io().newPeerConnection(pcConfig(false), new SubscriberListener());
                    }
                    String answer = subscriberPc.acceptOffer(message.path("sdp").asText());
                    send(JSON.createObjectNode().put("type", "answer").put("pc", "subscriber").put("sdp", answer)
                        .toString());
                }
            }
            case "error" -> {
                String code = message.path("code").asText();
                if (!"bad_request".equals(code)) {
                    fail("the SFU reported " + code + ": " + message.path("message").asText());
                } else {
                    LOG.debug("{}: {}", identity, message);
                }
            }
            default -> {
                // room events and dominant speaker changes: nothing to do
            }
        }
    }

    private void publish() {
        Scenario s = context.scenario();
        List<TrackSpec> tracks = new ArrayList<>();
        if (s.audio()) {
            tracks.add(TrackSpec.audio("mic"));
        }
        if (s.video()) {
            tracks.add(s.simulcast() ? TrackSpec.simulcastVideo("cam", SIMULCAST_RIDS) : TrackSpec.video("cam"));
        }
        ClientPeerConnection pc = loop.io().newPeerConnection(pcConfig(true), new PublisherListener());
        publisherPc = pc;
        String offer = pc.createOffer(tracks, data.channelSpecs());
        pc.connected().whenComplete((ok, error) -> {
            if (error != null) {
                fail("publisher connection failed: " + rootMessage(error));
            } else {
                loop.io().execute(this::startSources);
            }
        });
        send(JSON.createObjectNode().put("type", "offer").put("pc", "publisher").put("sdp", offer).toString());
    }

    private synchronized void send(String text) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        sendChain = sendChain.handle((r, e) -> null).thenCompose(x -> ws.sendText(text, true))
            .whenComplete((r, e) -> {
                if (e != null && !closing) {
                    fail("WebSocket send failed: " + rootMessage(e));
                }
            });
    }

    private ClientPeerConnectionConfig pcConfig(boolean publisher) {
        Scenario s = context.scenario();
        ClientPeerConnectionConfig.Builder b = ClientPeerConnectionConfig.builder()
            .certificate(context.certificate())
            .dtlsConfig(DtlsConfig.builder()
                .handshakeTimeout(java.time.Duration.ofSeconds(Math.min(60, Math.max(10, s.connectTimeoutSeconds()))))
                .initialRetransmitMillis(500)
                .build())
            .cname(identity)
            .lightReceive(light != null && !publisher)
            .maxReceiveStreams(Math.min(1024, Math.max(64, 4 * (s.publishersPerRoom() * 2 + 4))));
        Scenario.Impairments imp = s.impairments();
        if (imp.active()) {
            Impairment impairment = Impairment.builder()
                .lossRate(imp.lossPct() / 100)
                .reorderRate(imp.reorderPct() / 100)
                .reorderDelayNs(TimeUnit.MILLISECONDS.toNanos(imp.reorderDelayMs()))
                .jitterNs(TimeUnit.MILLISECONDS.toNanos(imp.jitterMs()))
                .seed(s.seed() * 31 + spec.ordinal() * 2 + (publisher ? 1 : 0))
                .queueCapacity(4096)
                .rateLimit(imp.rateLimitKbps() * 1000L, TimeUnit.MILLISECONDS.toNanos(imp.rateLimitQueueMs()),
                    TimeUnit.SECONDS.toNanos(imp.limitAtSeconds()),
                    imp.liftAtSeconds() == 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(imp.liftAtSeconds()))
                .build();
            boolean uplink = imp.direction() != Scenario.Direction.DOWNLINK;
            boolean downlink = imp.direction() != Scenario.Direction.UPLINK;
            if (publisher && uplink) {
                b.sendImpairment(impairment);
            }
            if (!publisher && downlink) {
                b.receiveImpairment(impairment);
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------- media (loop thread)

    private void startSources() {
        ClientPeerConnection pc = publisherPc;
        if (pc == null || closing) {
            return;
        }
        Scenario s = context.scenario();
        long seed = s.seed() * 1_000_003L + spec.ordinal();
        for (RtpSender sender : pc.senders()) {
            if (!sender.isActive()) {
                continue;
            }
            MediaSource source;
            PacketSink sink = new SenderSink(sender);
            if (sender.kind() == MediaKind.AUDIO) {
                int id = StreamIds.of(spec.room(), spec.index(), StreamIds.AUDIO, 0);
                source = new AudioSource(sink, metrics, context.clock(), id, 100, s.dtx(), new int[] {1000, 4000},
                    new int[] {500, 3000}, seed ^ id);
            } else {
                int layer = layerOf(sender.rid());
                int id = StreamIds.of(spec.room(), spec.index(), StreamIds.VIDEO, layer);
                int shift = s.simulcast() ? 2 * (SIMULCAST_RIDS.length - 1 - layer) : 0;
                long bitrate = s.videoKbps() * 1000L >> shift;
                int[] size = LAYER_SIZES[s.simulcast() ? layer : LAYER_SIZES.length - 1];
                source = new VideoSource(sink, metrics, context.clock(), id, bitrate, 30, 1100,
                    TimeUnit.SECONDS.toNanos(s.keyframeIntervalSeconds()), 5.0, size[0], size[1], seed ^ id,
                    s.clientModel().publisherPacing());
            }
            sourcesBySender.put(sender, source);
            MediaSource started = source;
            LoopTimer[] holder = new LoopTimer[1];
            holder[0] = loop.io().newTimer(() -> {
                if (!closing) {
                    holder[0].scheduleAt(started.onTick(System.nanoTime()));
                }
            });
            timers.add(holder[0]);
            // spread the sources of many clients over the frame interval
            holder[0].scheduleIn((seed & 0xFFFF) * 30_000L % 33_000_000L);
        }
    }

    private static int layerOf(String rid) {
        if (rid == null) {
            return 0;
        }
        for (int i = 0; i < SIMULCAST_RIDS.length; i++) {
            if (SIMULCAST_RIDS[i].equals(rid)) {
                return i;
            }
        }
        return 0;
    }

    /** An {@link RtpSender} as a {@link PacketSink}. */
    private static final class SenderSink implements PacketSink {
        private final RtpSender sender;

        SenderSink(RtpSender sender) {
            this.sender = sender;
        }

        @Override
        public boolean send(byte[] payload, int offset, int length, boolean marker, long rtpTimestamp) {
            return sender.send(payload, offset, length, marker, rtpTimestamp);
        }

        @Override
        public void audioLevel(int levelDbov, boolean voice) {
            sender.audioLevel(levelDbov, voice);
        }
    }

    private final class PublisherListener implements ClientPeerConnection.Listener {
        @Override
        public void onStateChange(ClientPeerConnection pc, ClientState state) {
            if (state == ClientState.FAILED && !closing) {
                fail("publisher connection failed: " + pc.failure());
            }
            checkReady();
        }

        @Override
        public void onKeyframeRequest(ClientPeerConnection pc, RtpSender sender, boolean fir) {
            MediaSource source = sourcesBySender.get(sender);
            if (source != null) {
                source.requestKeyframe(System.nanoTime());
            }
        }

        @Override
        public void onDataChannel(ClientPeerConnection pc, DataChannel channel) {
            if (!closing) {
                data.startSending(pc, channel);
            }
        }
    }

    private final class SubscriberListener implements ClientPeerConnection.Listener {
        @Override
        public void onStateChange(ClientPeerConnection pc, ClientState state) {
            if (state == ClientState.FAILED && !closing) {
                fail("subscriber connection failed: " + pc.failure());
            }
            checkReady();
        }

        @Override
        public void onTrack(ClientPeerConnection pc, RemoteTrack track) {
            checkReady();
        }

        @Override
        public void onProtectedRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            if (firstMediaEpochNs == 0) {
                firstMediaEpochNs = context.clock().epochNanos();
            }
            light.onProtectedRtp(pc, packet);
        }

        @Override
        public void onRtp(ClientPeerConnection pc, RtpPacket packet, long arrivalNs) {
            if (light != null) {
                light.onPlainRtp(packet);
                return;
            }
            long arrival = context.clock().epochNanos();
            DirectBuffer buffer = packet.buffer();
            int offset = packet.payloadOffset();
            int length = packet.payloadLength();
            if (!Probe.present(buffer, offset, length)) {
                metrics.increment(LoopMetrics.Counter.FOREIGN_PACKETS);
                return;
            }
            int end = offset + length;
            int id = Probe.streamId(buffer, end);
            if (firstMediaEpochNs == 0) {
                firstMediaEpochNs = arrival;
            }
            if (StreamIds.kind(id) == StreamIds.VIDEO && !pc.deliveringRetransmission()) {
                // a resend of the layer left behind can come after the move: only first sends tell the layer
                onVideoLayer(id, arrival);
            }
            StreamTracker tracker = trackers.get(id);
            if (tracker == null) {
                tracker = new StreamTracker(id, metrics);
                trackers.put(id, tracker);
            }
            tracker.onPacket(Probe.sequence(buffer, end), Probe.sendEpochNs(buffer, end), arrival, length,
                pc.deliveringRetransmission());
        }

        @Override
        public void onDataChannel(ClientPeerConnection pc, DataChannel channel) {
            data.track(channel);
        }

        @Override
        public void onDataMessage(ClientPeerConnection pc, DataChannel channel, boolean binary, byte[] buf, int off,
            int len) {
            if (!closing) {
                data.onMessage(channel, buf, off, len);
            }
        }

        @Override
        public void onDataChannelClosed(ClientPeerConnection pc, DataChannel channel) {
            data.closed(channel);
        }
    }

    /** A received video track moved to another simulcast layer at {@code epochNs}. */
    public record LayerChange(long epochNs, String client, int track, int layer) {
    }

    /** At most this many layer changes are kept per client. */
    private static final int MAX_LAYER_CHANGES = 1000;

    private void onVideoLayer(int streamId, long arrivalEpochNs) {
        int track = StreamIds.trackKey(streamId);
        int layer = StreamIds.layer(streamId);
        int[] current = layerByTrack.get(track);
        if (current == null) {
            current = new int[] {-1};
            layerByTrack.put(track, current);
        }
        if (current[0] != layer && layerChangeCount < MAX_LAYER_CHANGES) {
            current[0] = layer;
            layerChangeCount++;
            layerChanges.add(new LayerChange(arrivalEpochNs, identity, track, layer));
        }
    }

    /** The layer changes of the video this client received, in order (the first packet of each track counts). */
    public List<LayerChange> layerChanges() {
        return List.copyOf(layerChanges);
    }

    /** When this client received its first media packet (epoch ns), 0 before. */
    public long firstMediaEpochNs() {
        return firstMediaEpochNs;
    }

    // ---------------------------------------------------------------- failure and leaving

    private void fail(String why) {
        if (failure == null && !closing) {
            failure = why;
            LOG.debug("{} failed: {}", identity, why);
        }
    }

    /** Leaves: a leave message, the WebSocket closed, both peer connections and the media timers stopped. */
    public CompletableFuture<Void> close() {
        closing = true;
        List<CompletableFuture<?>> done = new ArrayList<>();
        try {
            loop.io().execute(() -> {
                for (LoopTimer timer : timers) {
                    timer.cancel();
                }
                data.stop();
                trackers.forEach((id, tracker) -> jitterGone(tracker));
                trackers.clear();
                if (light != null) {
                    light.close();
                }
            });
        } catch (RuntimeException e) {
            // the loop is closed already
        }
        WebSocket ws = socket;
        if (ws != null) {
            synchronized (this) {
                sendChain = sendChain.handle((r, e) -> null)
                    .thenCompose(x -> ws.sendText("{\"type\":\"leave\"}", true))
                    .thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"))
                    .orTimeout(5, TimeUnit.SECONDS)
                    .handle((r, e) -> {
                        ws.abort();
                        return null;
                    });
                done.add(sendChain);
            }
        }
        for (ClientPeerConnection pc : new ClientPeerConnection[] {publisherPc, subscriberPc}) {
            if (pc != null) {
                try {
                    done.add(pc.closeAsync());
                } catch (RuntimeException e) {
                    // the loop is closed already
                }
            }
        }
        return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]));
    }

    /** A stream that stops being measured leaves the jitter sum. */
    private void jitterGone(StreamTracker tracker) {
        metrics.add(LoopMetrics.Counter.JITTER_SUM_NS, -tracker.jitterNs());
        metrics.add(LoopMetrics.Counter.STREAMS, -1);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
