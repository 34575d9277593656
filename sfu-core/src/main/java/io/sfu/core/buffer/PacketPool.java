package io.sfu.core.buffer;

import org.jctools.queues.MpmcArrayQueue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed set of {@link PacketSlot}s shared lock-free between the I/O thread that fills them and the forwarding
 * agents that return them. Nothing is allocated after construction; when every slot is in use, {@link #acquire()}
 * returns null and the caller drops the datagram (counted here).
 */
public final class PacketPool {
    private final MpmcArrayQueue<PacketSlot> free;
    private final int capacity;
    private final AtomicLong exhausted = new AtomicLong();

    public PacketPool(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("pool capacity must be at least 2: " + capacity);
        }
        this.capacity = capacity;
        this.free = new MpmcArrayQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            free.offer(new PacketSlot(this));
        }
    }

    /** A slot owned by the caller from now on, or null when the pool is exhausted (counted). */
    public PacketSlot acquire() {
        PacketSlot slot = free.poll();
        if (slot == null) {
            exhausted.incrementAndGet();
            return null;
        }
        slot.markAcquired();
        return slot.data(0, 0);
    }

    void release(PacketSlot slot) {
        if (!slot.markReleased()) {
            throw new IllegalStateException("packet slot released twice");
        }
        free.offer(slot);
    }

    public int capacity() {
        return capacity;
    }

    /** Slots currently owned by someone; zero when the pipeline is idle, else something leaked. */
    public int inUse() {
        return capacity - free.size();
    }

    public long exhaustedCount() {
        return exhausted.get();
    }
}
