package io.sfu.client;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Applies one {@link Impairment} to the datagrams of one direction: decides loss, draws the delay, and keeps
 * delayed datagrams in preallocated slots ordered by release time (a min-heap of slot indices; ties keep arrival
 * order) until the loop releases them. Nothing is allocated after construction. Loop thread only.
 */
final class ImpairmentQueue {
    /** {@link #offer} result: drop the datagram. */
    static final int DROP = 0;
    /** {@link #offer} result: handle the datagram now, it was not delayed. */
    static final int PASS = 1;
    /** {@link #offer} result: the queue holds a copy and releases it later. */
    static final int QUEUED = 2;

    /** Where released datagrams go. */
    interface Sink {
        void onRelease(UnsafeBuffer buffer, ByteBuffer byteBuffer, int offset, int length, long releaseNs);
    }

    private final Impairment impairment;
    private final SplittableRandom random;
    private final int slotBytes;
    private final byte[] storage;
    private final UnsafeBuffer storageBuffer;
    private final ByteBuffer storageByteBuffer;
    private final int[] freeSlots;
    private int freeCount;
    private final int[] heap;
    private int heapSize;
    private final long[] releaseNs;
    private final long[] order;
    private final int[] lengths;
    private long nextOrder;

    private long dropped;
    private long delayed;
    private long overflowed;
    /** When the first datagram came: the rate limit's schedule counts from it. */
    private long firstNs = Long.MIN_VALUE;
    /** When the limited link has sent everything queued on it. */
    private long linkFreeNs = Long.MIN_VALUE;
    private long rateLimitDropped;

    ImpairmentQueue(Impairment impairment, int slotBytes) {
        this.impairment = impairment;
        this.random = new SplittableRandom(impairment.seed());
        this.slotBytes = slotBytes;
        int capacity = impairment.delays() ? impairment.queueCapacity() : 0;
        this.storage = new byte[capacity * slotBytes];
        this.storageBuffer = new UnsafeBuffer(storage);
        this.storageByteBuffer = ByteBuffer.wrap(storage);
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.heap = new int[capacity];
        this.releaseNs = new long[capacity];
        this.order = new long[capacity];
        this.lengths = new int[capacity];
    }

    /**
     * Decides the fate of one datagram arriving (or leaving) at {@code nowNs}; copies it when it is delayed.
     *
     * @return {@link #DROP}, {@link #PASS} or {@link #QUEUED}
     */
    int offer(DirectBuffer source, int offset, int length, long nowNs) {
        if (firstNs == Long.MIN_VALUE) {
            firstNs = nowNs;
        }
        if (impairment.lossRate() > 0 && random.nextDouble() < impairment.lossRate()) {
            dropped++;
            return DROP;
        }
        long link = linkDelay(length, nowNs);
        if (link < 0) {
            dropped++;
            rateLimitDropped++;
            return DROP;
        }
        long delay = link;
        if (impairment.jitterNs() > 0) {
            delay += random.nextLong(impairment.jitterNs() + 1);
        }
        if (impairment.reorderRate() > 0 && random.nextDouble() < impairment.reorderRate()) {
            delay += impairment.reorderDelayNs();
        }
        if (delay == 0) {
            return PASS;
        }
        if (freeCount == 0 || length > slotBytes) {
            if (link > 0) {
                // no room to hold it while the limited link is busy: its queue is full
                dropped++;
                rateLimitDropped++;
                return DROP;
            }
            overflowed++;
            return PASS;
        }
        if (link > 0) {
            // the link takes it: it leaves once the ones before it have
            linkFreeNs = nowNs + link;
        }
        int slot = freeSlots[--freeCount];
        source.getBytes(offset, storage, slot * slotBytes, length);
        lengths[slot] = length;
        releaseNs[slot] = nowNs + delay;
        order[slot] = nextOrder++;
        heap[heapSize] = slot;
        siftUp(heapSize++);
        delayed++;
        return QUEUED;
    }

    /**
     * The wait on the limited link for a datagram of {@code length} arriving at {@code nowNs} (its serialisation after
     * what is queued), 0 while no limit holds, or -1 when the link's queue would hold it too long: dropped.
     */
    private long linkDelay(int length, long nowNs) {
        long rate = impairment.rateLimitBps();
        long elapsed = nowNs - firstNs;
        if (rate == 0 || elapsed < impairment.rateLimitFromNs() || elapsed >= impairment.rateLimitUntilNs()) {
            return 0;
        }
        long start = linkFreeNs == Long.MIN_VALUE || linkFreeNs - nowNs < 0 ? nowNs : linkFreeNs;
        long departure = start + length * 8L * 1_000_000_000L / rate;
        if (start - nowNs > impairment.rateLimitQueueNs()) {
            return -1;
        }
        return departure - nowNs;
    }

    /** Datagrams the limited link dropped (its queue was full); counted in {@link #droppedCount} too. */
    long rateLimitDroppedCount() {
        return rateLimitDropped;
    }

    /** Whether a delayed datagram waits. */
    boolean hasQueued() {
        return heapSize > 0;
    }

    /** Release time of the next delayed datagram; only meaningful while {@link #hasQueued()}. */
    long nextReleaseNs() {
        return releaseNs[heap[0]];
    }

    /**
     * Hands every datagram due at {@code nowNs} to the sink, earliest first.
     *
     * @return how many were released
     */
    int releaseDue(long nowNs, Sink sink) {
        int released = 0;
        while (heapSize > 0 && releaseNs[heap[0]] - nowNs <= 0) {
            int slot = heap[0];
            heap[0] = heap[--heapSize];
            if (heapSize > 0) {
                siftDown(0);
            }
            released++;
            // the sink may work on the slot in place (unprotect, RTX unwrap): it is freed only afterwards
            sink.onRelease(storageBuffer, storageByteBuffer, slot * slotBytes, lengths[slot], releaseNs[slot]);
            freeSlots[freeCount++] = slot;
        }
        return released;
    }

    /** Drops every delayed datagram. */
    void clear() {
        while (heapSize > 0) {
            freeSlots[freeCount++] = heap[--heapSize];
        }
    }

    long droppedCount() {
        return dropped;
    }

    long delayedCount() {
        return delayed;
    }

    /** Datagrams that should have been delayed but passed at once because the queue was full. */
    long overflowCount() {
        return overflowed;
    }

    private boolean before(int a, int b) {
        long d = releaseNs[a] - releaseNs[b];
        return d < 0 || (d == 0 && order[a] < order[b]);
    }

    private void siftUp(int i) {
        int slot = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(slot, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = slot;
    }

    private void siftDown(int i) {
        int slot = heap[i];
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], slot)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = slot;
    }
}
