package io.sfu.core.feedback;

/**
 * Limits the keyframe requests sent to the publisher of one track: however many subscribers ask (PLI, RFC 4585
 * §6.3.1, or FIR, RFC 5104 §4.3.1), at most one request passes per interval, and each FIR that passes gets the
 * next command sequence number (RFC 5104 §4.3.1.1: incremented by one, modulo 256, per new request).
 *
 * <p>PLI and FIR share the interval: both ask the same encoder for the same thing.
 */
public final class KeyframeRequestThrottle {
    public static final long DEFAULT_MIN_INTERVAL_NS = 500_000_000L;
    /** Returned by {@link #tryFir(long)} when the request is suppressed. */
    public static final int SUPPRESSED = -1;

    private final long minIntervalNs;

    private boolean anyPassed;
    private long lastPassedNs;
    private int nextFirSequenceNumber;
    private long passedCount;
    private long suppressedCount;

    /** A throttle letting one request through every 500 ms. */
    public KeyframeRequestThrottle() {
        this(DEFAULT_MIN_INTERVAL_NS);
    }

    /** @param minIntervalNs minimum time between two requests that pass */
    public KeyframeRequestThrottle(long minIntervalNs) {
        if (minIntervalNs < 0) {
            throw new IllegalArgumentException("minIntervalNs must not be negative: " + minIntervalNs);
        }
        this.minIntervalNs = minIntervalNs;
    }

    /** Whether a PLI may be sent to the publisher at {@code nowNs}; if so, the interval starts again. */
    public boolean tryPli(long nowNs) {
        return tryPass(nowNs);
    }

    /**
     * Whether a FIR may be sent to the publisher at {@code nowNs}.
     *
     * @return the command sequence number (0..255) to put in the FIR, or {@link #SUPPRESSED}
     */
    public int tryFir(long nowNs) {
        if (!tryPass(nowNs)) {
            return SUPPRESSED;
        }
        int sequenceNumber = nextFirSequenceNumber;
        nextFirSequenceNumber = (nextFirSequenceNumber + 1) & 0xFF;
        return sequenceNumber;
    }

    private boolean tryPass(long nowNs) {
        if (anyPassed && nowNs - lastPassedNs < minIntervalNs) {
            suppressedCount++;
            return false;
        }
        anyPassed = true;
        lastPassedNs = nowNs;
        passedCount++;
        return true;
    }

    /** Requests let through so far. */
    public long passedCount() {
        return passedCount;
    }

    /** Requests suppressed so far. */
    public long suppressedCount() {
        return suppressedCount;
    }

    /** The sequence number the next FIR that passes will carry. */
    public int nextFirSequenceNumber() {
        return nextFirSequenceNumber;
    }

    public long minIntervalNs() {
        return minIntervalNs;
    }
}
