package io.sfu.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.sfu.client.ClientStats;
import io.sfu.core.dtls.DtlsCertificate;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Scenario} against a running SFU: creates the rooms, adds the clients of each step (paced joins),
 * waits until they are connected, warms up, measures the step's window, and judges it against the objective; a ramp
 * goes on to the next step until one breaks the objective or the last step is done. Once a second it samples the
 * clients, the SFU ({@code /metrics}) and itself, prints a progress line and adds a timeline point. Every wait is
 * bounded, and the whole run by {@code maxRunSeconds}; at the end every client leaves.
 */
public final class LoadRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);
    private static final long TICK_NS = 1_000_000_000L;
    private static final long SLICE_MS = 50;
    private static final double HARNESS_BUSY_PCT = 90;
    /** The failure of a step whose light subscribers sampled packets that failed SRTP authentication. */
    static final String AUTH_FAILURE_TEXT = " sampled packets failed SRTP authentication";

    private final Scenario scenario;
    private final PrintStream out;
    private final Topology topology;
    private final SfuApi api;
    /** The SFU nodes: one, or a cluster's; their samplers in the same order. */
    private final List<SfuApi> nodes;
    private final List<ResourceSampler> samplers;
    private final LoadReport.Objective objective;
    private final List<LoadClient> clients = new ArrayList<>();
    /** One CSV row per layer change of a received video track (see {@link #writeLayerChanges}). */
    private final List<String> layerRows = new ArrayList<>();
    private final Deque<LoadClient> pendingJoins = new ArrayDeque<>();
    private final Set<Integer> createdRooms = new HashSet<>();
    private final List<LoadReport.Step> steps = new ArrayList<>();
    private final List<LoadReport.TimelinePoint> timeline = new ArrayList<>();
    private final List<String> runWarnings = new ArrayList<>();
    private ClientLoops loops;
    private LoadClient.Context context;

    // the reporting state, main thread only
    private long runStartNs;
    private long deadlineNs;
    private long nextTickNs;
    private long[] lastCounters = new long[LoopMetrics.counterCount()];
    private long[] lastClientStats = new long[ClientStats.Counter.values().length];
    private ResourceSampler.Sample lastSample;
    private List<ResourceSampler.Sample> lastNodeSamples;
    private final Histogram tickLatency = LoopMetrics.newLatencyHistogram();
    private Histogram windowLatency;
    private final Histogram tickDataLatency = LoopMetrics.newLatencyHistogram();
    private Histogram windowDataLatency;
    private double windowHeapSum;
    private int windowHeapCount;
    private int currentStep;
    private String phase = "start";
    private long joinBudgetStartNs;
    private int joinsIssued;
    // churn (--churn-per-minute), main thread only
    private long nextChurnNs;
    private LoadClient lastReplacement;
    private int churned;
    /** The counters of the clients churned out, as they left, so that sums over the clients only grow. */
    private final long[] retiredStats = new long[ClientStats.Counter.values().length];

    public LoadRunner(Scenario scenario, PrintStream out) {
        this.scenario = scenario;
        this.out = out;
        this.topology = new Topology(scenario);
        List<SfuApi> apis = new ArrayList<>();
        List<ResourceSampler> nodeSamplers = new ArrayList<>();
        for (String url : scenario.urls()) {
            SfuApi node = new SfuApi(url, scenario.secret());
            apis.add(node);
            // --sfu-pid names the first node's process
            nodeSamplers.add(new ResourceSampler(node, apis.size() == 1 ? scenario.sfuPid() : 0));
        }
        this.nodes = List.copyOf(apis);
        this.samplers = List.copyOf(nodeSamplers);
        this.api = nodes.get(0);
        this.objective = new LoadReport.Objective(scenario.maxLossPct(), scenario.maxP99Ms());
    }

    /** Runs every step, leaves, and returns the report (not yet written). */
    /**
     * Writes the layer changes of every received video track, one row each: the client, its first media and the
     * change (epoch milliseconds), the track and the simulcast layer it moved to (0 lowest; its first packet counts).
     */
    public void writeLayerChanges(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("client,first_media_epoch_ms,epoch_ms,track,layer");
        lines.addAll(layerRows);
        Files.write(file, lines);
    }

    public LoadReport run() throws IOException, InterruptedException {
        Map<String, Object> machine = Machine.describe();
        String createdAt = Instant.now().toString();
        checkReachable();
        runStartNs = System.nanoTime();
        deadlineNs = runStartNs + TimeUnit.SECONDS.toNanos(scenario.maxRunSeconds());
        java.net.InetAddress bind = scenario.bindAddress() != null
            ? java.net.InetAddress.getByName(scenario.bindAddress()) : api.localAddressTowardsSfu();
        loops = new ClientLoops(scenario.clientThreads(), bind);
        context = new LoadClient.Context(scenario, nodes, DtlsCertificate.generate(), WallClock.INSTANCE,
            scenario.runId());
        lastSample = sampleNodes();
        nextTickNs = System.nanoTime() + TICK_NS;
        out.printf(Locale.ROOT, "load: %s, %s, objective loss <= %.2f%% and p99 <= %.1f ms%n", describeShape(),
            scenario.sharded() ? "shard " + scenario.shardIndex() + "/" + scenario.shardCount() : "one shard",
            objective.maxLossPct(), objective.maxP99Ms());
        try {
            for (int step = 0; topology.hasStep(step); step++) {
                if (System.nanoTime() - deadlineNs > 0) {
                    runWarnings.add("stopped before step " + step + ": --max-run-seconds reached");
                    break;
                }
                List<LoadClient> added;
                try {
                    added = addClients(step);
                } catch (IOException e) {
                    // a room the SFU refuses, say: report the steps so far rather than nothing
                    runWarnings.add("step " + step + " could not start: " + e.getMessage());
                    out.println("load: step " + step + " could not start: " + e.getMessage());
                    break;
                }
                LoadReport.Step result = measure(step, added, List.of());
                for (int retry = 0; scenario.ramp() && !result.passed() && retry < scenario.rampRetries()
                    && System.nanoTime() - deadlineNs < 0; retry++) {
                    out.println(stepLine(result) + " -- measuring step " + step + " again");
                    result = measure(step, added, List.of("measurement " + (retry + 2) + " of this step; the one "
                        + "before failed: " + String.join("; ", result.failures())));
                }
                steps.add(result);
                out.println(stepLine(result));
                if (scenario.ramp() && !result.passed()) {
                    break;
                }
            }
        } finally {
            phase = "leave";
            for (LoadClient c : clients) {
                for (LoadClient.LayerChange change : c.layerChanges()) {
                    layerRows.add(String.format(Locale.ROOT, "%s,%.3f,%.3f,%d,%d", change.client(),
                        c.firstMediaEpochNs() / 1e6, change.epochNs() / 1e6, change.track(), change.layer()));
                }
            }
            leave();
        }
        machine.put("loadAverageAtEnd", Machine.loadAverage());
        Integer lastPassing = LoadReport.lastPassing(steps);
        LoadReport report = new LoadReport(LoadReport.FORMAT, scenario.runId(), createdAt,
            List.of(scenario.shardIndex()), scenario.shardCount(), scenario.describe(), machine, objective,
            lastPassing, summary(lastPassing), CpuFit.of(steps), List.copyOf(steps), List.copyOf(timeline));
        ResultTable.print(report, out);
        return report;
    }

    private void checkReachable() throws IOException, InterruptedException {
        for (SfuApi node : nodes) {
            try {
                node.metrics();
            } catch (IOException e) {
                throw new IOException("the SFU at " + node.base() + " does not answer GET /metrics: " + e.getMessage(),
                    e);
            }
        }
    }

    /** Reads every node; keeps each node's reading for the cluster figures and returns their sum. */
    private ResourceSampler.Sample sampleNodes() {
        lastNodeSamples = NodeFigures.sample(samplers);
        return ResourceSampler.Sample.sum(lastNodeSamples);
    }

    private String describeShape() {
        Topology.Shape s = topology.shape(0);
        String media = (scenario.audio() ? "audio" : "") + (scenario.audio() && scenario.video() ? "+" : "")
            + (scenario.video() ? "video " + scenario.videoKbps() + " kbps" + (scenario.simulcast() ? " simulcast" : "")
            : "");
        String ramp = scenario.ramp() ? String.format(Locale.ROOT, ", ramp +%d %s per step up to %d steps",
            scenario.rampStep(), scenario.rampBy().name().toLowerCase(Locale.ROOT), scenario.rampMaxSteps()) : "";
        return String.format(Locale.ROOT, "%d room(s) x %d publisher(s) x %d subscriber(s), %s%s, %ds per step",
            s.rooms(), s.publishersPerRoom(), s.subscribersPerRoom(), media, ramp, scenario.durationSeconds());
    }

    // ---------------------------------------------------------------- one step

    /** Creates the step's new rooms and adds its clients, then waits until they are connected or stuck. */
    private List<LoadClient> addClients(int step) throws IOException, InterruptedException {
        currentStep = step;
        Topology.Shape shape = topology.shape(step);
        for (int room = 0; room < shape.rooms(); room++) {
            if (createdRooms.add(room)) {
                api.createRoom(topology.roomName(room), Math.max(2, topology.largestRoom()));
            }
        }
        List<LoadClient> added = new ArrayList<>();
        for (Topology.ClientSpec spec : topology.addedForShard(step, scenario.shardIndex(), scenario.shardCount())) {
            LoadClient client = new LoadClient(spec, context, loops.nextLoop(), topology.roomName(spec.room()));
            added.add(client);
            clients.add(client);
            pendingJoins.add(client);
        }
        for (LoadClient c : clients) {
            c.expectTracks(topology.expectedTracks(c.spec(), step));
        }
        phase = "join";
        joinBudgetStartNs = System.nanoTime();
        joinsIssued = 0;
        // give up after connectTimeoutSeconds without one more client settled (connected or failed)
        long timeoutNs = TimeUnit.SECONDS.toNanos(scenario.connectTimeoutSeconds());
        int settled = settledCount();
        long progressNs = System.nanoTime();
        while (!(pendingJoins.isEmpty() && settled == clients.size())
            && System.nanoTime() - (progressNs + timeoutNs) < 0 && System.nanoTime() - deadlineNs < 0) {
            waitUntil(Math.min(progressNs + timeoutNs, System.nanoTime() + TICK_NS / 4), () -> false);
            int now = settledCount();
            if (now > settled) {
                settled = now;
                progressNs = System.nanoTime();
            }
        }
        if (!pendingJoins.isEmpty()) {
            // the join rate could not place every client in time: they count as not connected
            pendingJoins.clear();
        }
        return added;
    }

    /** Warms up, measures one window and judges it. */
    private LoadReport.Step measure(int step, List<LoadClient> added, List<String> notes)
        throws InterruptedException {
        Topology.Shape shape = topology.shape(step);
        phase = "warmup";
        waitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(scenario.warmupSeconds()), () -> false);
        // the window starts at a tick, so that counters and histograms split exactly there
        waitUntil(nextTickNs, () -> false);
        phase = "measure";
        long[] startCounters = lastCounters;
        long[] startStats = lastClientStats;
        ResourceSampler.Sample startSample = lastSample;
        List<ResourceSampler.Sample> startNodes = lastNodeSamples;
        long startEpochNs = WallClock.INSTANCE.epochNanos();
        long startNs = System.nanoTime();
        windowLatency = LoopMetrics.newLatencyHistogram();
        windowDataLatency = LoopMetrics.newLatencyHistogram();
        windowHeapSum = 0;
        windowHeapCount = 0;
        waitUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(scenario.durationSeconds()) - TICK_NS / 2,
            () -> false);
        waitUntil(nextTickNs, () -> false);
        Histogram latency = windowLatency;
        Histogram dataLatency = windowDataLatency;
        windowLatency = null;
        windowDataLatency = null;
        long[] endCounters = lastCounters;
        long[] endStats = lastClientStats;
        ResourceSampler.Sample endSample = lastSample;
        List<ResourceSampler.Sample> endNodes = lastNodeSamples;
        double heapMean = windowHeapCount == 0 ? Double.NaN : windowHeapSum / windowHeapCount;
        long silent = silentTracks(step, startEpochNs, startNs);
        LoadReport.ClusterStep cluster = NodeFigures.clusterStep(nodes, startNodes, endNodes,
            delta(startCounters, endCounters, LoopMetrics.Counter.SENT_PACKETS));
        return buildStep(step, shape, added, latency, dataLatency, startCounters, endCounters, startStats, endStats,
            startSample, endSample, heapMean, silent, notes, cluster);
    }

    /** Clients connected or failed. */
    private int settledCount() {
        int settled = 0;
        for (LoadClient c : clients) {
            if (c.failure() != null || c.ready()) {
                settled++;
            }
        }
        return settled;
    }

    /**
     * Tracks that delivered nothing since the window started, over the clients ready since then (one that churn
     * brought in during the window may still wait for its first key frame).
     */
    private long silentTracks(int step, long sinceEpochNs, long windowStartNs) throws InterruptedException {
        long silent = 0;
        List<CompletableFuture<Integer>> seen = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (LoadClient c : clients) {
            int tracks = topology.expectedTracks(c.spec(), step);
            if (tracks > 0 && c.failure() == null && c.ready() && c.readyBefore(windowStartNs)) {
                seen.add(c.tracksReceivedSince(sinceEpochNs));
                expected.add(tracks);
            }
        }
        for (int i = 0; i < seen.size(); i++) {
            try {
                silent += Math.max(0, expected.get(i) - seen.get(i).get(5, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                silent += expected.get(i);
            }
        }
        return silent;
    }

    private LoadReport.Step buildStep(int step, Topology.Shape shape, List<LoadClient> added, Histogram latency,
        Histogram dataLatency, long[] c0, long[] c1, long[] s0, long[] s1, ResourceSampler.Sample r0, ResourceSampler.Sample r1,
        double heapMeanBytes, long silentTracks, List<String> notes, LoadReport.ClusterStep cluster) {
        double seconds = (r1.wallNs() - r0.wallNs()) / 1e9;
        long sent = delta(c0, c1, LoopMetrics.Counter.SENT_PACKETS);
        long expected = delta(c0, c1, LoopMetrics.Counter.EXPECTED_PACKETS);
        long received = delta(c0, c1, LoopMetrics.Counter.RECEIVED_PACKETS);
        long lost = Math.max(0, expected - received);
        double lossPct = expected == 0 ? 0 : 100.0 * lost / expected;
        long streams = c1[LoopMetrics.Counter.STREAMS.ordinal()];
        double jitterMs = streams <= 0 ? 0 : c1[LoopMetrics.Counter.JITTER_SUM_NS.ordinal()] / (double) streams / 1e6;
        double mbpsIn = bits(s0, s1, ClientStats.Counter.RTP_BYTES_SENT) / seconds / 1e6;
        double mbpsOut = bits(s0, s1, ClientStats.Counter.RTP_BYTES_RECEIVED) / seconds / 1e6;
        Double cpuPct = rate(r0.sfuCpuNs(), r1.sfuCpuNs(), r1.wallNs() - r0.wallNs(), 100);
        Double harnessPct = r0.harnessCpuNs() < 0 ? null
            : round2(100.0 * (r1.harnessCpuNs() - r0.harnessCpuNs()) / (r1.wallNs() - r0.wallNs()));
        Double forwardedPerSecond = rate(r0.sfuPacketsForwarded(), r1.sfuPacketsForwarded(),
            r1.wallNs() - r0.wallNs(), 1e9);
        long forwardedStreams = topology.forwardedTracks(step);
        Double cpuPerStream = cpuPct == null || forwardedStreams == 0 ? null
            : round4(cpuPct / forwardedStreams);
        double forwardedPackets = r1.sfuPacketsForwarded() - r0.sfuPacketsForwarded();
        Double cpuUsPerPacket = Double.isNaN(r0.sfuCpuNs()) || Double.isNaN(r1.sfuCpuNs())
            || !(forwardedPackets > 0) ? null : round3((r1.sfuCpuNs() - r0.sfuCpuNs()) / 1000.0 / forwardedPackets);
        // the whole server's allocation over the step per packet it forwarded: the hot path's share should be 0
        Double allocatedPerPacket = Double.isNaN(r0.sfuAllocatedBytes()) || Double.isNaN(r1.sfuAllocatedBytes())
            || !(forwardedPackets > 0) ? null
            : round2((r1.sfuAllocatedBytes() - r0.sfuAllocatedBytes()) / forwardedPackets);
        // the same for the packet threads alone (forwarding, receive, data), without scrapes and signaling
        Double packetThreadsPerPacket = Double.isNaN(r0.packetThreadsAllocatedBytes())
            || Double.isNaN(r1.packetThreadsAllocatedBytes()) || !(forwardedPackets > 0) ? null
            : round2((r1.packetThreadsAllocatedBytes() - r0.packetThreadsAllocatedBytes()) / forwardedPackets);
        Double liveHeapMb = Double.isNaN(r1.sfuLiveHeapBytes()) ? null
            : round2(r1.sfuLiveHeapBytes() / (1024 * 1024));
        int failed = 0;
        int ready = 0;
        String firstFailure = null;
        for (LoadClient c : clients) {
            if (c.failure() != null) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = c.identity() + ": " + c.failure();
                }
            } else if (c.ready()) {
                ready++;
            }
        }
        List<Double> connectMs = new ArrayList<>();
        for (LoadClient c : added) {
            long ns = c.connectNs();
            if (ns >= 0) {
                connectMs.add(ns / 1e6);
            }
        }
        connectMs.sort(Double::compare);
        LoadReport.Latency summary = Histograms.summaryMs(latency);
        long tracksExpected = 0;
        for (LoadClient c : clients) {
            tracksExpected += topology.expectedTracks(c.spec(), step);
        }
        List<String> failures = new ArrayList<>(StepVerdict.failures(objective, clients.size(), ready, failed,
            tracksExpected, received, lossPct, summary.p99(), silentTracks));
        LoadReport.DataStep data = scenario.data().tracks() == 0 ? null
            : DataSteps.of(scenario.data(), c0, c1, dataLatency, seconds);
        failures.addAll(DataSteps.failures(data, tracksExpected > 0));
        long authFailures = delta(c0, c1, LoopMetrics.Counter.AUTH_FAILURES);
        if (authFailures > 0) {
            failures.add(authFailures + AUTH_FAILURE_TEXT);
        }
        List<String> warnings = new ArrayList<>(notes);
        if (scenario.clientModel().lightSubscribers()) {
            warnings.add(String.format(Locale.ROOT, "light subscribers: latency from %d sampled packets (1 in %d), "
                + "no NACKs", delta(c0, c1, LoopMetrics.Counter.SAMPLED_PACKETS),
                scenario.clientModel().lightSample()));
        }
        warnings.addAll(DataSteps.warnings(data));
        if (firstFailure != null) {
            warnings.add("first client failure: " + firstFailure);
        }
        if (churned > 0) {
            warnings.add(churned + " clients churned so far (left and replaced by a new one)");
        }
        if (harnessPct != null && harnessPct >= HARNESS_BUSY_PCT * scenario.clientThreads()) {
            warnings.add(String.format(Locale.ROOT, "the harness used %.0f%% CPU: its own limit may show in "
                + "latency and loss, run it on more cores or machines (--shard)", harnessPct));
        }
        long skipped = delta(c0, c1, LoopMetrics.Counter.FRAMES_SKIPPED);
        if (skipped > 0) {
            warnings.add(skipped + " video frames skipped: the harness could not keep the send schedule");
        }
        long negative = delta(c0, c1, LoopMetrics.Counter.NEGATIVE_LATENCY);
        if (negative > 0) {
            warnings.add(negative + " probes arrived before they were sent: clocks of the machines differ");
        }
        if (cpuPct == null) {
            warnings.add("the SFU's CPU time could not be read (no process_cpu_time_ns_total in /metrics; "
                + "give --sfu-pid when it runs on this machine)");
        }
        int clientsHere = clients.size();
        int publishersHere = 0;
        for (LoadClient c : clients) {
            publishersHere += c.spec().publisher() ? 1 : 0;
        }
        return new LoadReport.Step(step, clientsHere, shape.rooms(), publishersHere, clientsHere - publishersHere,
            ready, failed, round3(seconds), summary, Histograms.encode(latency), round4(lossPct), sent, expected,
            received, lost, delta(c0, c1, LoopMetrics.Counter.DUPLICATES),
            delta(c0, c1, LoopMetrics.Counter.OUT_OF_ORDER), delta(c0, c1, LoopMetrics.Counter.RECOVERED),
            round3(jitterMs), round2(received / seconds), round3(mbpsIn), round3(mbpsOut), cpuPct,
            Double.isNaN(heapMeanBytes) ? null : round2(heapMeanBytes / (1024 * 1024)), forwardedPerSecond,
            harnessPct, forwardedStreams, cpuPerStream, cpuUsPerPacket,
            delta(s0, s1, ClientStats.Counter.NACKS_SENT), delta(s0, s1, ClientStats.Counter.RETRANSMISSIONS_RECEIVED),
            delta(s0, s1, ClientStats.Counter.PLIS_SENT), delta(c0, c1, LoopMetrics.Counter.KEYFRAMES_SENT),
            delta(s0, s1, ClientStats.Counter.IMPAIRED_RECEIVE_DROPS)
                + delta(s0, s1, ClientStats.Counter.IMPAIRED_SEND_DROPS),
            tracksExpected, silentTracks, connectMs.isEmpty() ? null : round2(connectMs.get(connectMs.size() / 2)),
            connectMs.isEmpty() ? null : round2(connectMs.get(connectMs.size() - 1)), Machine.loadAverage(),
            failures.isEmpty(), failures, warnings, List.of(scenario.shardIndex()), allocatedPerPacket,
            packetThreadsPerPacket, liveHeapMb,
            data, cluster);
    }

    private static long delta(long[] a, long[] b, LoopMetrics.Counter counter) {
        return b[counter.ordinal()] - a[counter.ordinal()];
    }

    private static long delta(long[] a, long[] b, ClientStats.Counter counter) {
        return b[counter.ordinal()] - a[counter.ordinal()];
    }

    private static double bits(long[] a, long[] b, ClientStats.Counter counter) {
        return 8.0 * delta(a, b, counter);
    }

    /** {@code (b - a) / wallNs * scale}, rounded, or null when either reading is missing. */
    static Double rate(double a, double b, long wallNs, double scale) {
        if (Double.isNaN(a) || Double.isNaN(b) || wallNs <= 0) {
            return null;
        }
        return round2((b - a) / wallNs * scale);
    }

    private long[] clientStats() {
        long[] sums = retiredStats.clone();
        for (LoadClient c : clients) {
            c.addStats(sums);
        }
        return sums;
    }

    // ---------------------------------------------------------------- waiting, joining and ticking

    /** Sleeps in slices until {@code deadlineNs} or {@code done}, issuing paced joins and ticking every second. */
    private void waitUntil(long deadlineNs, BooleanSupplier done) throws InterruptedException {
        while (true) {
            issueJoins();
            long now = System.nanoTime();
            churn(now);
            if (now - nextTickNs >= 0) {
                tick();
                continue;
            }
            if (done.getAsBoolean() || now - deadlineNs >= 0) {
                return;
            }
            long sleepNs = Math.min(Math.min(nextTickNs - now, deadlineNs - now), SLICE_MS * 1_000_000L);
            TimeUnit.NANOSECONDS.sleep(Math.max(1, sleepNs));
        }
    }

    private void issueJoins() {
        if (pendingJoins.isEmpty()) {
            return;
        }
        long elapsedNs = System.nanoTime() - joinBudgetStartNs;
        long allowed = 1 + elapsedNs * scenario.joinsPerSecond() / 1_000_000_000L;
        int connecting = 0;
        for (LoadClient c : clients) {
            if (c.connecting()) {
                connecting++;
            }
        }
        while (!pendingJoins.isEmpty() && joinsIssued < allowed && connecting++ < scenario.maxConnecting()) {
            pendingJoins.poll().start();
            joinsIssued++;
        }
    }

    /**
     * With {@code --churn-per-minute}, while a step warms up or is measured: when one is due, the receive-only client
     * that joined first leaves and a new one (same room, new identity) joins in its place. The next waits until this
     * replacement is connected or failed, so churn never piles joins up.
     */
    private void churn(long now) {
        if (scenario.churnPerMinute() == 0 || !(phase.equals("warmup") || phase.equals("measure"))) {
            return;
        }
        long intervalNs = 60_000_000_000L / scenario.churnPerMinute();
        if (nextChurnNs == 0) {
            nextChurnNs = now + intervalNs;
            return;
        }
        if (now - nextChurnNs < 0 || (lastReplacement != null && lastReplacement.connecting())) {
            return;
        }
        LoadClient leaving = null;
        for (LoadClient c : clients) {
            if (!c.spec().publisher()) {
                leaving = c;
                break;
            }
        }
        if (leaving == null) {
            return;
        }
        nextChurnNs = now + intervalNs;
        churned++;
        leaving.addStats(retiredStats);
        leaving.close();
        clients.remove(leaving);
        Topology.ClientSpec spec = leaving.spec();
        LoadClient replacement = new LoadClient(spec, context, loops.nextLoop(), topology.roomName(spec.room()),
            spec.identity(scenario.runId()) + "-c" + churned);
        replacement.expectTracks(topology.expectedTracks(spec, currentStep));
        clients.add(replacement);
        lastReplacement = replacement;
        replacement.start();
    }

    private void tick() {
        long now = System.nanoTime();
        nextTickNs += TICK_NS;
        if (now - nextTickNs >= 0) {
            // fell behind (a long pause): start the rhythm again from now
            nextTickNs = now + TICK_NS;
        }
        ResourceSampler.Sample sample = sampleNodes();
        tickLatency.reset();
        tickDataLatency.reset();
        long[] counters = loops.snapshot(tickLatency, tickDataLatency);
        long[] stats = clientStats();
        if (windowLatency != null) {
            windowLatency.add(tickLatency);
            windowDataLatency.add(tickDataLatency);
            if (!Double.isNaN(sample.sfuHeapBytes())) {
                windowHeapSum += sample.sfuHeapBytes();
                windowHeapCount++;
            }
        }
        double seconds = Math.max(1e-3, (sample.wallNs() - lastSample.wallNs()) / 1e9);
        long received = counters[LoopMetrics.Counter.RECEIVED_PACKETS.ordinal()]
            - lastCounters[LoopMetrics.Counter.RECEIVED_PACKETS.ordinal()];
        long expected = counters[LoopMetrics.Counter.EXPECTED_PACKETS.ordinal()]
            - lastCounters[LoopMetrics.Counter.EXPECTED_PACKETS.ordinal()];
        double lossPct = expected <= 0 ? 0 : Math.max(0, 100.0 * (expected - received) / expected);
        double mbpsIn = 8.0 * (stats[ClientStats.Counter.RTP_BYTES_SENT.ordinal()]
            - lastClientStats[ClientStats.Counter.RTP_BYTES_SENT.ordinal()]) / seconds / 1e6;
        double mbpsOut = 8.0 * (stats[ClientStats.Counter.RTP_BYTES_RECEIVED.ordinal()]
            - lastClientStats[ClientStats.Counter.RTP_BYTES_RECEIVED.ordinal()]) / seconds / 1e6;
        long wall = sample.wallNs() - lastSample.wallNs();
        Double sfuCpu = rate(lastSample.sfuCpuNs(), sample.sfuCpuNs(), wall, 100);
        Double harnessCpu = sample.harnessCpuNs() < 0 ? null
            : round2(100.0 * (sample.harnessCpuNs() - lastSample.harnessCpuNs()) / wall);
        Double heapMb = Double.isNaN(sample.sfuHeapBytes()) ? null : round2(sample.sfuHeapBytes() / (1024 * 1024));
        int ready = 0;
        int failed = 0;
        for (LoadClient c : clients) {
            if (c.failure() != null) {
                failed++;
            } else if (c.ready()) {
                ready++;
            }
        }
        double p50 = tickLatency.getTotalCount() == 0 ? 0 : tickLatency.getValueAtPercentile(50) / 1000.0;
        double p99 = tickLatency.getTotalCount() == 0 ? 0 : tickLatency.getValueAtPercentile(99) / 1000.0;
        double t = (now - runStartNs) / 1e9;
        timeline.add(new LoadReport.TimelinePoint(round2(t), currentStep, phase, clients.size(), ready,
            round2(received / seconds), round4(lossPct), round3(p50), round3(p99), round3(mbpsIn), round3(mbpsOut),
            sfuCpu, heapMb, harnessCpu));
        out.printf(Locale.ROOT, "[%5.0fs] step %d %-7s clients %d ready %d failed %d | rx %.0f pkt/s loss %.2f%% "
                + "p50 %.2f ms p99 %.2f ms | in %.1f Mb/s out %.1f Mb/s | SFU cpu %s heap %s | harness cpu %s%n",
            t, currentStep, phase, clients.size(), ready, failed, received / seconds, lossPct, p50, p99, mbpsIn,
            mbpsOut, sfuCpu == null ? "?" : String.format(Locale.ROOT, "%.0f%%", sfuCpu),
            heapMb == null ? "?" : String.format(Locale.ROOT, "%.0f MB", heapMb),
            harnessCpu == null ? "?" : String.format(Locale.ROOT, "%.0f%%", harnessCpu));
        lastSample = sample;
        lastCounters = counters;
        lastClientStats = stats;
    }

    // ---------------------------------------------------------------- the end

    private void leave() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (LoadClient c : clients) {
            closing.add(c.close());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("not every client left in time: {}", e.toString());
        }
        if (!scenario.sharded() && !scenario.keepRooms()) {
            for (int room : createdRooms) {
                try {
                    api.deleteRoom(topology.roomName(room));
                } catch (IOException e) {
                    LOG.debug("cannot delete room {}: {}", topology.roomName(room), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (loops != null) {
            loops.close();
        }
    }

    private String summary(Integer lastPassing) {
        StringBuilder sb = new StringBuilder();
        if (steps.isEmpty()) {
            sb.append("no step ran");
        } else if (lastPassing == null) {
            sb.append("the first step (").append(steps.get(0).clients()).append(" clients) broke the objective: ")
                .append(String.join("; ", steps.get(0).failures()));
        } else {
            LoadReport.Step held = steps.get(lastPassing);
            sb.append(String.format(Locale.ROOT, "held %d clients (%d rooms, %d forwarded streams) within the "
                + "objective at step %d", held.clients(), held.rooms(), held.forwardedStreams(), held.index()));
            if (lastPassing + 1 < steps.size()) {
                LoadReport.Step broke = steps.get(lastPassing + 1);
                sb.append(String.format(Locale.ROOT, "; step %d (%d clients) broke it: %s", broke.index(),
                    broke.clients(), String.join("; ", broke.failures())));
            } else if (scenario.ramp()) {
                sb.append("; the ramp ended without breaking it (raise --ramp-max-steps or --ramp-max-clients)");
            }
        }
        if (scenario.clientModel().lightSubscribers()) {
            sb.append("; light subscribers (1 in ").append(scenario.clientModel().lightSample())
                .append(" packets decrypted and measured)");
        }
        for (String w : runWarnings) {
            sb.append("; ").append(w);
        }
        return sb.toString();
    }

    private String stepLine(LoadReport.Step s) {
        return String.format(Locale.ROOT, "step %d: %d clients, loss %.2f%%, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
                + "%s SFU cpu %s -> %s%s", s.index(), s.clients(), s.lossPct(), s.latencyMs().p50(),
            s.latencyMs().p99(), s.latencyMs().p999(), s.data() == null ? "" : " " + DataSteps.line(s.data()) + ",",
            s.cpuPct() == null ? "?" : String.format(Locale.ROOT, "%.0f%%", s.cpuPct()),
            s.passed() ? "PASS" : "FAIL (" + String.join("; ", s.failures()) + ")",
            s.warnings().isEmpty() ? "" : " [" + String.join("; ", s.warnings()) + "]");
    }

    static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static double round4(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }
}
