package io.sfu.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One load run, validated: whom to load (the SFU's URL and secret), the shape of the load (rooms × publishers ×
 * subscribers, the media each publisher sends), how long, whether and how to ramp, the objective a step must meet,
 * client-side impairments, and which share of the clients this process drives ({@code shardIndex} of
 * {@code shardCount}). {@link LoadCommand} builds it from the command line; tests build it directly.
 */
public record Scenario(
    String url,
    String secret,
    int rooms,
    int publishersPerRoom,
    int subscribersPerRoom,
    int durationSeconds,
    int warmupSeconds,
    boolean audio,
    boolean video,
    int videoKbps,
    boolean simulcast,
    boolean dtx,
    int keyframeIntervalSeconds,
    boolean ramp,
    RampBy rampBy,
    int rampStep,
    int rampMaxSteps,
    int rampMaxClients,
    int rampRetries,
    double maxLossPct,
    double maxP99Ms,
    Impairments impairments,
    int shardIndex,
    int shardCount,
    String runId,
    String roomPrefix,
    int clientThreads,
    String bindAddress,
    int joinsPerSecond,
    int maxConnecting,
    int connectTimeoutSeconds,
    long sfuPid,
    int maxRunSeconds,
    long seed,
    boolean keepRooms,
    int churnPerMinute,
    DataTraffic data,
    ClientModel clientModel) {

    /**
     * How the harness's own clients behave, apart from the load's shape: whether subscribers take the light receive
     * path (count every packet from its clear header, decrypt and measure one in {@code lightSample}), and the
     * publishers' pacing: a frame's packets leave spread at {@code publisherPacing} times the video bitrate, as
     * libwebrtc's pacer sends them (0: each frame in one burst).
     */
    public record ClientModel(boolean lightSubscribers, int lightSample, double publisherPacing) {
        /** Browser-like: full subscribers, frames paced at 2.5 x the bitrate (libwebrtc's pacing factor). */
        public static final ClientModel DEFAULT = new ClientModel(false, 8, VideoSource.BROWSER_PACING_FACTOR);
    }

    /**
     * The data tracks each publisher opens: {@code tracks} data channels (0: none), ordered or not, reliable or with
     * at most {@code maxRetransmits} retransmissions (-1: reliable), each sending {@code messagesPerSecond} messages
     * of {@code messageBytes}.
     */
    public record DataTraffic(int tracks, boolean ordered, int maxRetransmits, int messagesPerSecond,
                              int messageBytes) {
        public static final DataTraffic NONE = new DataTraffic(0, true, -1, 50, 1024);

        /** Whether every message must arrive (no retransmission limit). */
        public boolean reliable() {
            return maxRetransmits < 0;
        }
    }

    /** The most SFU nodes one run loads (a cluster's nodes named by {@code --url}). */
    public static final int MAX_NODES = 16;

    /**
     * The SFU nodes the clients join, in {@code --url} order: one, or the nodes of a cluster (comma-separated), which
     * the clients of each room join in turn (its first client the first node). Rooms are created and deleted through
     * the first.
     */
    public java.util.List<String> urls() {
        return nodes(url);
    }

    private static java.util.List<String> nodes(String url) {
        return java.util.Arrays.stream(url.split(",", -1)).map(String::trim).toList();
    }

    /** A scenario with the {@link ClientModel#DEFAULT default client model}. */
    public Scenario(String url, String secret, int rooms, int publishersPerRoom, int subscribersPerRoom,
                    int durationSeconds, int warmupSeconds, boolean audio, boolean video, int videoKbps,
                    boolean simulcast, boolean dtx, int keyframeIntervalSeconds, boolean ramp, RampBy rampBy,
                    int rampStep, int rampMaxSteps, int rampMaxClients, int rampRetries, double maxLossPct,
                    double maxP99Ms, Impairments impairments, int shardIndex, int shardCount, String runId,
                    String roomPrefix, int clientThreads, String bindAddress, int joinsPerSecond, int maxConnecting,
                    int connectTimeoutSeconds, long sfuPid, int maxRunSeconds, long seed, boolean keepRooms,
                    int churnPerMinute, DataTraffic data) {
        this(url, secret, rooms, publishersPerRoom, subscribersPerRoom, durationSeconds, warmupSeconds, audio, video,
            videoKbps, simulcast, dtx, keyframeIntervalSeconds, ramp, rampBy, rampStep, rampMaxSteps, rampMaxClients,
            rampRetries, maxLossPct, maxP99Ms, impairments, shardIndex, shardCount, runId, roomPrefix, clientThreads,
            bindAddress, joinsPerSecond, maxConnecting, connectTimeoutSeconds, sfuPid, maxRunSeconds, seed, keepRooms,
            churnPerMinute, data, ClientModel.DEFAULT);
    }

    /** A scenario without data tracks. */
    public Scenario(String url, String secret, int rooms, int publishersPerRoom, int subscribersPerRoom,
                    int durationSeconds, int warmupSeconds, boolean audio, boolean video, int videoKbps,
                    boolean simulcast, boolean dtx, int keyframeIntervalSeconds, boolean ramp, RampBy rampBy,
                    int rampStep, int rampMaxSteps, int rampMaxClients, int rampRetries, double maxLossPct,
                    double maxP99Ms, Impairments impairments, int shardIndex, int shardCount, String runId,
                    String roomPrefix, int clientThreads, String bindAddress, int joinsPerSecond, int maxConnecting,
                    int connectTimeoutSeconds, long sfuPid, int maxRunSeconds, long seed, boolean keepRooms,
                    int churnPerMinute) {
        this(url, secret, rooms, publishersPerRoom, subscribersPerRoom, durationSeconds, warmupSeconds, audio, video,
            videoKbps, simulcast, dtx, keyframeIntervalSeconds, ramp, rampBy, rampStep, rampMaxSteps, rampMaxClients,
            rampRetries, maxLossPct, maxP99Ms, impairments, shardIndex, shardCount, runId, roomPrefix, clientThreads,
            bindAddress, joinsPerSecond, maxConnecting, connectTimeoutSeconds, sfuPid, maxRunSeconds, seed, keepRooms,
            churnPerMinute, DataTraffic.NONE);
    }

    /** What a ramp adds per step. */
    public enum RampBy {
        /** {@code rampStep} more subscribers in every room (fan-out, webinar). */
        SUBSCRIBERS,
        /** {@code rampStep} more rooms of the same shape (meetings). */
        ROOMS
    }

    /** Where client-side impairment applies. */
    public enum Direction { DOWNLINK, UPLINK, BOTH }

    /**
     * Client-side network impairment: loss and reordering in percent, jitter and reorder delay in ms, and a link of
     * {@code rateLimitKbps} (0: none) whose queue holds {@code rateLimitQueueMs}, from {@code limitAtSeconds} until
     * {@code liftAtSeconds} (0: never) after each client's first media.
     */
    public record Impairments(double lossPct, double reorderPct, int reorderDelayMs, int jitterMs,
                              Direction direction, int rateLimitKbps, int rateLimitQueueMs, int limitAtSeconds,
                              int liftAtSeconds) {
        public static final Impairments NONE = new Impairments(0, 0, 10, 0, Direction.DOWNLINK);

        public Impairments(double lossPct, double reorderPct, int reorderDelayMs, int jitterMs, Direction direction) {
            this(lossPct, reorderPct, reorderDelayMs, jitterMs, direction, 0, 50, 0, 0);
        }

        public boolean active() {
            return lossPct > 0 || reorderPct > 0 || jitterMs > 0 || rateLimitKbps > 0;
        }
    }

    /** @throws IllegalArgumentException naming the option that is out of range */
    public Scenario {
        require(url != null && !url.isBlank(), "--url is required");
        require(nodes(url).size() <= MAX_NODES && nodes(url).stream().noneMatch(String::isBlank),
            "--url must name 1 to " + MAX_NODES + " nodes, separated by commas");
        require(rooms >= 1 && rooms <= StreamIds.MAX_ROOMS, "--rooms must be 1 to " + StreamIds.MAX_ROOMS);
        require(publishersPerRoom >= 0 && publishersPerRoom <= StreamIds.MAX_PUBLISHERS_PER_ROOM,
            "--publishers must be 0 to " + StreamIds.MAX_PUBLISHERS_PER_ROOM);
        require(subscribersPerRoom >= 0 && subscribersPerRoom <= 10_000, "--subscribers must be 0 to 10000");
        require(publishersPerRoom + subscribersPerRoom >= 1, "a room needs at least one publisher or subscriber");
        require(durationSeconds >= 1 && durationSeconds <= 3600, "--duration must be 1 to 3600 seconds");
        require(warmupSeconds >= 0 && warmupSeconds <= 600, "--warmup must be 0 to 600 seconds");
        require(data != null, "data traffic must be set");
        require(clientModel != null, "the client model must be set");
        require(clientModel.lightSample() >= 1 && clientModel.lightSample() <= 1_000_000,
            "--light-sample must be 1 to 1000000");
        require(clientModel.publisherPacing() == 0
                || clientModel.publisherPacing() >= 1 && clientModel.publisherPacing() <= 100,
            "--publisher-pacing must be 0 (bursts) or 1 to 100");
        require(audio || video || data.tracks() > 0,
            "--no-audio and --no-video together leave nothing to send (without --data-tracks)");
        require(videoKbps >= 10 && videoKbps <= 50_000, "--video-kbps must be 10 to 50000");
        require(keyframeIntervalSeconds >= 1 && keyframeIntervalSeconds <= 600,
            "--keyframe-interval must be 1 to 600 seconds");
        require(rampBy != null, "--ramp-by must be set");
        require(rampStep >= 1 && rampStep <= 10_000, "--ramp-step must be 1 to 10000");
        require(rampMaxSteps >= 1 && rampMaxSteps <= 1000, "--ramp-max-steps must be 1 to 1000");
        require(rampMaxClients >= 1 && rampMaxClients <= 100_000, "--ramp-max-clients must be 1 to 100000");
        require(rampRetries >= 0 && rampRetries <= 10, "--ramp-retries must be 0 to 10");
        require(maxLossPct >= 0 && maxLossPct <= 100, "--max-loss-pct must be 0 to 100");
        require(maxP99Ms > 0 && maxP99Ms <= 60_000, "--max-p99-ms must be above 0 and at most 60000");
        require(impairments != null, "impairments must be set");
        require(impairments.lossPct() >= 0 && impairments.lossPct() <= 100, "--loss must be 0 to 100 percent");
        require(impairments.reorderPct() >= 0 && impairments.reorderPct() <= 100,
            "--reorder must be 0 to 100 percent");
        require(impairments.reorderDelayMs() >= 1 && impairments.reorderDelayMs() <= 10_000,
            "--reorder-delay-ms must be 1 to 10000");
        require(impairments.jitterMs() >= 0 && impairments.jitterMs() <= 10_000, "--jitter-ms must be 0 to 10000");
        require(impairments.rateLimitKbps() >= 0 && impairments.rateLimitKbps() <= 10_000_000,
            "--rate-limit-kbps must be 0 to 10000000");
        require(impairments.rateLimitQueueMs() >= 1 && impairments.rateLimitQueueMs() <= 10_000,
            "--rate-limit-queue-ms must be 1 to 10000");
        require(impairments.limitAtSeconds() >= 0 && impairments.limitAtSeconds() <= 86_400,
            "--limit-at must be 0 to 86400 seconds");
        require(impairments.liftAtSeconds() == 0 || impairments.liftAtSeconds() > impairments.limitAtSeconds(),
            "--lift-at must come after --limit-at (or be 0: never)");
        require(shardCount >= 1 && shardCount <= 1000 && shardIndex >= 0 && shardIndex < shardCount,
            "--shard must be i/n with 0 <= i < n <= 1000");
        require(runId != null && runId.matches("[A-Za-z0-9_-]{1,24}"),
            "--run-id must be 1 to 24 letters, digits, '-' or '_'");
        require(roomPrefix != null && roomPrefix.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,40}"),
            "--room-prefix must be 1 to 41 characters of [A-Za-z0-9._-], not starting with '.'");
        require(clientThreads >= 1 && clientThreads <= 64, "--client-threads must be 1 to 64");
        require(joinsPerSecond >= 1 && joinsPerSecond <= 10_000, "--join-rate must be 1 to 10000");
        require(maxConnecting >= 1 && maxConnecting <= 10_000, "--max-connecting must be 1 to 10000");
        require(connectTimeoutSeconds >= 1 && connectTimeoutSeconds <= 600, "--connect-timeout must be 1 to 600");
        require(sfuPid >= 0, "--sfu-pid must be positive");
        require(maxRunSeconds >= 10 && maxRunSeconds <= 86_400, "--max-run-seconds must be 10 to 86400");
        require(churnPerMinute >= 0 && churnPerMinute <= 600, "--churn-per-minute must be 0 to 600");
        require(data.tracks() >= 0 && data.tracks() <= MAX_DATA_TRACKS, "--data-tracks must be 0 to "
            + MAX_DATA_TRACKS);
        require(data.maxRetransmits() >= -1 && data.maxRetransmits() <= 65_535,
            "--data-max-retransmits must be 0 to 65535");
        require(data.messagesPerSecond() >= 1 && data.messagesPerSecond() <= 10_000, "--data-rate must be 1 to 10000");
        require(data.messageBytes() >= Probe.LENGTH && data.messageBytes() <= MAX_DATA_MESSAGE_BYTES,
            "--data-size must be " + Probe.LENGTH + " to " + MAX_DATA_MESSAGE_BYTES + " bytes");
        int largestRoom = publishersPerRoom + subscribersPerRoom
            + (ramp && rampBy == RampBy.SUBSCRIBERS ? rampStep * (rampMaxSteps - 1) : 0);
        require(largestRoom <= 10_000, "the largest room of the run would hold " + largestRoom
            + " participants; at most 10000");
    }

    /** Data channels a publisher opens at most. */
    public static final int MAX_DATA_TRACKS = 16;
    /** The largest data message: what a browser takes (a=max-message-size 65536 by default, RFC 8841 §6). */
    public static final int MAX_DATA_MESSAGE_BYTES = 65_536;

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Tracks each publisher sends (audio and/or video; simulcast counts as one track). */
    public int tracksPerPublisher() {
        return (audio ? 1 : 0) + (video ? 1 : 0);
    }

    /** Steps of the run: 1 without a ramp. */
    public int steps() {
        return ramp ? rampMaxSteps : 1;
    }

    /** Whether this process drives only a share of the clients. */
    public boolean sharded() {
        return shardCount > 1;
    }

    /** The scenario as written into the report (without the secret). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("secretMode", secret != null && !secret.isEmpty());
        m.put("rooms", rooms);
        m.put("publishersPerRoom", publishersPerRoom);
        m.put("subscribersPerRoom", subscribersPerRoom);
        m.put("durationSeconds", durationSeconds);
        m.put("warmupSeconds", warmupSeconds);
        m.put("audio", audio);
        m.put("video", video);
        m.put("videoKbps", videoKbps);
        m.put("simulcast", simulcast);
        m.put("dtx", dtx);
        m.put("keyframeIntervalSeconds", keyframeIntervalSeconds);
        m.put("ramp", ramp);
        m.put("rampBy", rampBy.name().toLowerCase(java.util.Locale.ROOT));
        m.put("rampStep", rampStep);
        m.put("rampMaxSteps", rampMaxSteps);
        m.put("rampMaxClients", rampMaxClients);
        m.put("rampRetries", rampRetries);
        Map<String, Object> impair = new LinkedHashMap<>();
        impair.put("lossPct", impairments.lossPct());
        impair.put("reorderPct", impairments.reorderPct());
        impair.put("reorderDelayMs", impairments.reorderDelayMs());
        impair.put("jitterMs", impairments.jitterMs());
        impair.put("direction", impairments.direction().name().toLowerCase(java.util.Locale.ROOT));
        if (impairments.rateLimitKbps() > 0) {
            impair.put("rateLimitKbps", impairments.rateLimitKbps());
            impair.put("rateLimitQueueMs", impairments.rateLimitQueueMs());
            impair.put("limitAtSeconds", impairments.limitAtSeconds());
            impair.put("liftAtSeconds", impairments.liftAtSeconds());
        }
        m.put("impairments", impair);
        m.put("runId", runId);
        m.put("roomPrefix", roomPrefix);
        m.put("clientThreads", clientThreads);
        m.put("bindAddress", bindAddress == null ? "auto" : bindAddress);
        m.put("joinsPerSecond", joinsPerSecond);
        m.put("maxConnecting", maxConnecting);
        m.put("connectTimeoutSeconds", connectTimeoutSeconds);
        m.put("seed", seed);
        m.put("churnPerMinute", churnPerMinute);
        m.put("lightSubscribers", clientModel.lightSubscribers());
        if (clientModel.lightSubscribers()) {
            m.put("lightSample", clientModel.lightSample());
        }
        m.put("publisherPacing", clientModel.publisherPacing());
        if (data.tracks() > 0) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("tracks", data.tracks());
            d.put("ordered", data.ordered());
            d.put("maxRetransmits", data.maxRetransmits());
            d.put("messagesPerSecond", data.messagesPerSecond());
            d.put("messageBytes", data.messageBytes());
            m.put("data", d);
        }
        return m;
    }
}
