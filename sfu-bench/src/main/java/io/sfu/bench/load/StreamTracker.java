package io.sfu.bench.load;

/**
 * What one client measures about one received stream (one source encoding), from the probe of each packet: which
 * sequence numbers arrived (a sliding window of {@value #WINDOW} to tell duplicates), how many it should have had
 * (first to highest sequence number, as RFC 3550 §A.3 counts expected packets), reordering, and the RFC 3550
 * §6.4.1 interarrival jitter of the one-way transit time. Updates go straight into the loop's {@link LoopMetrics}.
 * Loop thread only; nothing is allocated per packet.
 */
public final class StreamTracker {
    /** Sequence numbers remembered below the highest one, for duplicate detection. */
    public static final int WINDOW = 1024;
    private static final int WORDS = WINDOW / 64;

    private final int streamId;
    private final LoopMetrics metrics;
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
        this.streamId = streamId;
        this.metrics = metrics;
        metrics.increment(LoopMetrics.Counter.STREAMS);
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
            metrics.increment(LoopMetrics.Counter.EXPECTED_PACKETS);
            accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, true);
            return;
        }
        int ahead = sequence - highest;
        if (ahead > 0) {
            advanceWindow(ahead);
            highest = sequence;
            mark(sequence);
            metrics.add(LoopMetrics.Counter.EXPECTED_PACKETS, ahead);
            accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, true);
            return;
        }
        int behind = -ahead;
        if (behind >= WINDOW) {
            // beyond the window: whether it is a copy cannot be told; count it as a late arrival
            if (sequence - first < 0) {
                metrics.add(LoopMetrics.Counter.EXPECTED_PACKETS, first - sequence);
                first = sequence;
            }
            metrics.increment(LoopMetrics.Counter.TOO_OLD);
            countLate(retransmission);
            accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, false);
            return;
        }
        if (isMarked(sequence)) {
            metrics.increment(LoopMetrics.Counter.DUPLICATES);
            return;
        }
        if (sequence - first < 0) {
            // earlier than the first packet seen: the stream started before we thought
            metrics.add(LoopMetrics.Counter.EXPECTED_PACKETS, first - sequence);
            first = sequence;
        }
        mark(sequence);
        countLate(retransmission);
        accept(sequence, sendEpochNs, arrivalEpochNs, payloadBytes, retransmission, false);
    }

    private void countLate(boolean retransmission) {
        metrics.increment(retransmission ? LoopMetrics.Counter.RECOVERED : LoopMetrics.Counter.OUT_OF_ORDER);
    }

    private void accept(int sequence, long sendEpochNs, long arrivalEpochNs, int payloadBytes,
        boolean retransmission, boolean inOrder) {
        received++;
        metrics.increment(LoopMetrics.Counter.RECEIVED_PACKETS);
        metrics.add(LoopMetrics.Counter.RECEIVED_PAYLOAD_BYTES, payloadBytes);
        if (retransmission && inOrder) {
            metrics.increment(LoopMetrics.Counter.RECOVERED);
        }
        long transitNs = arrivalEpochNs - sendEpochNs;
        if (transitNs < 0) {
            metrics.increment(LoopMetrics.Counter.NEGATIVE_LATENCY);
            metrics.recordLatencyUs(0);
        } else {
            metrics.recordLatencyUs(transitNs / 1000);
        }
        if (inOrder && !retransmission) {
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
