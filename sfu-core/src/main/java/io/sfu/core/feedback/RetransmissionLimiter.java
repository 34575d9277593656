package io.sfu.core.feedback;

import java.util.Arrays;

/**
 * What a sender may resend to one receiver in answer to its generic NACKs (RFC 4585 §6.2.1), so that a NACK
 * cannot amplify traffic: a NACK of a few hundred bytes can name thousands of packets, and nothing stops a receiver
 * from repeating it. Three rules, each refusal counted:
 * <ul>
 *   <li>a packet is resent at most once per round trip: a NACK repeated before the first resend could have arrived
 *   is a duplicate ({@link #REFUSED_REPEAT});</li>
 *   <li>at most {@code maxPerNack} packets are resent for one NACK ({@link #REFUSED_PER_NACK});</li>
 *   <li>resent bytes draw on a budget refilled at {@code budgetPercent} of the stream's bitrate, at least
 *   {@code floorBps}, that holds at most one second of that rate ({@link #REFUSED_BUDGET}).</li>
 * </ul>
 * Single-threaded; nothing is allocated per packet (the table of recent resends is allocated at the first NACK).
 */
public final class RetransmissionLimiter {
    /** Default of {@code forwarding.retransmitBudgetPercent}. */
    public static final int DEFAULT_BUDGET_PERCENT = 50;
    /** The budget of a stream whose bitrate is low or not yet known: about 20 full-size packets a second. */
    public static final long DEFAULT_FLOOR_BPS = 200_000;
    public static final int DEFAULT_MAX_PER_NACK = 64;
    /** The shortest round trip the repeat rule assumes: on a LAN a few duplicates of one NACK still count as one. */
    public static final long MIN_REPEAT_INTERVAL_NS = 10_000_000L;
    /** The longest: a packet older than this is out of every history anyway. */
    public static final long MAX_REPEAT_INTERVAL_NS = 1_000_000_000L;

    public static final int ALLOWED = 0;
    public static final int REFUSED_REPEAT = 1;
    public static final int REFUSED_PER_NACK = 2;
    public static final int REFUSED_BUDGET = 3;

    private static final int NO_SEQUENCE = -1;
    private static final double NANOS_PER_SECOND = 1e9;

    private final int budgetPercent;
    private final long floorBps;
    private final int maxPerNack;
    private final int capacity;
    private int[] sequenceAt;
    private long[] resentAtNs;

    private boolean started;
    private double budgetBytes;
    private double budgetCapacityBytes;
    private double refillBytesPerNs;
    private long refilledAtNs;
    private int resentThisNack;

    private long refusedRepeat;
    private long refusedPerNack;
    private long refusedBudget;

    /** A limiter with the defaults, remembering the resends of the last {@code capacity} sequence numbers. */
    public RetransmissionLimiter(int capacity) {
        this(capacity, DEFAULT_BUDGET_PERCENT, DEFAULT_FLOOR_BPS, DEFAULT_MAX_PER_NACK);
    }

    /**
     * @param capacity sequence numbers whose last resend is remembered: a power of two, at least the history the
     *     packets are resent from
     * @param budgetPercent resent bytes per second as a percentage of the stream's bitrate, 1 to 1000
     * @param floorBps the budget, in bits per second, whatever the bitrate
     * @param maxPerNack packets resent for one NACK at most
     */
    public RetransmissionLimiter(int capacity, int budgetPercent, long floorBps, int maxPerNack) {
        SequenceRings.requireCapacity(capacity, 1);
        if (budgetPercent < 1 || budgetPercent > 1000) {
            throw new IllegalArgumentException("budgetPercent must be between 1 and 1000: " + budgetPercent);
        }
        if (floorBps < 1 || maxPerNack < 1) {
            throw new IllegalArgumentException("floorBps and maxPerNack must be positive: " + floorBps + ", "
                + maxPerNack);
        }
        this.capacity = capacity;
        this.budgetPercent = budgetPercent;
        this.floorBps = floorBps;
        this.maxPerNack = maxPerNack;
    }

    /**
     * A NACK arrived: starts its count of resends and refills the budget for the stream's current
     * {@code bitrateBps}.
     */
    public void onNack(long nowNs, long bitrateBps) {
        onNack(nowNs, bitrateBps, Long.MAX_VALUE);
    }

    /**
     * As {@link #onNack(long, long)}, with the budget held to {@code headroomBps} as well: what the receiver's
     * downlink is estimated to take beyond what is already sent to it, so that resends on a congested path do not
     * add to the congestion that lost the packets.
     */
    public void onNack(long nowNs, long bitrateBps, long headroomBps) {
        resentThisNack = 0;
        long budgetBps = Math.min(Math.max(floorBps, bitrateBps / 100 * budgetPercent), Math.max(0, headroomBps));
        budgetCapacityBytes = budgetBps / 8.0;
        refillBytesPerNs = budgetCapacityBytes / NANOS_PER_SECOND;
        if (!started) {
            started = true;
            budgetBytes = budgetCapacityBytes;
            sequenceAt = new int[capacity];
            resentAtNs = new long[capacity];
            Arrays.fill(sequenceAt, NO_SEQUENCE);
        } else {
            long elapsedNs = Math.max(0, nowNs - refilledAtNs);
            budgetBytes = Math.min(budgetCapacityBytes, budgetBytes + elapsedNs * refillBytesPerNs);
        }
        refilledAtNs = nowNs;
    }

    /**
     * Whether {@code sequence}, named by the NACK last given to {@link #onNack}, may be resent now as far as the repeat and per-NACK rules
     * go ({@link #ALLOWED}), or which refused it (counted). Cheap: ask before fetching the packet.
     *
     * @param rttNs the round-trip time toward the receiver
     */
    public int admit(int sequence, long nowNs, long rttNs) {
        int seq = sequence & 0xFFFF;
        int slot = seq & (capacity - 1);
        long intervalNs = Math.min(MAX_REPEAT_INTERVAL_NS, Math.max(MIN_REPEAT_INTERVAL_NS, rttNs));
        if (sequenceAt[slot] == seq && nowNs - resentAtNs[slot] < intervalNs) {
            refusedRepeat++;
            return REFUSED_REPEAT;
        }
        if (resentThisNack >= maxPerNack) {
            refusedPerNack++;
            return REFUSED_PER_NACK;
        }
        return ALLOWED;
    }

    /** Takes {@code bytes} from the budget; false (counted) when it does not hold them. */
    public boolean spend(int bytes) {
        if (budgetBytes < bytes) {
            refusedBudget++;
            return false;
        }
        budgetBytes -= bytes;
        return true;
    }

    /** The packet {@code sequence} was resent: no resend of it again within the round trip. */
    public void onResent(int sequence, long nowNs) {
        int seq = sequence & 0xFFFF;
        int slot = seq & (capacity - 1);
        sequenceAt[slot] = seq;
        resentAtNs[slot] = nowNs;
        resentThisNack++;
    }

    /** Every refusal so far. */
    public long refused() {
        return refusedRepeat + refusedPerNack + refusedBudget;
    }

    public long refusedRepeat() {
        return refusedRepeat;
    }

    public long refusedPerNack() {
        return refusedPerNack;
    }

    public long refusedBudget() {
        return refusedBudget;
    }
}
