package io.sfu.signaling.metrics;

import io.micrometer.core.instrument.Counter;
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
import io.sfu.core.session.RoomRegistry;
import io.sfu.core.session.TrackStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's metrics in Prometheus text format: JVM and process metrics, rooms, participants, tracks, open
 * signaling sockets and signaling message counters. Its registry is where the media engine's counters go too.
 */
public final class SignalingMetrics implements AutoCloseable {
    /** The signaling message types counted by name; anything else is counted as {@code other}. */
    public static final Set<String> MESSAGE_TYPES =
        Set.of("offer", "answer", "candidate", "subscribe", "unsubscribe", "setLayer", "mute", "leave");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicInteger openSockets = new AtomicInteger();
    private final Map<String, Counter> received = new HashMap<>();
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter dropped;

    public SignalingMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
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
    }

    private Counter receivedCounter(String type) {
        return Counter.builder("sfu.signaling.messages.received").tag("type", type)
            .description("Signaling messages received from clients").register(registry);
    }

    /** Gauges over the rooms; they are read when /metrics is scraped, on the control thread. */
    public void bindRooms(RoomRegistry rooms) {
        Gauge.builder("sfu.rooms", rooms, RoomRegistry::size).strongReference(true)
            .description("Rooms").register(registry);
        Gauge.builder("sfu.participants", rooms, r -> r.rooms().stream().mapToInt(Room::size).sum())
            .strongReference(true).description("Participants in all rooms").register(registry);
        Gauge.builder("sfu.tracks", rooms, r -> r.rooms().stream().mapToInt(Room::trackCount).sum())
            .strongReference(true).description("Published tracks in all rooms").register(registry);
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

    /** Gauges over the media engine's own counters, read at scrape time. */
    public void bindEngine(MediaEngine engine) {
        for (String name : engine.counters().keySet()) {
            Gauge.builder("sfu." + name.replace('_', '.'), engine, e -> e.counters().getOrDefault(name, 0L))
                .strongReference(true).description("Media engine: " + name.replace('_', ' '))
                .register(registry);
        }
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * The Prometheus text exposition with one series per track and participant appended: packets, bytes, loss,
     * NACKs, keyframe requests, bitrate, drops, retransmissions and refused retransmissions, labelled by room,
     * participant, identity, track and direction. These are built at scrape time from the engine's per-track
     * counters, so they come and go with the tracks.
     */
    public String scrape(ControlPlane plane) {
        StringBuilder out = new StringBuilder(registry.scrape());
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
        };
        List<String> labels = new ArrayList<>();
        List<TrackStats> stats = new ArrayList<>();
        for (Room room : plane.rooms().rooms()) {
            for (Participant participant : room.participants()) {
                for (TrackStats track : plane.stats(participant)) {
                    labels.add("{room=\"" + escape(room.name()) + "\",participant=\"" + escape(participant.id())
                        + "\",identity=\"" + escape(participant.identity()) + "\",track=\"" + escape(track.trackId())
                        + "\",direction=\"" + track.direction().name().toLowerCase(java.util.Locale.ROOT) + "\"}");
                    stats.add(track);
                }
            }
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
                    default -> t.retransmitsRefused();
                };
                out.append(series[s][0]).append(labels.get(i)).append(' ').append(value).append('\n');
            }
        }
        return out.toString();
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
