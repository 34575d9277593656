package io.sfu.core.feedback;

import io.sfu.core.rtcp.ReportBlock;

/**
 * Round-trip time toward one remote receiver, from the report blocks it sends about our streams (RFC 3550
 * §6.4.1): RTT = A − LSR − DLSR, where A is the arrival time of the report as the middle 32 bits of our NTP
 * clock, LSR echoes the middle 32 bits of our last sender report's NTP timestamp and DLSR is how long the
 * receiver held it; all three in 1/65536 s. Samples are smoothed with the weight 1/8 of TCP's SRTT (RFC 6298).
 */
public final class RttEstimator {
    /** Used until the first sample: the value libwebrtc assumes before it has measured anything. */
    public static final long DEFAULT_INITIAL_RTT_NS = 100_000_000L;
    /** Samples above this are taken for garbage (a stale LSR, or clocks that jumped). */
    public static final long MAX_RTT_NS = 10_000_000_000L;
    /** Returned by {@link #onReportBlock} for a report block that gives no usable sample. */
    public static final long NO_SAMPLE = -1;

    /**
     * A sample a little below zero comes from rounding DLSR on a very short path; this much is taken as 0, more
     * than this as garbage.
     */
    private static final long NEGATIVE_TOLERANCE_UNITS = NtpTime.COMPACT_UNITS_PER_SECOND / 1000;

    private final long initialRttNs;
    private boolean hasSample;
    private long latestRttNs;
    private long smoothedRttNs;
    private long sampleCount;
    private long rejectedCount;

    /** An estimator that answers 100 ms until it has a sample. */
    public RttEstimator() {
        this(DEFAULT_INITIAL_RTT_NS);
    }

    /** @param initialRttNs the value of {@link #smoothedRttNs()} before the first sample */
    public RttEstimator(long initialRttNs) {
        if (initialRttNs < 0) {
            throw new IllegalArgumentException("initialRttNs must not be negative: " + initialRttNs);
        }
        this.initialRttNs = initialRttNs;
        this.smoothedRttNs = initialRttNs;
    }

    /**
     * Takes one report block about a stream we send.
     *
     * @param lastSenderReport the block's LSR field (0: the receiver has had no sender report yet)
     * @param delaySinceLastSenderReport the block's DLSR field (unsigned 32 bits)
     * @param arrivalNtpMiddle32 when the report arrived, as the middle 32 bits of the same NTP clock our sender
     *     reports carry ({@link NtpTime#middle32(long)})
     * @return the sample in nanoseconds, or {@link #NO_SAMPLE}
     */
    public long onReportBlock(int lastSenderReport, long delaySinceLastSenderReport, int arrivalNtpMiddle32) {
        if (lastSenderReport == 0) {
            return NO_SAMPLE;
        }
        // the three values wrap every 18 hours; their difference is meaningful modulo 2^32
        long units = (int) (arrivalNtpMiddle32 - lastSenderReport - (int) delaySinceLastSenderReport);
        if (units < 0) {
            if (units < -NEGATIVE_TOLERANCE_UNITS) {
                rejectedCount++;
                return NO_SAMPLE;
            }
            units = 0;
        }
        return accept(NtpTime.compactToNanos(units));
    }

    /**
     * Takes one report block that echoes a sender report we sent at {@code sentNs} (whatever NTP time that report
     * carried): RTT = arrival − sent − DLSR, all on one monotonic clock.
     *
     * @param delaySinceLastSenderReport the block's DLSR field (unsigned 32 bits, 1/65536 s)
     * @return the sample in nanoseconds, or {@link #NO_SAMPLE}
     */
    public long onEchoedSenderReport(long sentNs, long delaySinceLastSenderReport, long arrivalNs) {
        long sampleNs = arrivalNs - sentNs - NtpTime.compactToNanos(delaySinceLastSenderReport);
        if (sampleNs < 0) {
            if (sampleNs < -NtpTime.compactToNanos(NEGATIVE_TOLERANCE_UNITS)) {
                rejectedCount++;
                return NO_SAMPLE;
            }
            sampleNs = 0;
        }
        return accept(sampleNs);
    }

    private long accept(long sampleNs) {
        if (sampleNs > MAX_RTT_NS) {
            rejectedCount++;
            return NO_SAMPLE;
        }
        latestRttNs = sampleNs;
        smoothedRttNs = hasSample ? smoothedRttNs + (sampleNs - smoothedRttNs) / 8 : sampleNs;
        hasSample = true;
        sampleCount++;
        return sampleNs;
    }

    /**
     * Takes one report block about a stream we send, arrived at the wall-clock instant {@code arrivalUnixNs} of the
     * clock our sender reports carry.
     *
     * @return the sample in nanoseconds, or {@link #NO_SAMPLE}
     */
    public long onReportBlock(ReportBlock block, long arrivalUnixNs) {
        return onReportBlock((int) block.lastSenderReport(), block.delaySinceLastSenderReport(),
            NtpTime.middle32(NtpTime.fromUnixNanos(arrivalUnixNs)));
    }

    /** Whether a sample has been taken; until then {@link #smoothedRttNs()} is the initial value. */
    public boolean hasSample() {
        return hasSample;
    }

    /** Smoothed round-trip time in nanoseconds. */
    public long smoothedRttNs() {
        return smoothedRttNs;
    }

    /** The last accepted sample in nanoseconds, or the initial value before any. */
    public long latestRttNs() {
        return hasSample ? latestRttNs : initialRttNs;
    }

    /** Samples accepted. */
    public long sampleCount() {
        return sampleCount;
    }

    /** Report blocks whose sample was negative beyond rounding or above {@link #MAX_RTT_NS}. */
    public long rejectedCount() {
        return rejectedCount;
    }
}
