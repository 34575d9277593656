package io.sfu.bench.load;

/**
 * What one client measures about one received stream (one source encoding), from the probe of each packet: which
 * sequence numbers arrived (a sliding window of {@value #WINDOW} to tell duplicates), how many it should have had
 * (first to highest sequence number, as RFC 3550 §A.3 counts expected packets), reordering, and the RFC 3550
 * §6.4.1 interarrival jitter of the one-way transit time. Updates go straight into the loop's {@link LoopMetrics}.
 * Loop thread only; nothing is allocated per packet. A data channel's messages are tracked the same way
 * ({@link #forDataChannel}), into the data counters and without jitter.
 */
public final class StreamTracker {
    /** Sequence numbers remembered below the highest one, for duplicate detection. */
    public static final int WINDOW = 1024;
    private static final int WORDS = WINDOW / 64;

    /** The counters one kind of stream updates. */
    private record Counters(LoopMetrics.Counter received, LoopMetrics.Counter receivedBytes,
                            LoopMetrics.Counter expected, LoopMetrics.Counter duplicates,
                            LoopMetrics.Counter outOfOrder, LoopMetrics.Counter tooOld, LoopMetrics.Counter streams,
                            boolean media) {
    }

    private static final Counters MEDIA = new Counters(LoopMetrics.Counter.RECEIVED_PACKETS,
        LoopMetrics.Counter.RECEIVED_PAYLOAD_BYTES, LoopMetrics.Counter.EXPECTED_PACKETS,
        LoopMetrics.Counter.DUPLICATES, LoopMetrics.Counter.OUT_OF_ORDER, LoopMetrics.Counter.TOO_OLD,
        LoopMetrics.Counter.STREAMS, true);
    /** A message older than the window counts as out of order only (no counter of its own: tooOld is null). */
    private static final Counters DATA = new Counters(LoopMetrics.Counter.DATA_RECEIVED,
        LoopMetrics.Counter.DATA_RECEIVED_BYTES, LoopMetrics.Counter.DATA_EXPECTED,
        LoopMetrics.Counter.DATA_DUPLICATES, LoopMetrics.Counter.DATA_OUT_OF_ORDER, null,
        LoopMetrics.Counter.DATA_CHANNELS, false);

    /** The send time of a packet whose probe was not read (a light subscriber's unsampled packet). */
    static final long NO_PROBE = Long.MIN_VALUE;

    private final int streamId;
    private final LoopMetrics metrics;
    private final Counters counters;
    private final long[] seen = new long[WORDS];
    private boolean started;
    private int first;
    private int highest;
    private long received;
    private long lastTransitNs;
    private boolean hasTransit;
    private long jitterNs;
    private long lastArrivalNs;

    public StreamTracker(int streamId, LoopMetrics metrics) {
        this(streamId, metrics, MEDIA);
    }

    private StreamTracker(int streamId, LoopMetrics metrics, Counters counters) {
        this.streamId = streamId;
        this.metrics = metrics;
        this.counters = counters;
        metrics.increment(counters.streams());
    }

    /** A tracker of the messages of one received data channel (counted while the channel is open). */
    public static StreamTracker forDataChannel(int streamId, LoopMetrics metrics) {
        return new StreamTracker(streamId, metrics, DATA);
    }

    /** The channel is gone: it leaves the count of open data channels. */
    public void dataChannelClosed() {
        metrics.add(counters.streams(), -1);
    }

    /**
     * One received packet.
     *
     * @param sequence       the probe's sequence number
     * @param sendEpochNs    the probe's send time
     * @param arrivalEpochNs when it arrived, on the same scale
     * @param payloadBytes   the RTP payload length
     * @param retransmission whether the client stack delivered it as recovered
     */
    public void onPacket(int sequence, long sendEpochNs, long arrivalEpochNs, int payloadBytes,
        boolean retransmission) {
        lastArrivalNs = arrivalEpochNs;
        if (!started) {
            started = true;
            first = sequence;
            highest = sequence;
            mark(sequence);
            metrics.increment(counters.expected());
            accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, true);
            return;
        }
        int ahead = sequence - highest;
        if (ahead > 0) {
            advanceWindow(ahead);
            highest = sequence;
            mark(sequence);
            metrics.add(counters.expected(), ahead);
            accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, true);
            return;
        }
        int behind = -ahead;
        if (behind >= WINDOW) {
            // beyond the window: whether it is a copy cannot be told; count it as a late arrival
            if (sequence - first < 0) {
                metrics.add(counters.expected(), first - sequence);
                first = sequence;
            }
            if (counters.tooOld() != null) {
                metrics.increment(counters.tooOld());
            }
            countLate(retransmission);
            accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, false);
            return;
        }
        if (isMarked(sequence)) {
            metrics.increment(counters.duplicates());
            return;
        }
        if (sequence - first < 0) {
            // earlier than the first packet seen: the stream started before we thought
            metrics.add(counters.expected(), first - sequence);
            first = sequence;
        }
        mark(sequence);
        countLate(retransmission);
        accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, false);
    }

    /**
     * One received packet whose probe was not read: counted like {@link #onPacket} by {@code sequence} (an RTP
     * sequence number extended to 32 bits), without latency or jitter.
     */
    public void onUnprobedPacket(int sequence, long arrivalEpochNs, int payloadBytes) {
        onPacket(sequence, NO_PROBE, arrivalEpochNs, payloadBytes, false);
    }

    private void countLate(boolean retransmission) {
        metrics.increment(retransmission ? LoopMetrics.Counter.RECOVERED : counters.outOfOrder());
    }

    private void accept(int sequence, long sendEpochNs, long arrivalEpochNs, int payloadBytes,
        boolean retransmission, boolean inOrder) {
        received++;
        metrics.increment(counters.received());
        metrics.add(counters.receivedBytes(), payloadBytes);
        if (retransmission && inOrder) {
            metrics.increment(LoopMetrics.Counter.RECOVERED);
        }
        if (sendEpochNs == NO_PROBE) {
            return;
        }
        long transitNs = arrivalEpochNs - sendEpochNs;
        if (transitNs < 0) {
            metrics.increment(LoopMetrics.Counter.NEGATIVE_LATENCY);
            record(0);
        } else {
            record(transitNs / 1000);
        }
        if (counters.media() && inOrder && !retransmission) {
            // RFC 3550 §6.4.1: J += (|D| - J) / 16, over packets in arrival order (recoveries would only add the RTT)
            if (hasTransit) {
                long d = Math.abs(transitNs - lastTransitNs);
                long change = (d - jitterNs) / 16;
                jitterNs += change;
                metrics.add(LoopMetrics.Counter.JITTER_SUM_NS, change);
            }
            lastTransitNs = transitNs;
            hasTransit = true;
        }
    }

    private void record(long latencyUs) {
        if (counters.media()) {
            metrics.recordLatencyUs(latencyUs);
        } else {
            metrics.recordDataLatencyUs(latencyUs);
        }
    }

    private void advanceWindow(int ahead) {
        if (ahead >= WINDOW) {
            java.util.Arrays.fill(seen, 0L);
            return;
        }
        // clear the bits of the sequence numbers now entering the window (highest + 1 .. highest + ahead)
        for (int i = 1; i <= ahead; i++) {
            int bit = (highest + i) & (WINDOW - 1);
            seen[bit >>> 6] &= ~(1L << (bit & 63));
        }
    }

    private void mark(int sequence) {
        int bit = sequence & (WINDOW - 1);
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private boolean isMarked(int sequence) {
        int bit = sequence & (WINDOW - 1);
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    public int streamId() {
        return streamId;
    }

    /** Distinct packets received. */
    public long received() {
        return received;
    }

    /** Packets expected so far: highest - first + 1, or 0 before the first. */
    public long expected() {
        return started ? (long) (highest - first) + 1 : 0;
    }

    /** The current interarrival jitter estimate in nanoseconds. */
    public long jitterNs() {
        return jitterNs;
    }

    /** When the last packet arrived (epoch ns), or 0. */
    public long lastArrivalEpochNs() {
        return lastArrivalNs;
    }
}
