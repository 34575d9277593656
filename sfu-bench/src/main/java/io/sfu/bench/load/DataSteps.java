package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * The data track figures of a step ({@link LoadReport.DataStep}): from the loops' counters over the step's window,
 * merged over shards, judged (what must be 0 on reliable or ordered channels) and written as a line of text.
 */
final class DataSteps {
    private DataSteps() {
    }

    /** The figures of one window: counters at its start and end, its data latencies, its length. */
    static LoadReport.DataStep of(Scenario.DataTraffic traffic, long[] c0, long[] c1, Histogram latencyUs,
        double seconds) {
        long received = delta(c0, c1, LoopMetrics.Counter.DATA_RECEIVED);
        long expected = delta(c0, c1, LoopMetrics.Counter.DATA_EXPECTED);
        return new LoadReport.DataStep(traffic.reliable(), traffic.ordered(),
            c1[LoopMetrics.Counter.DATA_CHANNELS.ordinal()], delta(c0, c1, LoopMetrics.Counter.DATA_SENT),
            delta(c0, c1, LoopMetrics.Counter.DATA_SEND_REFUSED), received,
            LoadRunner.round2(seconds <= 0 ? 0 : received / seconds), expected, Math.max(0, expected - received),
            delta(c0, c1, LoopMetrics.Counter.DATA_OUT_OF_ORDER), delta(c0, c1, LoopMetrics.Counter.DATA_DUPLICATES),
            Histograms.summaryMs(latencyUs), Histograms.encode(latencyUs));
    }

    /** The shards' figures of one step as one; null when none has data tracks. */
    static LoadReport.DataStep merge(List<LoadReport.Step> parts) {
        LoadReport.DataStep first = null;
        long channels = 0;
        long sent = 0;
        long refused = 0;
        long received = 0;
        double perSecond = 0;
        long expected = 0;
        long outOfOrder = 0;
        long duplicates = 0;
        Histogram latency = LoopMetrics.newLatencyHistogram();
        for (LoadReport.Step s : parts) {
            LoadReport.DataStep d = s.data();
            if (d == null) {
                continue;
            }
            first = first == null ? d : first;
            channels += d.channels();
            sent += d.sentMessages();
            refused += d.sendRefused();
            received += d.receivedMessages();
            perSecond += d.receivedMessagesPerSecond();
            expected += d.expectedMessages();
            outOfOrder += d.outOfOrder();
            duplicates += d.duplicates();
            latency.add(Histograms.decode(d.latencyHistogram()));
        }
        if (first == null) {
            return null;
        }
        return new LoadReport.DataStep(first.reliable(), first.ordered(), channels, sent, refused, received,
            LoadRunner.round2(perSecond), expected, Math.max(0, expected - received), outOfOrder, duplicates,
            Histograms.summaryMs(latency), Histograms.encode(latency));
    }

    /**
     * What breaks a step: a message missing on a reliable ordered channel, one out of order on an ordered channel,
     * a data track sent with nothing received.
     */
    static List<String> failures(LoadReport.DataStep data, boolean subscribersExpected) {
        List<String> failures = new ArrayList<>();
        if (data == null) {
            return failures;
        }
        if (data.reliable() && data.ordered() && data.missingMessages() > 0) {
            failures.add(data.missingMessages() + " data messages missing on reliable channels");
        }
        if (data.ordered() && data.outOfOrder() > 0) {
            failures.add(data.outOfOrder() + " data messages out of order on ordered channels");
        }
        if (subscribersExpected && data.sentMessages() > 0 && data.receivedMessages() == 0) {
            failures.add("data messages were sent but none arrived");
        }
        return failures;
    }

    /**
     * What to know about a step: a reliable unordered channel's message still on its way when the window closed
     * counts as missing in it (and arrives in the next), refused sends.
     */
    static List<String> warnings(LoadReport.DataStep data) {
        List<String> warnings = new ArrayList<>();
        if (data == null) {
            return warnings;
        }
        if (data.reliable() && !data.ordered() && data.missingMessages() > 0) {
            warnings.add(data.missingMessages() + " data messages missing at the end of the window on reliable "
                + "unordered channels (overtaken by a later one; they arrive in the next window)");
        }
        if (data.sendRefused() > 0) {
            warnings.add(data.sendRefused() + " data messages refused by the publishers' SCTP send buffers");
        }
        return warnings;
    }

    /** One line for the text report. */
    static String line(LoadReport.DataStep d) {
        return String.format(java.util.Locale.ROOT, "data: %d channels, sent %d (refused %d), received %d "
                + "(%.1f msg/s), missing %d, out of order %d, duplicates %d, latency p50 %.2f ms p99 %.2f ms",
            d.channels(), d.sentMessages(), d.sendRefused(), d.receivedMessages(), d.receivedMessagesPerSecond(),
            d.missingMessages(), d.outOfOrder(), d.duplicates(), d.latencyMs().p50(), d.latencyMs().p99());
    }

    private static long delta(long[] a, long[] b, LoopMetrics.Counter counter) {
        return b[counter.ordinal()] - a[counter.ordinal()];
    }
}
