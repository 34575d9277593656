package io.sfu.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The measurements of one client loop: counters and latency recorders (media packets, data messages) written only by that loop's thread (an
 * ordered store per update, no read-modify-write race with one writer) and read once a second by the harness's
 * reporting thread, which takes the latency histogram of each interval. Nothing here allocates per packet.
 */
public final class LoopMetrics {
    /** Largest latency recorded, in microseconds; longer ones are clamped to it (and counted as late anyway). */
    public static final long MAX_LATENCY_US = 60_000_000L;
    /** Significant decimal digits of the latency histograms. */
    public static final int LATENCY_DIGITS = 3;

    /** Every counter; the reporting thread sums them over loops. */
    public enum Counter {
        /** Media packets the sources generated (originals, not retransmissions). */
        SENT_PACKETS,
        /** Payload bytes of those packets. */
        SENT_PAYLOAD_BYTES,
        /** Key frames the video sources generated. */
        KEYFRAMES_SENT,
        /** Keyframe requests (PLI/FIR) that reached a video source. */
        KEYFRAME_REQUESTS,
        /** Frames a video source skipped because its loop ran late. */
        FRAMES_SKIPPED,
        /** Packets a sink refused (not connected yet, track not accepted). */
        SEND_REFUSED,
        /** Distinct probe packets received (first copy of each stream sequence number). */
        RECEIVED_PACKETS,
        /** Payload bytes of those packets. */
        RECEIVED_PAYLOAD_BYTES,
        /** Packets each received stream should have delivered: from its first to its highest sequence number. */
        EXPECTED_PACKETS,
        /** Second and later copies of a sequence number. */
        DUPLICATES,
        /** Packets that arrived after a higher sequence number of their stream, not as a retransmission. */
        OUT_OF_ORDER,
        /** Packets recovered by a retransmission (NACK then RTX, or a gap filled). */
        RECOVERED,
        /** Packets older than the duplicate window; counted as received. */
        TOO_OLD,
        /** Probes whose send time lies after their arrival (clocks of two machines apart); latency recorded as 0. */
        NEGATIVE_LATENCY,
        /** RTP packets without a probe trailer. */
        FOREIGN_PACKETS,
        /** Received streams so far. */
        STREAMS,
        /** Sum over received streams of their RFC 3550 interarrival jitter, in nanoseconds. */
        JITTER_SUM_NS,
        /** Data channel messages the publishers sent (accepted by their SCTP endpoint). */
        DATA_SENT,
        /** Data channel messages a publisher's endpoint refused (send buffer full, channel closed). */
        DATA_SEND_REFUSED,
        /** Distinct data channel messages received (first copy of each channel sequence number). */
        DATA_RECEIVED,
        /** Payload bytes of those messages. */
        DATA_RECEIVED_BYTES,
        /** Messages each received data channel should have delivered: from its first to its highest sequence. */
        DATA_EXPECTED,
        /** Data messages that arrived after a higher sequence number of their channel. */
        DATA_OUT_OF_ORDER,
        /** Second and later copies of a data message's sequence number. */
        DATA_DUPLICATES,
        /** Data channel messages without the harness's header. */
        DATA_FOREIGN,
        /** Data channels the subscribers have open now. */
        DATA_CHANNELS,
        /** Light subscribers: packets decrypted and measured (the sample), a share of those received. */
        SAMPLED_PACKETS,
        /** Light subscribers: sampled packets that failed SRTP authentication or the replay check; not received. */
        AUTH_FAILURES
    }

    private static final Counter[] COUNTERS = Counter.values();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);
    private final SingleWriterRecorder latencyUs = new SingleWriterRecorder(1, MAX_LATENCY_US, LATENCY_DIGITS);
    private final SingleWriterRecorder dataLatencyUs = new SingleWriterRecorder(1, MAX_LATENCY_US, LATENCY_DIGITS);
    private Histogram recycled;
    private Histogram dataRecycled;

    /** Adds to a counter; loop thread only. */
    public void add(Counter counter, long delta) {
        int i = counter.ordinal();
        values.lazySet(i, values.get(i) + delta);
    }

    /** Adds one; loop thread only. */
    public void increment(Counter counter) {
        add(counter, 1);
    }

    /** Records one latency; loop thread only. */
    public void recordLatencyUs(long latencyUs) {
        this.latencyUs.recordValue(Math.max(1, Math.min(MAX_LATENCY_US, latencyUs)));
    }

    /** Records one data channel message's latency; loop thread only. */
    public void recordDataLatencyUs(long latencyUs) {
        dataLatencyUs.recordValue(Math.max(1, Math.min(MAX_LATENCY_US, latencyUs)));
    }

    /** A counter's current value; any thread. */
    public long get(Counter counter) {
        return values.get(counter.ordinal());
    }

    /** Adds every counter into {@code sums} (indexed by ordinal); any thread. */
    public void addTo(long[] sums) {
        for (int i = 0; i < COUNTERS.length; i++) {
            sums[i] += values.get(i);
        }
    }

    /**
     * The latencies recorded since the previous call, added to {@code into}. Only one thread may call it (the
     * reporting thread).
     */
    public void drainLatencyInto(Histogram into) {
        Histogram interval = latencyUs.getIntervalHistogram(recycled);
        into.add(interval);
        recycled = interval;
    }

    /** The data message latencies recorded since the previous call, added to {@code into}; reporting thread. */
    public void drainDataLatencyInto(Histogram into) {
        Histogram interval = dataLatencyUs.getIntervalHistogram(dataRecycled);
        into.add(interval);
        dataRecycled = interval;
    }

    /** A histogram with the settings of the recorders, for sums over loops and intervals. */
    public static Histogram newLatencyHistogram() {
        return new Histogram(1, MAX_LATENCY_US, LATENCY_DIGITS);
    }

    /** The number of counters. */
    public static int counterCount() {
        return COUNTERS.length;
    }
}
