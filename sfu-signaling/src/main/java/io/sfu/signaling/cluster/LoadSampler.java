package io.sfu.signaling.cluster;

import io.sfu.core.session.MediaEngine;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Measures this node's load for the directory: the process's CPU share and the media packets it handled per second
 * (received plus forwarded) since the last sample. Called on the control context once a second.
 */
final class LoadSampler {
    private final MediaEngine engine;
    private final com.sun.management.OperatingSystemMXBean os;
    private long lastPackets = -1;
    private long lastNs;

    LoadSampler(MediaEngine engine) {
        this.engine = engine;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean
            bean ? bean : null;
    }

    NodeState.Load sample(long nowNs) {
        double cpu = os == null ? 0 : os.getProcessCpuLoad();
        Map<String, Long> counters = engine.counters();
        long packets = counters.getOrDefault("media_datagrams_received", 0L)
            + counters.getOrDefault("media_packets_forwarded", 0L);
        long perSecond = 0;
        if (lastPackets >= 0 && nowNs > lastNs) {
            perSecond = (packets - lastPackets) * 1_000_000_000L / (nowNs - lastNs);
        }
        lastPackets = packets;
        lastNs = nowNs;
        return new NodeState.Load(cpu < 0 ? 0 : cpu, perSecond);
    }
}
