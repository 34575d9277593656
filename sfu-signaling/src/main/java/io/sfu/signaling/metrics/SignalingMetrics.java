package io.sfu.signaling.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sfu.core.session.ControlPlane;
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.MediaEngine;
import io.sfu.core.session.Participant;
import io.sfu.core.session.Room;
import io.sfu.core.session.TrackStats;
import io.sfu.core.session.TurnRelayed;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's metrics in Prometheus text format: JVM and process metrics, rooms, participants, tracks, open
 * connections and signaling sockets, refused connections, timeouts and signaling message counters. Its registry
 * is where the media engine's counters go too.
 *
 * <p>A scrape has two halves: {@link #snapshot} reads what the control thread owns (rooms, the engine's counters,
 * per-track stats) on that thread, and {@link #render} formats it with the JVM metrics on any other thread.
 */
public final class SignalingMetrics implements AutoCloseable {
    /** The signaling message types counted by name; anything else is counted as {@code other}. */
    public static final Set<String> MESSAGE_TYPES =
        Set.of("offer", "answer", "candidate", "subscribe", "unsubscribe", "setLayer", "trackSettings", "restartIce", "mute", "leave");
    /** The reason tag of a connection refused by the per-address cap. */
    public static final String REFUSED_PER_ADDRESS = "per_address";
    /** The reason tag of a connection refused by the total cap. */
    public static final String REFUSED_TOTAL = "total";
    /** The kind tag of a socket closed for an unanswered ping. */
    public static final String TIMEOUT_PING = "ping";
    /** The kind tag of a participant disconnected for negotiating no media in time. */
    public static final String TIMEOUT_NEGOTIATION = "negotiation";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicInteger openSockets = new AtomicInteger();
    private final Map<String, Counter> received = new HashMap<>();
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter dropped;
    private final AtomicLong roomCount = new AtomicLong();
    private final AtomicLong participantCount = new AtomicLong();
    private final AtomicLong trackCount = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<String, Counter> refusedConnections = new HashMap<>();
    private final Map<String, Counter> timeouts = new HashMap<>();
    /** The media engine's counters as the last snapshot read them; replaced whole, read by the gauges. */
    private volatile Map<String, Long> engineCounters = Map.of();
    /** The length of the last text rendered, with room to grow. */
    private volatile int lastRenderLength;

    /**
     * What a scrape read on the control thread: one row per track of every participant, and one per participant whose
     * traffic the TURN server relayed.
     */
    public record Snapshot(List<TrackRow> tracks, List<RelayRow> relayed) {
    }

    /** What the TURN server relayed for one participant in a room, with the names that label its series. */
    public record RelayRow(String room, String participantId, String identity, TurnRelayed relayed) {
    }

    /** One track's counters with the names that label its series. */
    public record TrackRow(String room, String participantId, String identity, TrackStats stats) {
    }

    public SignalingMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
            && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            // bytes allocated per forwarded packet over a load step: the difference of two scrapes of each
            FunctionCounter.builder("sfu.jvm.allocated", threads,
                    com.sun.management.ThreadMXBean::getTotalThreadAllocatedBytes).baseUnit("bytes").description("Heap bytes allocated by every thread since the start")
                .register(registry);
            FunctionCounter.builder("sfu.media.allocated", new MediaThreadAllocation(threads),
                    MediaThreadAllocation::allocatedBytes).baseUnit("bytes")
                .description("Heap bytes allocated by the threads that carry packets (forwarding, receive, data)")
                .register(registry);
        }
        Gauge.builder("sfu.signaling.sockets", openSockets, AtomicInteger::get)
            .description("Open signaling WebSockets").register(registry);
        for (String type : MESSAGE_TYPES) {
            received.put(type, receivedCounter(type));
        }
        received.put("other", receivedCounter("other"));
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("sfu.signaling.errors").tag("code", code.wireName())
                .description("Error messages sent to signaling clients").register(registry));
        }
        dropped = Counter.builder("sfu.signaling.messages.dropped")
            .description("Client messages dropped by the per-socket rate limit").register(registry);
        Gauge.builder("sfu.rooms", roomCount, AtomicLong::get).description("Rooms").register(registry);
        Gauge.builder("sfu.participants", participantCount, AtomicLong::get)
            .description("Participants in all rooms").register(registry);
        Gauge.builder("sfu.tracks", trackCount, AtomicLong::get)
            .description("Published tracks in all rooms").register(registry);
        Gauge.builder("sfu.http.connections", openConnections, AtomicInteger::get)
            .description("Open HTTP connections (REST, WebSocket, demo page)").register(registry);
        for (String reason : List.of(REFUSED_PER_ADDRESS, REFUSED_TOTAL)) {
            refusedConnections.put(reason, Counter.builder("sfu.http.connections.refused").tag("reason", reason)
                .description("Connections refused by the per-address or the total connection cap").register(registry));
        }
        for (String kind : List.of(TIMEOUT_PING, TIMEOUT_NEGOTIATION)) {
            timeouts.put(kind, Counter.builder("sfu.signaling.timeouts").tag("kind", kind)
                .description("Signaling sockets closed because a ping went unanswered or no media was negotiated")
                .register(registry));
        }
    }

    private Counter receivedCounter(String type) {
        return Counter.builder("sfu.signaling.messages.received").tag("type", type)
            .description("Signaling messages received from clients").register(registry);
    }


    /** The registry, for meters of other parts of the process. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void received(String type) {
        received.getOrDefault(type, received.get("other")).increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    public void socketOpened() {
        openSockets.incrementAndGet();
    }

    public void socketClosed() {
        openSockets.decrementAndGet();
    }

    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** Open HTTP connections, as the gauge shows them. */
    public int openConnections() {
        return openConnections.get();
    }

    /** A connection refused by a cap: {@link #REFUSED_PER_ADDRESS} or {@link #REFUSED_TOTAL}. */
    public void connectionRefused(String reason) {
        refusedConnections.get(reason).increment();
    }

    /** A socket closed by a timeout: {@link #TIMEOUT_PING} or {@link #TIMEOUT_NEGOTIATION}. */
    public void timedOut(String kind) {
        timeouts.get(kind).increment();
    }

    /** Gauges over the media engine's own counters, by the names it has at start; values come from snapshots. */
    public void bindEngine(MediaEngine engine) {
        engineCounters = Map.copyOf(engine.counters());
        for (String name : engineCounters.keySet()) {
            Gauge.builder("sfu." + name.replace('_', '.'), this, m -> m.engineCounters.getOrDefault(name, 0L))
                .description("Media engine: " + name.replace('_', ' ')).register(registry);
        }
    }

    /** The Prometheus text exposition (format 0.0.4) of the registry alone. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Reads, on the control thread, what the rooms and the media engine hold: the room, participant and track
     * counts and the engine's counters (into their gauges), and every track's counters.
     */
    public Snapshot snapshot(ControlPlane plane, MediaEngine engine) {
        engineCounters = Map.copyOf(engine.counters());
        long participants = 0;
        long tracks = 0;
        List<TrackRow> rows = new ArrayList<>();
        List<RelayRow> relayedRows = new ArrayList<>();
        for (Room room : plane.rooms().rooms()) {
            participants += room.size();
            tracks += room.trackCount();
            for (Participant participant : room.participants()) {
                for (TrackStats track : plane.stats(participant)) {
                    rows.add(new TrackRow(room.name(), participant.id(), participant.identity(), track));
                }
                // only participants in a room: a series goes when its participant leaves
                TurnRelayed relayed = plane.turnRelayed(participant);
                if (relayed != null) {
                    relayedRows.add(new RelayRow(room.name(), participant.id(), participant.identity(), relayed));
                }
            }
        }
        roomCount.set(plane.rooms().size());
        participantCount.set(participants);
        trackCount.set(tracks);
        return new Snapshot(rows, relayedRows);
    }

    /**
     * The Prometheus text exposition with one series per track and participant appended: packets, bytes, loss,
     * NACKs, keyframe requests, bitrate, drops, retransmissions, refused retransmissions, the downlink estimate and
     * the temporal layer, labelled by room, participant, identity, track and direction. These come from the snapshot
     * of the engine's per-track counters, so they come and go with the tracks. Runs on any thread: it touches nothing
     * the control thread owns.
     */
    public String render(Snapshot snapshot) {
        // sized for the last text, so that a large room's series do not make the builder copy itself over and over
        StringBuilder out = new StringBuilder(Math.max(lastRenderLength, 4096));
        out.append(registry.scrape());
        String[][] series = {
            {"sfu_track_packets", "counter", "RTP packets received (published) or sent (subscribed)"},
            {"sfu_track_bytes", "counter", "RTP bytes received (published) or sent (subscribed)"},
            {"sfu_track_lost", "gauge", "Packets lost toward the SFU (published) or reported lost by the subscriber"},
            {"sfu_track_nacks", "counter", "NACKs sent to the publisher or received from the subscriber"},
            {"sfu_track_plis", "counter", "Keyframe requests sent to the publisher or received from the subscriber"},
            {"sfu_track_bitrate_bps", "gauge", "Bitrate over the last second, bits per second"},
            {"sfu_track_dropped", "counter", "Packets not delivered to the subscriber (send failed, codec absent)"},
            {"sfu_track_retransmitted", "counter", "Packets sent to the subscriber again in answer to its NACKs"},
            {"sfu_track_retransmits_refused", "counter",
                "Packets the subscriber's NACKs asked for that were not sent again (repeat, per-NACK cap, budget)"},
            {"sfu_track_downlink_estimate_bps", "gauge",
                "Estimate of the subscriber's downlink from its transport-wide feedback (0: none yet; 0 published)"},
            {"sfu_track_temporal_layer", "gauge",
                "Highest temporal layer received (published) or forwarded (subscribed); -1: no temporal layers"},
            {"sfu_track_allocated_bps", "gauge",
                "Share of the subscriber's downlink estimate a subscribed video track may take (0: audio, no estimate)"},
            {"sfu_track_spatial_layer", "gauge",
                "Highest spatial layer (VP9 SVC) forwarded (subscribed); -1: no spatial layers, or published"},
        };
        List<String> labels = new ArrayList<>();
        List<TrackStats> stats = new ArrayList<>();
        for (TrackRow row : snapshot.tracks()) {
            TrackStats track = row.stats();
            labels.add("{room=\"" + escape(row.room()) + "\",participant=\"" + escape(row.participantId())
                + "\",identity=\"" + escape(row.identity()) + "\",track=\"" + escape(track.trackId())
                + "\",direction=\"" + track.direction().name().toLowerCase(Locale.ROOT) + "\"}");
            stats.add(track);
        }
        for (int s = 0; s < series.length; s++) {
            out.append("# HELP ").append(series[s][0]).append(' ').append(series[s][2]).append('\n');
            out.append("# TYPE ").append(series[s][0]).append(' ').append(series[s][1]).append('\n');
            for (int i = 0; i < stats.size(); i++) {
                TrackStats t = stats.get(i);
                long value = switch (s) {
                    case 0 -> t.packets();
                    case 1 -> t.bytes();
                    case 2 -> t.lost();
                    case 3 -> t.nacks();
                    case 4 -> t.plis();
                    case 5 -> t.bitrateBps();
                    case 6 -> t.dropped();
                    case 7 -> t.retransmitted();
                    case 8 -> t.retransmitsRefused();
                    case 9 -> t.downlinkEstimateBps();
                    case 10 -> t.temporalLayer();
                    case 11 -> t.allocatedBps();
                    default -> t.spatialLayer();
                };
                out.append(series[s][0]).append(labels.get(i)).append(' ').append(value).append('\n');
            }
        }
        renderRelayed(out, snapshot.relayed());
        lastRenderLength = out.length() + out.length() / 8;
        return out.toString();
    }

    /**
     * What the TURN server relayed per participant, in each direction ({@code to_sfu}: from the participant's
     * clients; {@code to_client}: toward them), labelled like the track series.
     */
    private static void renderRelayed(StringBuilder out, List<RelayRow> rows) {
        String[][] series = {
            {"sfu_participant_turn_relayed_bytes", "Bytes the embedded TURN server relayed for the participant"},
            {"sfu_participant_turn_relayed_packets", "Packets the embedded TURN server relayed for the participant"},
        };
        for (int s = 0; s < series.length; s++) {
            out.append("# HELP ").append(series[s][0]).append(' ').append(series[s][1]).append('\n');
            out.append("# TYPE ").append(series[s][0]).append(" counter\n");
            for (RelayRow row : rows) {
                String labels = "{room=\"" + escape(row.room()) + "\",participant=\"" + escape(row.participantId())
                    + "\",identity=\"" + escape(row.identity()) + "\",direction=\"";
                TurnRelayed r = row.relayed();
                out.append(series[s][0]).append(labels).append("to_sfu\"} ")
                    .append(s == 0 ? r.bytesToSfu() : r.packetsToSfu()).append('\n');
                out.append(series[s][0]).append(labels).append("to_client\"} ")
                    .append(s == 0 ? r.bytesToClient() : r.packetsToClient()).append('\n');
            }
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
