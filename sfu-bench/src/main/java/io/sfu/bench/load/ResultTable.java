package io.sfu.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table printed at the end of a run or a merge: one row per step, the last passing step marked. */
public final class ResultTable {
    private static final String[] HEADERS = {"step", "clients", "rooms", "streams", "rx pkt/s", "loss %", "dup",
        "ooo", "p50 ms", "p99 ms", "p99.9 ms", "jitter ms", "in Mb/s", "out Mb/s", "SFU cpu %", "heap MB",
        "cpu %/stream", "harness cpu %", "result"};

    private ResultTable() {
    }

    public static void print(LoadReport report, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        for (LoadReport.Step s : report.steps()) {
            boolean last = report.lastPassingStep() != null && report.lastPassingStep() == s.index();
            rows.add(new String[] {
                Integer.toString(s.index()) + (last ? " *" : ""),
                Integer.toString(s.clients()),
                Integer.toString(s.rooms()),
                Long.toString(s.forwardedStreams()),
                f0(s.receivedPacketsPerSecond()),
                f(s.lossPct(), 2),
                Long.toString(s.duplicates()),
                Long.toString(s.outOfOrder()),
                f(s.latencyMs().p50(), 2),
                f(s.latencyMs().p99(), 2),
                f(s.latencyMs().p999(), 2),
                f(s.jitterMs(), 2),
                f(s.mbpsIn(), 1),
                f(s.mbpsOut(), 1),
                s.cpuPct() == null ? "?" : f(s.cpuPct(), 0),
                s.heapMb() == null ? "?" : f0(s.heapMb()),
                s.cpuPctPerForwardedStream() == null ? "?" : f(s.cpuPctPerForwardedStream(), 3),
                s.harnessCpuPct() == null ? "?" : f(s.harnessCpuPct(), 0),
                s.passed() ? "pass" : "FAIL: " + String.join("; ", s.failures())
            });
        }
        int[] widths = new int[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            widths[i] = HEADERS[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println();
        line(out, HEADERS, widths);
        String[] rule = new String[HEADERS.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        out.println("* last step within the objective (loss <= " + f(report.objective().maxLossPct(), 2)
            + "%, p99 <= " + f(report.objective().maxP99Ms(), 1) + " ms, every client connected and receiving)");
        for (LoadReport.Step s : report.steps()) {
            String cluster = describe(s.index(), s.cluster());
            if (cluster != null) {
                out.println(cluster);
            }
        }
        out.println(report.summary());
        String fit = describe(report.cpuFit());
        if (fit != null) {
            out.println(fit);
        }
    }

    /** The nodes of a cluster in one step, a line each after the step's summary; null for one node. */
    static String describe(int step, LoadReport.ClusterStep cluster) {
        if (cluster == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "step %d over %d nodes: relayed %s pkt/s, "
                + "%s copies per published packet per other node", step, cluster.nodes(),
            cluster.relayPacketsSentPerSecond() == null ? "?" : f0(cluster.relayPacketsSentPerSecond()),
            cluster.relayCopiesPerPublishedPacketPerPeer() == null ? "?"
                : f(cluster.relayCopiesPerPublishedPacketPerPeer(), 3)));
        for (LoadReport.NodeStep node : cluster.perNode()) {
            sb.append(String.format(Locale.ROOT, "%n  %s: cpu %s%%, forwarded %s pkt/s, relay out %s in %s pkt/s",
                node.url(), node.cpuPct() == null ? "?" : f(node.cpuPct(), 0),
                node.forwardedPacketsPerSecond() == null ? "?" : f0(node.forwardedPacketsPerSecond()),
                node.relayPacketsSentPerSecond() == null ? "?" : f0(node.relayPacketsSentPerSecond()),
                node.relayPacketsReceivedPerSecond() == null ? "?" : f0(node.relayPacketsReceivedPerSecond())));
        }
        return sb.toString();
    }

    /** One line about the CPU fit, or null without one. */
    static String describe(CpuFit fit) {
        if (fit == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder("CPU fit over " + fit.steps() + " steps:");
        if (fit.sfuPctPerStream() != null) {
            sb.append(String.format(Locale.ROOT, " SFU %.4f%% of a core per forwarded stream (idle %.1f%%)",
                fit.sfuPctPerStream(), fit.sfuIdlePct()));
            if (fit.streamsPerSfuCore() != null) {
                sb.append(", about ").append(fit.streamsPerSfuCore()).append(" streams per SFU core");
            }
        }
        if (fit.harnessPctPerStream() != null) {
            sb.append(String.format(Locale.ROOT, "; harness %.4f%% per stream", fit.harnessPctPerStream()));
            if (fit.streamsPerHarnessCore() != null) {
                sb.append(", about ").append(fit.streamsPerHarnessCore()).append(" streams per harness core");
            }
        }
        return sb.append(" (a linear projection, not a measurement)").toString();
    }

    private static void line(PrintStream out, String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            boolean last = i == cells.length - 1;
            if (last) {
                sb.append(cells[i]);
            } else {
                sb.append(" ".repeat(widths[i] - cells[i].length())).append(cells[i]);
            }
        }
        out.println(sb.toString().stripTrailing());
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
