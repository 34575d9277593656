package io.sfu.core.feedback;

import java.util.Arrays;

/**
 * Records the arrival time of every packet carrying a transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) on one transport, and hands them out in feedback-sized
 * ranges for the sender's congestion controller.
 *
 * <p>Feedback policy: a feedback is due {@value #DEFAULT_FEEDBACK_INTERVAL_MS} ms after the previous one, or as
 * soon as {@value #DEFAULT_PACKET_THRESHOLD} packets are waiting. 100 ms is the period libwebrtc's receiver uses
 * by default and keeps feedback overhead around 1-2% at low rates; the packet threshold makes high-rate streams
 * report sooner and keeps each feedback small enough for one datagram. The forwarding loop asks
 * {@link #feedbackDue(long)} once per duty cycle and calls {@link #drainFeedback} while it returns true.
 *
 * <p>Reported ranges run from the first packet not yet reported to the highest received, so every sequence
 * number is described once; a packet that arrives after its number was reported as lost moves the start back,
 * and it is reported again as received. State is a ring of {@code capacity} arrivals: numbers that fall out of it
 * before they are reported (a backlog, or a jump of more than a ring) are dropped and counted, so at most
 * {@code capacity} losses are ever reported for one gap.
 */
public final class TransportCcRecorder {
    public static final int DEFAULT_CAPACITY = 1024;
    public static final int DEFAULT_FEEDBACK_INTERVAL_MS = 100;
    public static final long DEFAULT_FEEDBACK_INTERVAL_NS = DEFAULT_FEEDBACK_INTERVAL_MS * 1_000_000L;
    public static final int DEFAULT_PACKET_THRESHOLD = 100;

    private static final long NONE = Long.MIN_VALUE;
    private static final int SEQ_MASK = 0xFFFF;

    private final int capacity;
    private final int mask;
    private final long feedbackIntervalNs;
    private final int packetThreshold;
    private final long[] sequenceAt;
    private final long[] arrivalAt;

    private boolean started;
    private long highest;
    private long nextToReport;
    private long lastFeedbackNs;
    private int feedbackPacketCount;

    private long recordedCount;
    private long droppedCount;

    /** A recorder with the documented defaults: 1024 packets, 100 ms, 100 packets. */
    public TransportCcRecorder() {
        this(DEFAULT_CAPACITY, DEFAULT_FEEDBACK_INTERVAL_NS, DEFAULT_PACKET_THRESHOLD);
    }

    /**
     * @param capacity arrivals kept (a power of two, at most 32768)
     * @param feedbackIntervalNs time between two feedbacks
     * @param packetThreshold waiting packets that make a feedback due before the interval is over
     */
    public TransportCcRecorder(int capacity, long feedbackIntervalNs, int packetThreshold) {
        if (feedbackIntervalNs <= 0) {
            throw new IllegalArgumentException("feedbackIntervalNs must be positive: " + feedbackIntervalNs);
        }
        if (packetThreshold < 1) {
            throw new IllegalArgumentException("packetThreshold must be at least 1: " + packetThreshold);
        }
        this.capacity = SequenceRings.requireCapacity(capacity, 2);
        this.mask = capacity - 1;
        this.feedbackIntervalNs = feedbackIntervalNs;
        this.packetThreshold = packetThreshold;
        this.sequenceAt = new long[capacity];
        this.arrivalAt = new long[capacity];
        Arrays.fill(sequenceAt, NONE);
    }

    /** Records the arrival of the packet with transport-wide sequence number {@code sequenceNumber}. */
    public void onPacket(int sequenceNumber, long arrivalNs) {
        int seq = sequenceNumber & SEQ_MASK;
        long extended;
        if (!started) {
            started = true;
            extended = seq;
            highest = extended;
            nextToReport = extended;
            lastFeedbackNs = arrivalNs;
        } else {
            int diff = (short) (seq - (int) (highest & SEQ_MASK));
            extended = highest + diff;
            if (diff > 0) {
                highest = extended;
            } else {
                if (-diff >= capacity || sequenceAt[slot(extended)] == extended) {
                    droppedCount++; // too old to report, or a duplicate
                    return;
                }
                if (extended < nextToReport) {
                    nextToReport = extended;
                }
            }
        }
        int slot = slot(extended);
        sequenceAt[slot] = extended;
        arrivalAt[slot] = arrivalNs;
        recordedCount++;
    }

    /** Whether a feedback should be sent at {@code nowNs} (see the class comment for the policy). */
    public boolean feedbackDue(long nowNs) {
        int pending = pendingCount();
        return pending > 0 && (pending >= packetThreshold || nowNs - lastFeedbackNs >= feedbackIntervalNs);
    }

    /** Sequence numbers waiting to be reported, received or not. */
    public int pendingCount() {
        if (!started) {
            return 0;
        }
        return (int) (highest - Math.max(nextToReport, highest - capacity + 1) + 1);
    }

    /**
     * Fills {@code feedback} with the oldest unreported range, at most {@code feedback.capacity()} packets, and
     * marks it reported. Call again while {@link #pendingCount()} is positive to drain a backlog.
     *
     * @return false (and {@code feedback} untouched) when nothing is waiting
     */
    public boolean drainFeedback(long nowNs, TransportCcFeedback feedback) {
        int pending = pendingCount();
        if (pending <= 0) {
            return false;
        }
        long oldestKept = highest - capacity + 1;
        if (nextToReport < oldestKept) {
            droppedCount += oldestKept - nextToReport;
            nextToReport = oldestKept;
        }
        int count = Math.min(pending, feedback.capacity());
        feedback.start((int) (nextToReport & SEQ_MASK), feedbackPacketCount);
        for (long seq = nextToReport, end = nextToReport + count; seq < end; seq++) {
            int slot = slot(seq);
            feedback.add(sequenceAt[slot] == seq ? arrivalAt[slot] : TransportCcFeedback.NOT_RECEIVED);
        }
        nextToReport += count;
        feedbackPacketCount = (feedbackPacketCount + 1) & 0xFF;
        lastFeedbackNs = nowNs;
        return true;
    }

    private int slot(long seq) {
        return (int) seq & mask;
    }

    /** Arrivals recorded so far. */
    public long recordedCount() {
        return recordedCount;
    }

    /** Sequence numbers never reported: duplicates, arrivals too old, ranges skipped or overwritten. */
    public long droppedCount() {
        return droppedCount;
    }
}
