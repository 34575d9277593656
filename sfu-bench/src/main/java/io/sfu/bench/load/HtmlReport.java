package io.sfu.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no scripts or external resources) with the
 * summary, latency percentiles, loss, throughput, CPU and heap against the number of clients, the per-second
 * timeline, the table of steps, and the scenario and machine the figures belong to.
 */
public final class HtmlReport {
    private static final int WIDTH = 620;
    private static final int HEIGHT = 300;

    private HtmlReport() {
    }

    public static void write(LoadReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    public static String render(LoadReport report) {
        List<LoadReport.Step> steps = report.steps();
        double[] clients = values(steps, s -> s.clients());
        Integer lastPassing = report.lastPassingStep();
        double markerX = lastPassing == null || report.step(lastPassing) == null ? Double.NaN
            : report.step(lastPassing).clients();
        String marker = "last pass";
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>SFU load report ")
            .append(SvgChart.escape(report.runId())).append("</title>\n<style>\n")
            .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1320px}")
            .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
            .append("table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;")
            .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
            .append("tr.pass td.r{color:#186a3b}tr.fail td.r{color:#b03a2e}tr.last{background:#eafaf1}")
            .append(".charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #ddd}")
            .append(".summary{font-size:15px;padding:8px 12px;background:#f7f7f7;border-left:4px solid #2a7}")
            .append("dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:13px}")
            .append("dt{font-weight:bold}dd{margin:0}\n</style></head><body>\n");
        html.append("<h1>SFU load report</h1>\n");
        html.append("<p class=\"summary\">").append(SvgChart.escape(report.summary())).append("</p>\n");
        String fit = ResultTable.describe(report.cpuFit());
        if (fit != null) {
            html.append("<p>").append(SvgChart.escape(fit)).append(".</p>\n");
        }
        html.append(String.format(Locale.ROOT, "<p>Objective per step: loss &le; %.2f%%, p99 latency &le; %.1f ms, "
                + "every client connected and every subscribed track delivering media. Run <code>%s</code>, %s, "
                + "%s.</p>%n", report.objective().maxLossPct(), report.objective().maxP99Ms(),
            SvgChart.escape(report.runId()), SvgChart.escape(report.createdAt()),
            report.shardCount() > 1 ? "merged from shards " + report.shards() + " of " + report.shardCount()
                : "one harness process"));

        html.append("<h2>Against the number of clients</h2>\n<div class=\"charts\">\n");
        html.append(new SvgChart("End-to-end latency", "clients", "ms")
            .series("p50", "#1f77b4", clients, values(steps, s -> s.latencyMs().p50()))
            .series("p99", "#ff7f0e", clients, values(steps, s -> s.latencyMs().p99()))
            .series("p99.9", "#d62728", clients, values(steps, s -> s.latencyMs().p999()))
            .threshold("objective p99 " + fmt(report.objective().maxP99Ms()) + " ms", report.objective().maxP99Ms(),
                "#d62728")
            .marker(marker, markerX).render(WIDTH, HEIGHT)).append('\n');
        html.append(new SvgChart("Loss", "clients", "% of packets")
            .series("loss", "#8c564b", clients, values(steps, LoadReport.Step::lossPct))
            .threshold("objective " + fmt(report.objective().maxLossPct()) + "%", report.objective().maxLossPct(),
                "#d62728")
            .marker(marker, markerX).render(WIDTH, HEIGHT)).append('\n');
        html.append(new SvgChart("Throughput (SRTP, as the harness sees it)", "clients", "Mbit/s")
            .series("into the SFU", "#2ca02c", clients, values(steps, LoadReport.Step::mbpsIn))
            .series("out of the SFU", "#9467bd", clients, values(steps, LoadReport.Step::mbpsOut))
            .marker(marker, markerX).render(WIDTH, HEIGHT)).append('\n');
        html.append(new SvgChart("CPU (100% = one core)", "clients", "%")
            .series("SFU", "#d62728", clients, values(steps, s -> nan(s.cpuPct())))
            .series("harness", "#7f7f7f", clients, values(steps, s -> nan(s.harnessCpuPct())))
            .marker(marker, markerX).render(WIDTH, HEIGHT)).append('\n');
        html.append(new SvgChart("SFU CPU per forwarded stream", "clients", "% of a core")
            .series("cpu per stream", "#17becf", clients, values(steps, s -> nan(s.cpuPctPerForwardedStream())))
            .marker(marker, markerX).render(WIDTH, HEIGHT)).append('\n');
        html.append(new SvgChart("SFU heap used (mean over the window)", "clients", "MB")
            .series("heap", "#bcbd22", clients, values(steps, s -> nan(s.heapMb())))
            .marker(marker, markerX).render(WIDTH, HEIGHT)).append('\n');
        html.append("</div>\n");

        List<LoadReport.TimelinePoint> timeline = report.timeline() == null ? List.of() : report.timeline();
        if (!timeline.isEmpty()) {
            double[] t = new double[timeline.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = timeline.get(i).t();
            }
            html.append("<h2>Timeline (one point per second, every phase)</h2>\n<div class=\"charts\">\n");
            html.append(new SvgChart("Latency per second", "seconds", "ms")
                .series("p50", "#1f77b4", t, timelineValues(timeline, LoadReport.TimelinePoint::p50Ms))
                .series("p99", "#ff7f0e", t, timelineValues(timeline, LoadReport.TimelinePoint::p99Ms))
                .threshold("objective p99", report.objective().maxP99Ms(), "#d62728")
                .render(WIDTH, HEIGHT)).append('\n');
            html.append(new SvgChart("Clients and CPU per second", "seconds", "clients / % of a core")
                .series("clients ready", "#2ca02c", t,
                    timelineValues(timeline, p -> p.clientsReady()))
                .series("SFU cpu %", "#d62728", t, timelineValues(timeline, p -> nan(p.sfuCpuPct())))
                .series("harness cpu %", "#7f7f7f", t, timelineValues(timeline, p -> nan(p.harnessCpuPct())))
                .render(WIDTH, HEIGHT)).append('\n');
            html.append("</div>\n");
        } else if (report.shardCount() > 1) {
            html.append("<p>The timeline of each shard is in that shard's own report.</p>\n");
        }

        html.append("<h2>Steps</h2>\n<table>\n<tr><th>step</th><th>clients</th><th>rooms</th><th>pub</th>")
            .append("<th>sub</th><th>streams</th><th>sent</th><th>received</th><th>rx pkt/s</th><th>loss %</th>")
            .append("<th>dup</th><th>ooo</th><th>recovered</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th>")
            .append("<th>max ms</th><th>jitter ms</th><th>in Mb/s</th><th>out Mb/s</th><th>SFU cpu %</th>")
            .append("<th>heap MB</th><th>live heap MB</th><th>cpu %/stream</th><th>&micro;s/fwd pkt</th>")
            .append("<th>B alloc/fwd pkt</th><th>of it packet threads</th><th>harness cpu %</th>")
            .append("<th>connect p50 ms</th><th class=\"l\">result</th></tr>\n");
        for (LoadReport.Step s : steps) {
            boolean last = lastPassing != null && lastPassing == s.index();
            html.append("<tr class=\"").append(s.passed() ? "pass" : "fail").append(last ? " last" : "")
                .append("\">");
            cell(html, s.index() + (last ? " (last pass)" : ""));
            cell(html, s.clients());
            cell(html, s.rooms());
            cell(html, s.publishers());
            cell(html, s.subscribers());
            cell(html, s.forwardedStreams());
            cell(html, s.sentPackets());
            cell(html, s.receivedPackets());
            cell(html, fmt0(s.receivedPacketsPerSecond()));
            cell(html, fmt(s.lossPct()));
            cell(html, s.duplicates());
            cell(html, s.outOfOrder());
            cell(html, s.recovered());
            cell(html, fmt(s.latencyMs().p50()));
            cell(html, fmt(s.latencyMs().p99()));
            cell(html, fmt(s.latencyMs().p999()));
            cell(html, fmt(s.latencyMs().max()));
            cell(html, fmt(s.jitterMs()));
            cell(html, fmt(s.mbpsIn()));
            cell(html, fmt(s.mbpsOut()));
            cell(html, s.cpuPct() == null ? "?" : fmt0(s.cpuPct()));
            cell(html, s.heapMb() == null ? "?" : fmt0(s.heapMb()));
            cell(html, s.sfuLiveHeapAfterGcMb() == null ? "?" : fmt0(s.sfuLiveHeapAfterGcMb()));
            cell(html, s.cpuPctPerForwardedStream() == null ? "?"
                : String.format(Locale.ROOT, "%.3f", s.cpuPctPerForwardedStream()));
            cell(html, s.cpuUsPerForwardedPacket() == null ? "?" : fmt(s.cpuUsPerForwardedPacket()));
            cell(html, s.sfuAllocatedBytesPerForwardedPacket() == null ? "?"
                : fmt(s.sfuAllocatedBytesPerForwardedPacket()));
            cell(html, s.sfuPacketThreadsAllocatedBytesPerForwardedPacket() == null ? "?"
                : fmt(s.sfuPacketThreadsAllocatedBytesPerForwardedPacket()));
            cell(html, s.harnessCpuPct() == null ? "?" : fmt0(s.harnessCpuPct()));
            cell(html, s.connectP50Ms() == null ? "" : fmt0(s.connectP50Ms()));
            String result = s.passed() ? "pass" : "FAIL: " + String.join("; ", s.failures());
            if (!s.warnings().isEmpty()) {
                result += " (" + String.join("; ", s.warnings()) + ")";
            }
            html.append("<td class=\"l r\">").append(SvgChart.escape(result)).append("</td></tr>\n");
        }
        html.append("</table>\n");
        dataTable(html, steps);

        html.append("<h2>How to read this report</h2>\n<ul>\n")
            .append("<li>Each step adds clients, waits until they are connected, warms up, then measures for a fixed ")
            .append("window. The last step in an unbroken row of passes from the first is marked: the load held ")
            .append("within the objective. A ramp stops at the first failing step.</li>\n")
            .append("<li>Latency is one-way, from the send time the publisher wrote into each packet to its arrival ")
            .append("at a subscriber: both clocks are the same machine's (or synchronised machines' for shards). ")
            .append("Recovered packets (NACK, retransmission) count with their full delay.</li>\n")
            .append("<li>Loss counts, per received stream, the sequence numbers from the first to the highest that ")
            .append("never arrived, after any retransmission. Duplicates and out-of-order arrivals are counted ")
            .append("apart.</li>\n")
            .append("<li>Throughput is SRTP on the wire (RTCP excluded): &quot;into the SFU&quot; is what the ")
            .append("harness's publishers sent, &quot;out of the SFU&quot; what its subscribers received.</li>\n")
            .append("<li>CPU is percent of one core over the window: the SFU's from its /metrics ")
            .append("(process_cpu_time_ns_total) or /proc, the harness's own from its JVM. When the harness runs ")
            .append("beside the SFU, a harness near 100% of its cores is itself the limit.</li>\n")
            .append("<li>Streams are the tracks the SFU forwards (one per subscriber and remote track); CPU per ")
            .append("stream is the SFU's CPU divided by them.</li>\n</ul>\n");

        html.append("<h2>Scenario</h2>\n").append(definitions(report.scenario()));
        html.append("<h2>Machine</h2>\n").append(definitions(report.machine()));
        html.append("</body></html>\n");
        return html.toString();
    }

    private static String definitions(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder("<dl>\n");
        if (map != null) {
            for (Map.Entry<String, Object> e : map.entrySet()) {
                sb.append("<dt>").append(SvgChart.escape(e.getKey())).append("</dt><dd>")
                    .append(SvgChart.escape(String.valueOf(e.getValue()))).append("</dd>\n");
            }
        }
        return sb.append("</dl>\n").toString();
    }

    /** The data tracks of each step, when the run had any. */
    private static void dataTable(StringBuilder html, List<LoadReport.Step> steps) {
        if (steps.stream().allMatch(s -> s.data() == null)) {
            return;
        }
        html.append("<h2>Data tracks</h2>\n<table>\n<tr><th>step</th><th>channels</th><th>sent</th>")
            .append("<th>refused</th><th>received</th><th>rx msg/s</th><th>missing</th><th>out of order</th>")
            .append("<th>dup</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th>")
            .append("<th class=\"l\">channels are</th></tr>\n");
        for (LoadReport.Step s : steps) {
            LoadReport.DataStep d = s.data();
            if (d == null) {
                continue;
            }
            html.append("<tr>");
            cell(html, s.index());
            cell(html, d.channels());
            cell(html, d.sentMessages());
            cell(html, d.sendRefused());
            cell(html, d.receivedMessages());
            cell(html, fmt0(d.receivedMessagesPerSecond()));
            cell(html, d.missingMessages());
            cell(html, d.outOfOrder());
            cell(html, d.duplicates());
            cell(html, fmt(d.latencyMs().p50()));
            cell(html, fmt(d.latencyMs().p99()));
            cell(html, fmt(d.latencyMs().p999()));
            cell(html, fmt(d.latencyMs().max()));
            html.append("<td class=\"l r\">").append(d.reliable() ? "reliable" : "partially reliable")
                .append(d.ordered() ? ", ordered" : ", unordered").append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void cell(StringBuilder html, Object value) {
        html.append("<td>").append(SvgChart.escape(String.valueOf(value))).append("</td>");
    }

    private static double[] values(List<LoadReport.Step> steps, ToDoubleFunction<LoadReport.Step> f) {
        double[] v = new double[steps.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(steps.get(i));
        }
        return v;
    }

    private static double[] timelineValues(List<LoadReport.TimelinePoint> points,
        ToDoubleFunction<LoadReport.TimelinePoint> f) {
        double[] v = new double[points.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(points.get(i));
        }
        return v;
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
