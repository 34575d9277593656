package io.sfu.client;

/**
 * Network impairment applied by a {@link ClientPeerConnection} to its media (RTP and RTCP) in one direction,
 * for tests and the load harness: random loss, extra delay (jitter) drawn uniformly from {@code [0, jitterNs]},
 * and reordering, which holds a packet back by {@code reorderDelayNs} so that later packets overtake it. Every
 * draw comes from a {@link java.util.SplittableRandom} seeded with {@code seed}, so a run is repeatable for the
 * same packet sequence. Delayed packets wait in a bounded queue of {@code queueCapacity} datagrams in the loop;
 * when it is full a packet goes through without delay (and is counted by the queue). A rate limit makes the
 * direction a link of {@code rateLimitBps} with a queue of {@code rateLimitQueueNs} (as the kernel's {@code tbf}
 * shapes one): a datagram leaves once the ones before it have, and one that would wait longer is dropped; it holds
 * from {@code rateLimitFromNs} until {@code rateLimitUntilNs} after the first datagram, so a run can limit a link
 * and lift the limit. ICE and DTLS datagrams are never impaired. Immutable; {@link #NONE} impairs nothing.
 */
public final class Impairment {
    /** Default {@code queueCapacity}: room for a burst of delayed video packets. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** Default {@code rateLimitQueueNs}: 50 ms, the latency {@code tc tbf} is often given. */
    public static final long DEFAULT_RATE_LIMIT_QUEUE_NS = 50_000_000L;
    /** Default {@code reorderDelayNs}: 10 ms, a few packets of a video frame. */
    public static final long DEFAULT_REORDER_DELAY_NS = 10_000_000L;

    /** No impairment. */
    public static final Impairment NONE = new Impairment(0, 0, DEFAULT_REORDER_DELAY_NS, 0, 1, DEFAULT_QUEUE_CAPACITY,
        new RateLimit(0, DEFAULT_RATE_LIMIT_QUEUE_NS, 0, Long.MAX_VALUE));

    /** A link of {@code bps} with a queue of {@code queueNs}, from {@code fromNs} until {@code untilNs}. */
    private record RateLimit(long bps, long queueNs, long fromNs, long untilNs) {
    }

    private final double lossRate;
    private final double reorderRate;
    private final long reorderDelayNs;
    private final long jitterNs;
    private final long seed;
    private final int queueCapacity;
    private final RateLimit rateLimit;

    private Impairment(double lossRate, double reorderRate, long reorderDelayNs, long jitterNs, long seed,
        int queueCapacity, RateLimit rateLimit) {
        this.lossRate = lossRate;
        this.reorderRate = reorderRate;
        this.reorderDelayNs = reorderDelayNs;
        this.jitterNs = jitterNs;
        this.seed = seed;
        this.queueCapacity = queueCapacity;
        this.rateLimit = rateLimit;
    }

    /** A builder starting from no impairment. */
    public static Builder builder() {
        return new Builder();
    }

    /** Probability in [0, 1] that a packet is dropped. */
    public double lossRate() {
        return lossRate;
    }

    /** Probability in [0, 1] that a packet is held back by {@link #reorderDelayNs()}. */
    public double reorderRate() {
        return reorderRate;
    }

    public long reorderDelayNs() {
        return reorderDelayNs;
    }

    /** Largest extra delay; each packet gets a uniform draw from [0, jitterNs]. */
    public long jitterNs() {
        return jitterNs;
    }

    public long seed() {
        return seed;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    /** The rate of the limited link in bits per second, 0 without a limit. */
    public long rateLimitBps() {
        return rateLimit.bps();
    }

    /** The longest a datagram waits for the limited link; one that would wait longer is dropped. */
    public long rateLimitQueueNs() {
        return rateLimit.queueNs();
    }

    /** When the limit starts, counted from the first datagram. */
    public long rateLimitFromNs() {
        return rateLimit.fromNs();
    }

    /** When the limit is lifted, counted from the first datagram ({@link Long#MAX_VALUE}: never). */
    public long rateLimitUntilNs() {
        return rateLimit.untilNs();
    }

    /** Whether this impairs anything. */
    public boolean isActive() {
        return lossRate > 0 || reorderRate > 0 || jitterNs > 0 || rateLimit.bps() > 0;
    }

    /** Whether packets may be delayed (and so need the queue). */
    public boolean delays() {
        return reorderRate > 0 || jitterNs > 0 || rateLimit.bps() > 0;
    }

    @Override
    public String toString() {
        return "Impairment{loss=" + lossRate + ", reorder=" + reorderRate + "/" + reorderDelayNs + "ns, jitter="
            + jitterNs + "ns, seed=" + seed + ", queue=" + queueCapacity
            + (rateLimit.bps() > 0 ? ", rateLimit=" + rateLimit : "") + "}";
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private double lossRate;
        private double reorderRate;
        private long reorderDelayNs = DEFAULT_REORDER_DELAY_NS;
        private long jitterNs;
        private long seed = 1;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private long rateLimitBps;
        private long rateLimitQueueNs = DEFAULT_RATE_LIMIT_QUEUE_NS;
        private long rateLimitFromNs;
        private long rateLimitUntilNs = Long.MAX_VALUE;

        private Builder() {
        }

        /**
         * A link of {@code bps} (1 kbit/s to 10 Gbit/s) whose queue holds {@code queueNs} (1 ms to 10 s) of it,
         * from {@code fromNs} until {@code untilNs} after the first datagram ({@link Long#MAX_VALUE}: for good).
         */
        public Builder rateLimit(long bps, long queueNs, long fromNs, long untilNs) {
            this.rateLimitBps = bps;
            this.rateLimitQueueNs = queueNs;
            this.rateLimitFromNs = fromNs;
            this.rateLimitUntilNs = untilNs;
            return this;
        }

        /** {@code impairment.lossRate}, 0 to 1; default 0. */
        public Builder lossRate(double lossRate) {
            this.lossRate = lossRate;
            return this;
        }

        /** {@code impairment.reorderRate}, 0 to 1; default 0. */
        public Builder reorderRate(double reorderRate) {
            this.reorderRate = reorderRate;
            return this;
        }

        /** {@code impairment.reorderDelayNs}, 1 ns to 10 s; default 10 ms. */
        public Builder reorderDelayNs(long reorderDelayNs) {
            this.reorderDelayNs = reorderDelayNs;
            return this;
        }

        /** {@code impairment.jitterNs}, 0 to 10 s; default 0. */
        public Builder jitterNs(long jitterNs) {
            this.jitterNs = jitterNs;
            return this;
        }

        /** {@code impairment.seed}; default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code impairment.queueCapacity}, 1 to 65536 datagrams; default {@value Impairment#DEFAULT_QUEUE_CAPACITY}. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public Impairment build() {
            requireRate("impairment.lossRate", lossRate);
            requireRate("impairment.reorderRate", reorderRate);
            if (reorderDelayNs < 1 || reorderDelayNs > 10_000_000_000L) {
                throw new IllegalArgumentException("impairment.reorderDelayNs must be 1 ns to 10 s: " + reorderDelayNs);
            }
            if (jitterNs < 0 || jitterNs > 10_000_000_000L) {
                throw new IllegalArgumentException("impairment.jitterNs must be 0 to 10 s: " + jitterNs);
            }
            if (queueCapacity < 1 || queueCapacity > 65_536) {
                throw new IllegalArgumentException("impairment.queueCapacity must be 1 to 65536: " + queueCapacity);
            }
            if (rateLimitBps != 0 && (rateLimitBps < 1_000 || rateLimitBps > 10_000_000_000L)) {
                throw new IllegalArgumentException("impairment.rateLimitBps must be 1 kbit/s to 10 Gbit/s: "
                    + rateLimitBps);
            }
            if (rateLimitQueueNs < 1_000_000 || rateLimitQueueNs > 10_000_000_000L) {
                throw new IllegalArgumentException("impairment.rateLimitQueueNs must be 1 ms to 10 s: "
                    + rateLimitQueueNs);
            }
            if (rateLimitFromNs < 0 || rateLimitUntilNs <= rateLimitFromNs) {
                throw new IllegalArgumentException("impairment.rateLimit must start at 0 or later and end after it "
                    + "starts: " + rateLimitFromNs + " to " + rateLimitUntilNs);
            }
            return new Impairment(lossRate, reorderRate, reorderDelayNs, jitterNs, seed, queueCapacity,
                new RateLimit(rateLimitBps, rateLimitQueueNs, rateLimitFromNs, rateLimitUntilNs));
        }

        private static void requireRate(String name, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(name + " must be between 0 and 1: " + rate);
            }
        }
    }
}
