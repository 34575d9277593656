package io.sfu.core.feedback;

import io.sfu.core.rtcp.ReportBlock;
import org.agrona.MutableDirectBuffer;

/**
 * Reception statistics of one incoming RTP stream (one SSRC), kept for the report blocks of our receiver and
 * sender reports: extended highest sequence number and validation with probation (RFC 3550 A.1), cumulative and
 * interval loss (A.3), interarrival jitter (A.8) and the LSR/DLSR of the last sender report (§6.4.1).
 *
 * <p>Report block (RFC 3550 §6.4.1) and where each field comes from:
 * <pre>
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |                 SSRC_1 (SSRC of first source)                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | fraction lost |       cumulative number of packets lost       |  fractionLost(), cumulativeLost()
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           extended highest sequence number received           |  extendedHighestSequence()
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      interarrival jitter                      |  jitter()
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         last SR (LSR)                         |  lastSenderReport()
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   delay since last SR (DLSR)                  |  delaySinceLastSenderReport(nowNs)
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 * {@link #writeReportBlock} fills a block from these and starts the next loss interval ({@link #onReportSent()}).
 */
public final class ReceiveStatistics {
    /** RFC 3550 A.1: packets in sequence needed before a new source is valid. */
    public static final int DEFAULT_MIN_SEQUENTIAL = 2;
    /** RFC 3550 A.1: a forward jump up to this many is taken as loss, not as a restart. */
    public static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: a backward step up to this many is taken as reordering or a duplicate. */
    public static final int MAX_MISORDER = 100;

    private static final int SEQ_MOD = 1 << 16;
    private static final int SEQ_MASK = SEQ_MOD - 1;
    private static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    private static final int MIN_CUMULATIVE_LOST = -0x800000;

    private final int clockRateHz;
    private final int minSequential;

    // RFC 3550 A.1 source state
    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    // RFC 3550 A.8 jitter, kept scaled by 16 as in the RFC's integer version
    private boolean transitKnown;
    private int transit;
    private long jitterQ4;
    private long arrivalOriginNs;

    private long packetsReceived;
    private long bytesReceived;
    private long lastArrivalNs;

    private boolean senderReportReceived;
    private int lastSenderReport;
    private long lastSenderReportArrivalNs;

    /** Statistics for a stream with the RTP clock {@code clockRateHz}, with the RFC's probation of two packets. */
    public ReceiveStatistics(int clockRateHz) {
        this(clockRateHz, DEFAULT_MIN_SEQUENTIAL);
    }

    /**
     * @param clockRateHz RTP timestamp rate of the stream (90000 for video, 48000 for Opus), for the jitter
     * @param minSequential packets in sequence before the source is valid (RFC 3550 A.1 MIN_SEQUENTIAL); 1 accepts
     *     the first packet at once, which suits SRTP streams whose packets are authenticated anyway
     */
    public ReceiveStatistics(int clockRateHz, int minSequential) {
        if (clockRateHz <= 0) {
            throw new IllegalArgumentException("clockRateHz must be positive: " + clockRateHz);
        }
        if (minSequential < 1) {
            throw new IllegalArgumentException("minSequential must be at least 1: " + minSequential);
        }
        this.clockRateHz = clockRateHz;
        this.minSequential = minSequential;
    }

    /**
     * Records one received RTP packet.
     *
     * @param sequenceNumber the 16-bit RTP sequence number
     * @param rtpTimestamp the 32-bit RTP timestamp
     * @param arrivalNs arrival time (nanoTime)
     * @param sizeBytes bytes to count for this packet (what the caller reports as bytes received)
     * @return true when the packet is valid for the source (RFC 3550 A.1 update_seq), false while on probation or
     *     for an isolated large jump
     */
    public boolean onPacket(int sequenceNumber, int rtpTimestamp, long arrivalNs, int sizeBytes) {
        if (!updateSequence(sequenceNumber & SEQ_MASK)) {
            return false;
        }
        count(sizeBytes, arrivalNs);
        updateJitter(rtpTimestamp, arrivalNs);
        return true;
    }

    /**
     * Records a packet recovered by retransmission (unwrapped from RTX): it counts as received for loss, but its
     * late arrival says nothing about network jitter, so the jitter is left alone.
     */
    public boolean onRetransmittedPacket(int sequenceNumber, long arrivalNs, int sizeBytes) {
        if (!updateSequence(sequenceNumber & SEQ_MASK)) {
            return false;
        }
        count(sizeBytes, arrivalNs);
        return true;
    }

    private void count(int sizeBytes, long arrivalNs) {
        packetsReceived++;
        bytesReceived += sizeBytes;
        lastArrivalNs = arrivalNs;
    }

    /** RFC 3550 A.1 update_seq. */
    private boolean updateSequence(int seq) {
        if (!started) {
            started = true;
            initSequence(seq);
            maxSeq = (seq - 1) & SEQ_MASK;
            probation = minSequential;
        }
        int udelta = (seq - maxSeq) & SEQ_MASK;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & SEQ_MASK)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    return true;
                }
            } else {
                probation = minSequential - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // two sequential packets after a big jump: the sender restarted its sequence
                initSequence(seq);
                transitKnown = false;
            } else {
                badSeq = (seq + 1) & SEQ_MASK;
                return false;
            }
        }
        // else: a duplicate or a reordered packet, counted as received (cumulative loss may dip below zero)
        received++;
        return true;
    }

    /** RFC 3550 A.1 init_seq. */
    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1; // never equal to a 16-bit number
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /** RFC 3550 A.8, with the arrival time converted to RTP timestamp units relative to the first arrival. */
    private void updateJitter(int rtpTimestamp, long arrivalNs) {
        if (!transitKnown) {
            arrivalOriginNs = arrivalNs;
        }
        long elapsedNs = arrivalNs - arrivalOriginNs;
        long arrivalUnits = Durations.toUnits(elapsedNs, clockRateHz);
        int newTransit = (int) arrivalUnits - rtpTimestamp;
        if (transitKnown) {
            // the difference of two transits wraps like the 32-bit timestamps it comes from
            long d = Math.abs((long) (newTransit - transit));
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = newTransit;
        transitKnown = true;
    }

    /**
     * Records a received sender report: {@code ntpTimestamp} is its 64-bit NTP timestamp, {@code arrivalNs} the
     * nanoTime it arrived, so that the next report block can carry LSR and DLSR (RFC 3550 §6.4.1).
     */
    public void onSenderReport(long ntpTimestamp, long arrivalNs) {
        senderReportReceived = true;
        lastSenderReport = NtpTime.middle32(ntpTimestamp);
        lastSenderReportArrivalNs = arrivalNs;
    }

    /**
     * Writes the report block (RFC 3550 §6.4.1) about this stream, {@code ssrc}, at {@code offset} as of
     * {@code nowNs}, and closes the loss interval.
     *
     * @return {@link ReportBlock#LENGTH}
     */
    public int writeReportBlock(MutableDirectBuffer buffer, int offset, int ssrc, long nowNs) {
        ReportBlock.write(buffer, offset, ssrc, fractionLost(), cumulativeLost(), extendedHighestSequence(), jitter(),
            lastSenderReport() & 0xFFFF_FFFFL, delaySinceLastSenderReport(nowNs));
        onReportSent();
        return ReportBlock.LENGTH;
    }

    /** Closes the loss interval: the next {@link #fractionLost()} covers packets from now on (RFC 3550 A.3). */
    public void onReportSent() {
        expectedPrior = expected();
        receivedPrior = received;
    }

    /** Whether a report block for this source is meaningful yet (a valid packet was received). */
    public boolean hasReceived() {
        return started && probation == 0;
    }

    /** Extended highest sequence number received: 16 bits of cycles, 16 bits of sequence number (unsigned 32). */
    public long extendedHighestSequence() {
        return (cycles + maxSeq) & 0xFFFF_FFFFL;
    }

    /** Packets expected since the source became valid (RFC 3550 A.3). */
    public long expected() {
        return hasReceived() ? cycles + maxSeq - baseSeq + 1 : 0;
    }

    /** Cumulative number of packets lost, clamped to the report block's signed 24 bits (RFC 3550 A.3). */
    public int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, lost));
    }

    /** Fraction lost since the last {@link #onReportSent()}, in 1/256 units (RFC 3550 A.3); 0 when none. */
    public int fractionLost() {
        long expectedInterval = expected() - expectedPrior;
        long lostInterval = expectedInterval - (received - receivedPrior);
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    /** Interarrival jitter in RTP timestamp units (RFC 3550 A.8), an unsigned 32-bit value. */
    public long jitter() {
        return Math.min(0xFFFF_FFFFL, jitterQ4 >> 4);
    }

    /** LSR: the middle 32 bits of the last sender report's NTP timestamp, or 0 when none was received. */
    public int lastSenderReport() {
        return senderReportReceived ? lastSenderReport : 0;
    }

    /** DLSR at {@code nowNs}, in 1/65536 s units (unsigned 32 bits), or 0 when no sender report was received. */
    public long delaySinceLastSenderReport(long nowNs) {
        if (!senderReportReceived) {
            return 0;
        }
        long delayNs = Math.max(0, nowNs - lastSenderReportArrivalNs);
        return Math.min(0xFFFF_FFFFL, NtpTime.nanosToCompact(delayNs));
    }

    /** Valid packets received in the stream's lifetime, retransmissions and duplicates included. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** Bytes of valid packets received in the stream's lifetime, as given to {@link #onPacket}. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Arrival time of the last valid packet (nanoTime), for inactivity checks; 0 before the first. */
    public long lastArrivalNs() {
        return lastArrivalNs;
    }

    public int clockRateHz() {
        return clockRateHz;
    }
}
