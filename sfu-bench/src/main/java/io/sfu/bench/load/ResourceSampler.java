package io.sfu.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the SFU and the harness cost: the SFU's process CPU time, used heap and forwarded packets from its
 * {@code /metrics} ({@code process_cpu_time_ns_total}, {@code jvm_memory_used_bytes{area="heap"}},
 * {@code sfu_media_packets_forwarded}, and the bytes it allocated and its live heap after the last collection:
 * {@code sfu_jvm_allocated_bytes_total}, {@code jvm_gc_live_data_size_bytes}, and what its packet threads alone
 * allocated, {@code sfu_media_allocated_bytes_total}), or, when it names the SFU's pid and the metrics lack the CPU time, from
 * {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}; and the harness's own CPU time from the JVM. A sample is
 * cumulative; rates come from the difference of two.
 */
public final class ResourceSampler {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceSampler.class);
    /** USER_HZ: the unit of the times in /proc/PID/stat on Linux (100 on every common architecture). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /**
     * One reading. NaN where a value could not be read. {@code relayPacketsSent} and {@code relayPacketsReceived}
     * are what a cluster node relayed to and from its peer nodes ({@code sfu_relay_packets_sent},
     * {@code sfu_relay_packets_received}); {@code packetThreadsAllocatedBytes} what the SFU's packet threads
     * allocated, without its scrapes, signaling and handshakes.
     */
    public record Sample(long wallNs, double sfuCpuNs, double sfuHeapBytes, double sfuPacketsForwarded,
                         long harnessCpuNs, String cpuSource, double sfuAllocatedBytes, double sfuLiveHeapBytes,
                         double relayPacketsSent, double relayPacketsReceived, double packetThreadsAllocatedBytes) {

        /**
         * The readings of the nodes of a cluster taken together: the SFU figures summed (NaN when a node's is
         * missing), the time and the harness's CPU of the first.
         */
        public static Sample sum(List<Sample> nodes) {
            Sample first = nodes.get(0);
            if (nodes.size() == 1) {
                return first;
            }
            double cpu = 0;
            double heap = 0;
            double forwarded = 0;
            double allocated = 0;
            double live = 0;
            double relaySent = 0;
            double relayReceived = 0;
            double packetThreads = 0;
            for (Sample s : nodes) {
                cpu += s.sfuCpuNs;
                heap += s.sfuHeapBytes;
                forwarded += s.sfuPacketsForwarded;
                allocated += s.sfuAllocatedBytes;
                live += s.sfuLiveHeapBytes;
                relaySent += s.relayPacketsSent;
                relayReceived += s.relayPacketsReceived;
                packetThreads += s.packetThreadsAllocatedBytes;
            }
            return new Sample(first.wallNs, cpu, heap, forwarded, first.harnessCpuNs, first.cpuSource, allocated,
                live, relaySent, relayReceived, packetThreads);
        }
    }

    private final SfuApi api;
    private final long sfuPid;
    private final com.sun.management.OperatingSystemMXBean os;
    private boolean metricsFailed;

    /**
     * @param sfuPid the SFU's process id on this machine, or 0 when unknown (a remote SFU)
     */
    public ResourceSampler(SfuApi api, long sfuPid) {
        this.api = api;
        this.sfuPid = sfuPid;
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    /** Reads everything now. Never throws: what cannot be read is NaN. */
    public Sample sample() {
        long wall = System.nanoTime();
        double cpu = Double.NaN;
        double heap = Double.NaN;
        double forwarded = Double.NaN;
        double allocated = Double.NaN;
        double live = Double.NaN;
        double relaySent = Double.NaN;
        double relayReceived = Double.NaN;
        double packetThreads = Double.NaN;
        String source = "none";
        try {
            PrometheusText metrics = PrometheusText.parse(api.metrics());
            cpu = metrics.sum("process_cpu_time_ns_total", "");
            heap = metrics.sum("jvm_memory_used_bytes", "area=\"heap\"");
            forwarded = metrics.sum("sfu_media_packets_forwarded", "");
            allocated = metrics.sum("sfu_jvm_allocated_bytes_total", "");
            live = metrics.sum("jvm_gc_live_data_size_bytes", "");
            relaySent = metrics.sum("sfu_relay_packets_sent", "");
            relayReceived = metrics.sum("sfu_relay_packets_received", "");
            packetThreads = metrics.sum("sfu_media_allocated_bytes_total", "");
            if (!Double.isNaN(cpu)) {
                source = "metrics";
            }
        } catch (IOException e) {
            if (!metricsFailed) {
                LOG.warn("cannot read the SFU's /metrics: {}", e.getMessage());
                metricsFailed = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sfuPid > 0 && Double.isNaN(cpu)) {
            double proc = procCpuNs(sfuPid);
            if (!Double.isNaN(proc)) {
                cpu = proc;
                source = "proc";
            }
            if (Double.isNaN(heap)) {
                heap = procRssBytes(sfuPid);
            }
        }
        long harness = os != null ? os.getProcessCpuTime() : -1;
        return new Sample(wall, cpu, heap, forwarded, harness, source, allocated, live, relaySent, relayReceived,
            packetThreads);
    }

    /** utime + stime of a process from /proc/PID/stat, in nanoseconds, or NaN. */
    static double procCpuNs(long pid) {
        try {
            return parseProcStatCpuNs(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Fields 14 and 15 (utime, stime) of a /proc/PID/stat line, after the parenthesised command name. */
    static double parseProcStatCpuNs(String stat) {
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000.0 / CLOCK_TICKS_PER_SECOND);
    }

    /** VmRSS of a process, in bytes, or NaN. */
    static double procRssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not on Linux, or the process is gone
        }
        return Double.NaN;
    }

    /** The harness process's CPU time in nanoseconds, or -1 when the JVM cannot tell. */
    public long harnessCpuNs() {
        return os != null ? os.getProcessCpuTime() : -1;
    }
}
