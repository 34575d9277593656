package io.sfu.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The result of a load run as written to {@code report.json}: the scenario, the machine, the objective, one
 * {@link Step} per load step (with its latency histogram encoded, so shard reports merge exactly), the last step
 * that met the objective, and a per-second timeline. {@link #write}/{@link #read} convert it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadReport(
    String format,
    String runId,
    String createdAt,
    List<Integer> shards,
    int shardCount,
    Map<String, Object> scenario,
    Map<String, Object> machine,
    Objective objective,
    Integer lastPassingStep,
    String summary,
    CpuFit cpuFit,
    List<Step> steps,
    List<TimelinePoint> timeline) {

    public static final String FORMAT = "sfu-load-report/1";

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What a step must meet: at most this loss and this p99 latency, every client connected and receiving. */
    public record Objective(double maxLossPct, double maxP99Ms) {
    }

    /** Latency percentiles in milliseconds over the step's packets, and how many packets they cover. */
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean, long count) {
    }

    /**
     * The data tracks of a step: data channels the subscribers had open at its end, messages the publishers sent
     * and the ones their endpoints refused (send buffer full), distinct messages received and per second, the
     * messages the received channels should have delivered (first to highest sequence number), those missing
     * (expected - received: 0 on reliable channels), arrivals after a later message of their channel, copies, and
     * the one-way latency of the messages (percentiles and the encoded histogram); and the channels' reliability
     * and ordering, which say which of these must be 0.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DataStep(boolean reliable, boolean ordered, long channels, long sentMessages, long sendRefused, long receivedMessages,
                           double receivedMessagesPerSecond, long expectedMessages, long missingMessages,
                           long outOfOrder, long duplicates, Latency latencyMs, String latencyHistogram) {
    }

    /**
     * One load step, measured over its window after the clients connected and warmed up. Rates are per second of
     * the window. {@code mbpsIn} is what the harness sent to the SFU, {@code mbpsOut} what it received from it
     * (SRTP packets, RTCP excluded). SFU figures are null when they could not be read; {@code cpuPct} is percent of
     * one core. {@code data} is null when the run has no data tracks.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(
        int index,
        int clients,
        int rooms,
        int publishers,
        int subscribers,
        int clientsReady,
        int clientsFailed,
        double durationSeconds,
        Latency latencyMs,
        String latencyHistogram,
        double lossPct,
        long sentPackets,
        long expectedPackets,
        long receivedPackets,
        long lostPackets,
        long duplicates,
        long outOfOrder,
        long recovered,
        double jitterMs,
        double receivedPacketsPerSecond,
        double mbpsIn,
        double mbpsOut,
        Double cpuPct,
        Double heapMb,
        Double sfuPacketsForwardedPerSecond,
        Double harnessCpuPct,
        long forwardedStreams,
        Double cpuPctPerForwardedStream,
        Double cpuUsPerForwardedPacket,
        long nacksSent,
        long retransmissionsReceived,
        long plisSent,
        long keyframesSent,
        long impairedDrops,
        long subscribedTracks,
        long silentTracks,
        Double connectP50Ms,
        Double connectMaxMs,
        double loadAverage,
        boolean passed,
        List<String> failures,
        List<String> warnings,
        List<Integer> shards,
        Double sfuAllocatedBytesPerForwardedPacket,
        Double sfuPacketThreadsAllocatedBytesPerForwardedPacket,
        Double sfuLiveHeapAfterGcMb,
        DataStep data,
        ClusterStep cluster) {

        /** A step whose SFU allocation and live heap were not read, without data tracks. */
        public Step(int index, int clients, int rooms, int publishers, int subscribers, int clientsReady,
                    int clientsFailed, double durationSeconds, Latency latencyMs, String latencyHistogram,
                    double lossPct, long sentPackets, long expectedPackets, long receivedPackets, long lostPackets,
                    long duplicates, long outOfOrder, long recovered, double jitterMs,
                    double receivedPacketsPerSecond, double mbpsIn, double mbpsOut, Double cpuPct, Double heapMb,
                    Double sfuPacketsForwardedPerSecond, Double harnessCpuPct, long forwardedStreams,
                    Double cpuPctPerForwardedStream, Double cpuUsPerForwardedPacket, long nacksSent,
                    long retransmissionsReceived, long plisSent, long keyframesSent, long impairedDrops,
                    long subscribedTracks, long silentTracks, Double connectP50Ms, Double connectMaxMs,
                    double loadAverage, boolean passed, List<String> failures, List<String> warnings,
                    List<Integer> shards) {
            this(index, clients, rooms, publishers, subscribers, clientsReady, clientsFailed, durationSeconds,
                latencyMs, latencyHistogram, lossPct, sentPackets, expectedPackets, receivedPackets, lostPackets,
                duplicates, outOfOrder, recovered, jitterMs, receivedPacketsPerSecond, mbpsIn, mbpsOut, cpuPct,
                heapMb, sfuPacketsForwardedPerSecond, harnessCpuPct, forwardedStreams, cpuPctPerForwardedStream,
                cpuUsPerForwardedPacket, nacksSent, retransmissionsReceived, plisSent, keyframesSent, impairedDrops,
                subscribedTracks, silentTracks, connectP50Ms, connectMaxMs, loadAverage, passed, failures, warnings,
                shards, null, null, null, null, null);
        }
    }

    /**
     * A step over the nodes of a cluster ({@code --url} naming several): each node's figures, and what the nodes
     * relayed to each other. {@code relayCopiesPerPublishedPacketPerPeer} is the packets the nodes sent over the
     * relay per packet the publishers sent and per other node: 1.0 when every packet crosses exactly once to each
     * other node (every node has receivers of every track), less when some node needs no copy.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ClusterStep(int nodes, List<NodeStep> perNode, Double relayPacketsSentPerSecond,
                              Double relayCopiesPerPublishedPacketPerPeer) {
    }

    /**
     * One node's share of a step: its CPU (percent of one core), the packets it forwarded to its own clients and
     * those it relayed to and from its peer nodes, per second; null where its /metrics lacked the figure.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeStep(String url, Double cpuPct, Double forwardedPacketsPerSecond,
                           Double relayPacketsSentPerSecond, Double relayPacketsReceivedPerSecond) {
    }

    /** One second of the run, for the timeline chart and the progress line. */
    public record TimelinePoint(double t, int step, String phase, int clients, int clientsReady, double receivedPps,
                                double lossPct, double p50Ms, double p99Ms, double mbpsIn, double mbpsOut,
                                Double sfuCpuPct, Double heapMb, Double harnessCpuPct) {
    }

    /** The step with that index, or null. */
    public Step step(int index) {
        for (Step s : steps) {
            if (s.index() == index) {
                return s;
            }
        }
        return null;
    }

    /** Writes the report as indented JSON. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a report written by {@link #write}. */
    public static LoadReport read(Path file) throws IOException {
        LoadReport report = JSON.readValue(file.toFile(), LoadReport.class);
        if (report.steps() == null) {
            throw new IOException(file + " is not a load report (no steps)");
        }
        return report;
    }

    /** The report as JSON text. */
    public String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }

    /**
     * The last step of an unbroken run of passing steps from the first: the load the SFU held within the objective
     * (null when the first step already broke it).
     */
    public static Integer lastPassing(List<Step> steps) {
        Integer last = null;
        for (Step s : steps) {
            if (!s.passed()) {
                break;
            }
            last = s.index();
        }
        return last;
    }
}
