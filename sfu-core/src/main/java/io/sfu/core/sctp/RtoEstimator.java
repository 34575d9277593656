package io.sfu.core.sctp;

/** The retransmission timeout from round-trip measurements (RFC 9260 §6.3.1), with the §6.3.3 backoff. */
final class RtoEstimator {
    private final long minNanos;
    private final long maxNanos;
    private long srttNanos;
    private long rttvarNanos;
    private long rtoNanos;
    private boolean measured;

    RtoEstimator(long initialNanos, long minNanos, long maxNanos) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        rtoNanos = initialNanos;
    }

    void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        if (!measured) {
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2;
            measured = true;
        } else {
            rttvarNanos = rttvarNanos - (rttvarNanos >> 2) + (Math.abs(srttNanos - rttNanos) >> 2);
            srttNanos = srttNanos - (srttNanos >> 3) + (rttNanos >> 3);
        }
        rtoNanos = Math.min(maxNanos, Math.max(minNanos, srttNanos + 4 * rttvarNanos));
    }

    /** §6.3.3 E2: the timer expired, double the RTO up to RTO.Max. */
    void backOff() {
        rtoNanos = Math.min(maxNanos, rtoNanos * 2);
    }

    long rtoNanos() {
        return rtoNanos;
    }

    long srttNanos() {
        return srttNanos;
    }
}
