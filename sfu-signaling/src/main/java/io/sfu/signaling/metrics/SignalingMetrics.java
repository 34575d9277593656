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
import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.Room;
import io.sfu.core.session.RoomRegistry;
import java.util.EnumMap;
import java.util.HashMap;
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

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
