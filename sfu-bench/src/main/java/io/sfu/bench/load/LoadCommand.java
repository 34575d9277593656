package io.sfu.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench load ...}: the command line of a load run. Options can also come from a file, one per line,
 * with {@code @FILE} (picocli argument files; see {@code sfu-bench/scenarios/}). A {@code --preset} fills in the
 * shape of a common scenario; options given explicitly win over it.
 */
@Command(name = "load", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Loads a running SFU through its public API with Java WebRTC clients, measures every step and "
        + "writes OUT/report.json and OUT/report.html (with --simulcast also OUT/layers.csv, the layer each "
        + "subscriber received each video track on over time).",
        "Example: scripts/bench load --url http://127.0.0.1:8080 --rooms 1 --publishers 1 --subscribers 20 "
            + "--duration 10 --out reports/fanout"},
    footer = {"", "Also: scripts/bench merge DIR1 DIR2 ... --out DIR combines the reports of the shards of one run."})
public final class LoadCommand implements Callable<Integer> {

    /** Ready-made shapes; explicit options override their values. */
    public enum Preset {
        /** One publisher of 2.5 Mbit/s video and audio to many subscribers; ramps +5 subscribers per step. */
        FANOUT,
        /** Five-person meetings, everyone publishing and receiving; ramps +1 meeting per step. */
        MEETINGS,
        /** One speaker to 500 listeners; ramps +50 listeners per step. */
        WEBINAR
    }

    @Option(names = "--url", required = true, paramLabel = "URL",
        description = "The SFU: http://HOST:PORT (REST, WebSocket and /metrics); or the nodes of a cluster, "
            + "comma-separated, which the clients of each room join in turn (rooms are made on the first).")
    String url;

    @Option(names = "--secret", paramLabel = "S", description = "The API secret: tokens come from "
        + "POST /v1/rooms/{room}/tokens with it. Without it, dev-mode joins (?room=&identity=).")
    String secret;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where report.json and "
        + "report.html go.")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME", description = "fanout, meetings or webinar.")
    Preset preset;

    @Option(names = "--rooms", paramLabel = "R", description = "Rooms (default 1).")
    Integer rooms;

    @Option(names = "--publishers", paramLabel = "P", description = "Publishers per room; they also receive each "
        + "other (default 1).")
    Integer publishers;

    @Option(names = "--subscribers", paramLabel = "S", description = "Subscribers (receive only) per room "
        + "(default 3).")
    Integer subscribers;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measured seconds per step (default 10).")
    Integer duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
        description = "Seconds between all clients connected and the measurement (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--video-kbps", paramLabel = "K", description = "Video bitrate of each publisher (of the top "
        + "layer with --simulcast; the others get 1/4 and 1/16) (default 2500).")
    Integer videoKbps;

    @Option(names = "--simulcast", description = "Three simulcast layers (q, h, f) per video track.")
    boolean simulcast;

    @Option(names = "--audio", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Send Opus-shaped audio (default on).")
    boolean audio;

    @Option(names = "--video", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Send VP8-shaped video (default on).")
    boolean video;

    @Option(names = "--dtx", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Audio silences send comfort noise every 400 ms only (default on).")
    boolean dtx;

    @Option(names = "--keyframe-interval", paramLabel = "SECONDS", defaultValue = "3",
        description = "Seconds between periodic key frames (default ${DEFAULT-VALUE}).")
    int keyframeInterval;

    @Option(names = "--ramp", description = "Add clients step by step until a step breaks the objective.")
    boolean ramp;

    @Option(names = "--ramp-by", paramLabel = "WHAT", description = "subscribers (more per room) or rooms (more "
        + "rooms); default rooms when a room has several publishers, else subscribers.")
    Scenario.RampBy rampBy;

    @Option(names = "--ramp-step", paramLabel = "N", description = "Subscribers per room or rooms added per step "
        + "(default 5 subscribers or 1 room).")
    Integer rampStep;

    @Option(names = "--ramp-max-steps", paramLabel = "N", defaultValue = "20",
        description = "Steps at most (default ${DEFAULT-VALUE}).")
    int rampMaxSteps;

    @Option(names = "--ramp-max-clients", paramLabel = "N", defaultValue = "2000",
        description = "Clients at most (default ${DEFAULT-VALUE}).")
    int rampMaxClients;

    @Option(names = "--ramp-retries", paramLabel = "N", defaultValue = "1",
        description = "A ramp step that breaks the objective is measured again up to N times before the ramp "
            + "stops, so that one disturbance of a shared machine does not end it (default ${DEFAULT-VALUE}).")
    int rampRetries;

    @Option(names = "--max-loss-pct", paramLabel = "PCT", defaultValue = "1",
        description = "Objective: loss at most this percent (default ${DEFAULT-VALUE}).")
    double maxLossPct;

    @Option(names = "--max-p99-ms", paramLabel = "MS", defaultValue = "50",
        description = "Objective: p99 one-way latency at most this (default ${DEFAULT-VALUE}).")
    double maxP99Ms;

    @Option(names = "--loss", paramLabel = "PCT", defaultValue = "0",
        description = "Client-side impairment: random loss in percent.")
    double loss;

    @Option(names = "--reorder", paramLabel = "PCT", defaultValue = "0",
        description = "Client-side impairment: percent of packets held back by --reorder-delay-ms.")
    double reorder;

    @Option(names = "--reorder-delay-ms", paramLabel = "MS", defaultValue = "10",
        description = "How long a reordered packet is held back (default ${DEFAULT-VALUE}).")
    int reorderDelayMs;

    @Option(names = "--jitter-ms", paramLabel = "MS", defaultValue = "0",
        description = "Client-side impairment: extra delay drawn uniformly from 0 to this.")
    int jitterMs;

    @Option(names = "--rate-limit-kbps", paramLabel = "KBPS", defaultValue = "0",
        description = "Client-side impairment: a link of this rate with a queue of --rate-limit-queue-ms (as tc tbf "
            + "shapes one), from --limit-at until --lift-at seconds after each client's first media (default: none).")
    int rateLimitKbps;

    @Option(names = "--rate-limit-queue-ms", paramLabel = "MS", defaultValue = "50",
        description = "How long the limited link's queue holds a datagram before it drops it (default "
            + "${DEFAULT-VALUE}).")
    int rateLimitQueueMs;

    @Option(names = "--limit-at", paramLabel = "S", defaultValue = "0",
        description = "When --rate-limit-kbps starts, in seconds after each client's first media (default 0).")
    int limitAt;

    @Option(names = "--lift-at", paramLabel = "S", defaultValue = "0",
        description = "When --rate-limit-kbps ends, in seconds after each client's first media (default 0: never).")
    int liftAt;

    @Option(names = "--impair", paramLabel = "WHERE", defaultValue = "downlink",
        description = "Where impairments apply: downlink (subscribers receive), uplink (publishers send) or both "
            + "(default ${DEFAULT-VALUE}).")
    Scenario.Direction impair;

    @Option(names = "--shard", paramLabel = "I/N", defaultValue = "0/1",
        description = "Drive share I of N of the clients (0-based), for several harness machines; give every shard "
            + "the same --run-id, then merge (default ${DEFAULT-VALUE}).")
    String shard;

    @Option(names = "--run-id", paramLabel = "ID", description = "Names the run's rooms and identities; required "
        + "with --shard (default: a timestamp).")
    String runId;

    @Option(names = "--room-prefix", paramLabel = "PREFIX", description = "Room names are PREFIX0, PREFIX1, ... "
        + "(default load-RUNID-).")
    String roomPrefix;

    @Option(names = "--client-threads", paramLabel = "N", description = "Client loop threads (default: half the "
        + "available processors, at least 1).")
    Integer clientThreads;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Local address of the clients' UDP sockets "
        + "(default: the address this machine reaches the SFU's host from; 127.0.0.1 for a local SFU).")
    String bind;

    @Option(names = "--join-rate", paramLabel = "N", defaultValue = "50",
        description = "Joins per second at most (default ${DEFAULT-VALUE}).")
    int joinRate;

    @Option(names = "--max-connecting", paramLabel = "N", defaultValue = "12",
        description = "Clients joining at once at most: the next joins when one is connected, so that DTLS "
            + "handshakes do not pile up (default ${DEFAULT-VALUE}).")
    int maxConnecting;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "A step gives up on connecting its clients after this long without one more connected "
            + "(default ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--sfu-pid", paramLabel = "PID", defaultValue = "0",
        description = "The SFU's process id on this machine: its CPU from /proc when /metrics lacks it.")
    long sfuPid;

    @Option(names = "--max-run-seconds", paramLabel = "SECONDS", defaultValue = "3600",
        description = "No new step starts after this (default ${DEFAULT-VALUE}).")
    int maxRunSeconds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "Seeds media sizes, talk spurts and impairments (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--keep-rooms", description = "Do not delete the run's rooms at the end.")
    boolean keepRooms;

    @Option(names = "--churn-per-minute", paramLabel = "N", defaultValue = "0",
        description = "While a step warms up and is measured, N times a minute a receive-only client leaves and a new "
            + "one joins in its place (one at a time: the next waits until its predecessor's replacement settled) "
            + "(default ${DEFAULT-VALUE}).")
    int churnPerMinute;

    @Option(names = "--data-tracks", paramLabel = "N", defaultValue = "0",
        description = "Data channels each publisher opens (data tracks; reliable and ordered unless told otherwise) "
            + "(default ${DEFAULT-VALUE}: none).")
    int dataTracks;

    @Option(names = "--data-unordered", description = "The data channels deliver out of order (ordered: false).")
    boolean dataUnordered;

    @Option(names = "--data-max-retransmits", paramLabel = "K", defaultValue = "-1",
        description = "Partially reliable data channels: at most K retransmissions of a message (default: reliable).")
    int dataMaxRetransmits;

    @Option(names = "--data-rate", paramLabel = "MSGS_PER_SECOND", defaultValue = "50",
        description = "Messages each data channel sends per second (default ${DEFAULT-VALUE}).")
    int dataRate;

    @Option(names = "--data-size", paramLabel = "BYTES", defaultValue = "1024",
        description = "Bytes of each data message, its header of sequence number and send time included "
            + "(default ${DEFAULT-VALUE}).")
    int dataSize;

    @Option(names = "--light-subscribers", description = "Subscribers (receive-only clients) count every packet "
        + "from its clear RTP header and decrypt and measure only a sample (--light-sample), after signaling, ICE and "
        + "DTLS done as usual; they send no NACKs. Lets one harness core receive several times more.")
    boolean lightSubscribers;

    @Option(names = "--light-sample", paramLabel = "N", defaultValue = "8",
        description = "With --light-subscribers: decrypt and measure one packet in N of each stream, its first "
            + "included (default ${DEFAULT-VALUE}).")
    int lightSample;

    @Option(names = "--publisher-pacing", paramLabel = "FACTOR", defaultValue = "2.5",
        description = "A video frame's packets leave spread at FACTOR x the video bitrate, as a browser's pacer "
            + "sends them (default ${DEFAULT-VALUE}, libwebrtc's); 0 sends each frame in one burst.")
    double publisherPacing;

    @Option(names = "--fail-on-objective", description = "Exit 1 when the first step breaks the objective.")
    boolean failOnObjective;

    /** The scenario these options describe. @throws IllegalArgumentException naming a bad option */
    public Scenario scenario() {
        Preset p = preset;
        int r = rooms != null ? rooms : 1;
        int pub = publishers != null ? publishers : p == Preset.MEETINGS ? 5 : 1;
        int sub = subscribers != null ? subscribers
            : p == Preset.MEETINGS ? 0 : p == Preset.WEBINAR ? 500 : p == Preset.FANOUT ? 5 : 3;
        int kbps = videoKbps != null ? videoKbps : p == Preset.WEBINAR ? 1200 : 2500;
        Scenario.RampBy by = rampBy != null ? rampBy : pub > 1 ? Scenario.RampBy.ROOMS : Scenario.RampBy.SUBSCRIBERS;
        int step = rampStep != null ? rampStep : by == Scenario.RampBy.ROOMS ? 1 : p == Preset.WEBINAR ? 50 : 5;
        int seconds = duration != null ? duration : 10;
        String[] parts = shard.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard must be I/N, e.g. 0/2: " + shard);
        }
        int shardIndex;
        int shardCount;
        try {
            shardIndex = Integer.parseInt(parts[0].trim());
            shardCount = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must be I/N, e.g. 0/2: " + shard);
        }
        if (shardCount > 1 && runId == null) {
            throw new IllegalArgumentException("--run-id is required with --shard: every shard must use the same");
        }
        String id = runId != null ? runId
            : "l" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss", Locale.ROOT));
        String prefix = roomPrefix != null ? roomPrefix : "load-" + id + "-";
        int threads = clientThreads != null ? clientThreads
            : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return new Scenario(url, secret, r, pub, sub, seconds, warmup, audio, video, kbps, simulcast, dtx,
            keyframeInterval, ramp, by, step, rampMaxSteps, rampMaxClients, rampRetries, maxLossPct, maxP99Ms,
            new Scenario.Impairments(loss, reorder, reorderDelayMs, jitterMs, impair, rateLimitKbps, rateLimitQueueMs,
                limitAt, liftAt),
            shardIndex, shardCount, id,
            prefix, threads, bind, joinRate, maxConnecting, connectTimeout, sfuPid, maxRunSeconds, seed, keepRooms,
            churnPerMinute,
            new Scenario.DataTraffic(dataTracks, !dataUnordered, dataMaxRetransmits, dataRate, dataSize),
            new Scenario.ClientModel(lightSubscribers, lightSample, publisherPacing));
    }

    @Override
    public Integer call() throws Exception {
        Scenario scenario;
        try {
            scenario = scenario();
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            return 2;
        }
        LoadReport report;
        try {
            LoadRunner runner = new LoadRunner(scenario, System.out);
            report = runner.run();
            if (scenario.simulcast()) {
                Files.createDirectories(out);
                runner.writeLayerChanges(out.resolve("layers.csv"));
            }
        } catch (java.io.IOException e) {
            System.err.println("load: " + e.getMessage());
            return 3;
        }
        report.write(out.resolve("report.json"));
        HtmlReport.write(report, out.resolve("report.html"));
        System.out.println("load: wrote " + out.resolve("report.json") + " and " + out.resolve("report.html"));
        if (report.steps().isEmpty()) {
            return 3;
        }
        return failOnObjective && report.lastPassingStep() == null ? 1 : 0;
    }
}
