package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.feedback.SendSideBandwidthEstimator;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Spreads the video one leg sends over time, at 1.5 times its subscriber's downlink estimate, so a
 * keyframe, a layer switch or a burst of resends leaves as a stream a bottleneck's queue can take rather than as one
 * burst it drops the tail of. Audio and RTCP never wait (they are counted against the budget all the same). Video
 * waits only once the budget is spent: then it queues, ready-made but not yet protected, in a bounded ring of
 * packets copied once, and leaves in order at each pacing cycle; its transport-wide sequence number and send time are
 * taken when it really leaves, so the estimator sees the spacing the path saw. A full queue lets a packet go at
 * once (counted), as does a leg whose subscriber sends no feedback to estimate from. Owned by its leg's agent;
 * allocation free once its ring exists (made at its first queued packet).
 */
final class Pacer {
    /**
     * The pacing rate as a multiple of the estimate, in quarters: 1.5. libwebrtc paces its own encoder at 2.5 times,
     * but an SFU forwards what publishers encoded, keyframes of several times a layer's mean among it; at 2.5 times
     * an estimate near the path's capacity, one of them overflows a bottleneck's small queue (load harness, a
     * 500 kbit/s link with a 50 ms queue: 10-20 packets lost at each keyframe of the middle layer).
     */
    static final long MULTIPLIER_QUARTERS = 6;
    /** Packets the queue holds. */
    static final int CAPACITY = 128;
    /** How often the agent sends what waits. */
    static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Unused budget carries over for this long at most: the largest burst at the pacing rate. */
    static final long BURST_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The most of a late cycle's delay that waiting packets make up for. */
    static final long CATCH_UP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The queue drains within this whatever the estimate: a low estimate slows video, it never piles it up. */
    static final long MAX_QUEUE_NS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final SendSideBandwidthEstimator bandwidth;
    /** {@link #CAPACITY} packets of {@link PacketSlot#CAPACITY} octets; null until the first packet waits. */
    private UnsafeBuffer ring;
    private final int[] lengths = new int[CAPACITY];
    private final int[] transportCcIds = new int[CAPACITY];
    private final long[] queuedAtNs = new long[CAPACITY];
    private int head;
    private int size;
    private long queuedBits;
    private long budgetBits;
    private long refilledAtNs = Long.MIN_VALUE;
    /** The transport-wide extension id of the packet {@link #poll} copied last, 0 when it carries none. */
    private int polledTransportCcId;
    /** Whether the agent drains this pacer at its pacing cycles (set and cleared by the agent). */
    boolean scheduled;

    private long paced;
    private long overflows;
    private long maxDelayNs;

    Pacer(SendSideBandwidthEstimator bandwidth) {
        this.bandwidth = bandwidth;
    }

    /** Whether a video packet sent now has to wait: something waits already, or the budget is spent. */
    boolean mustWait(long nowNs) {
        if (size > 0) {
            return true;
        }
        if (!bandwidth.hasFeedback()) {
            return false;
        }
        refill(nowNs);
        return budgetBits <= 0;
    }

    /** Counts {@code bytes} sent now against the budget. */
    void onSent(int bytes, long nowNs) {
        if (bandwidth.hasFeedback()) {
            refill(nowNs);
            budgetBits -= bytes * 8L;
        }
    }

    /**
     * Queues the packet {@code from[0, length)} (its transport-wide extension, {@code transportCcId}, numbered when it
     * leaves); false when the queue is full and it has to go at once.
     */
    boolean offer(UnsafeBuffer from, int length, int transportCcId, long nowNs) {
        if (size == CAPACITY) {
            overflows++;
            return false;
        }
        if (ring == null) {
            ring = new UnsafeBuffer(new byte[CAPACITY * PacketSlot.CAPACITY]);
        }
        int index = (head + size) & (CAPACITY - 1);
        ring.putBytes(index * PacketSlot.CAPACITY, from, 0, length);
        lengths[index] = length;
        transportCcIds[index] = transportCcId;
        queuedAtNs[index] = nowNs;
        size++;
        queuedBits += length * 8L;
        paced++;
        return true;
    }

    /** Whether the packet at the head of the queue may leave now. */
    boolean ready(long nowNs) {
        if (size == 0) {
            return false;
        }
        refill(nowNs);
        return budgetBits > 0;
    }

    /**
     * Takes the packet at the head of the queue into {@code to[0, length)} and returns its length; its transport-wide
     * extension id is then {@link #polledTransportCcId}. Only after {@link #ready} said so.
     */
    int poll(UnsafeBuffer to, long nowNs) {
        int length = lengths[head];
        to.putBytes(0, ring, head * PacketSlot.CAPACITY, length);
        polledTransportCcId = transportCcIds[head];
        maxDelayNs = Math.max(maxDelayNs, nowNs - queuedAtNs[head]);
        head = (head + 1) & (CAPACITY - 1);
        size--;
        queuedBits -= length * 8L;
        return length;
    }

    int polledTransportCcId() {
        return polledTransportCcId;
    }

    /** Forgets what waits (the leg closed). */
    void clear() {
        head = 0;
        size = 0;
        queuedBits = 0;
    }

    /**
     * The pacing rate: 1.5 times the estimate, or faster when that would keep the oldest packet waiting longer than
     * {@link #MAX_QUEUE_NS}: then what waits leaves by the oldest one's deadline.
     */
    long rateBps(long nowNs) {
        long paced = bandwidth.estimateBps() * MULTIPLIER_QUARTERS / 4;
        if (size == 0) {
            return paced;
        }
        long leftNs = Math.max(INTERVAL_NS, MAX_QUEUE_NS - (nowNs - queuedAtNs[head]));
        return Math.max(paced, queuedBits * NANOS_PER_SECOND / leftNs);
    }

    /**
     * Adds the budget earned since the last refill. An idle pacer keeps at most {@link #BURST_NS} of it; one whose
     * packets waited through a late cycle (a busy agent) earns the whole delay, up to {@link #CATCH_UP_NS}, and so
     * sends what it would have sent on time.
     */
    private void refill(long nowNs) {
        long limitNs = size > 0 ? CATCH_UP_NS : BURST_NS;
        long elapsedNs = refilledAtNs == Long.MIN_VALUE ? BURST_NS : Math.min(limitNs, nowNs - refilledAtNs);
        refilledAtNs = nowNs;
        if (elapsedNs <= 0) {
            return;
        }
        long rate = rateBps(nowNs);
        long cap = rate * Math.max(BURST_NS, elapsedNs) / NANOS_PER_SECOND;
        budgetBits = Math.min(cap, budgetBits + rate * elapsedNs / NANOS_PER_SECOND);
    }

    /** Packets waiting now. */
    int queued() {
        return size;
    }

    /** Packets that waited, since the start. */
    long pacedPackets() {
        return paced;
    }

    /** Packets that went at once because the queue was full. */
    long overflows() {
        return overflows;
    }

    /** The longest a packet waited, in nanoseconds. */
    long maxDelayNs() {
        return maxDelayNs;
    }
}
