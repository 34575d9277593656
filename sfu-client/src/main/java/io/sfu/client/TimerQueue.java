package io.sfu.client;

import java.util.Arrays;

/**
 * The loop's deadlines: a binary min-heap of entries, each remembering its own heap index so that moving or
 * cancelling it costs O(log n) and no allocation (the heap array grows only when more entries are queued than ever
 * before). Deadlines are {@code nanoTime} readings compared by subtraction. Loop thread only.
 */
final class TimerQueue {

    /** A deadline owner: a peer connection or a {@link LoopTimer}. At most one place in the queue each. */
    abstract static class Entry {
        long deadlineNs;
        int index = -1;

        /** Called on the loop thread once the deadline has passed; the entry is no longer queued. */
        abstract void onTimer(long nowNs);

        final boolean isQueued() {
            return index >= 0;
        }
    }

    private Entry[] heap = new Entry[64];
    private int size;

    /** Queues the entry for {@code deadlineNs}, or moves it there if it is queued already. */
    void schedule(Entry entry, long deadlineNs) {
        if (entry.index >= 0) {
            long previous = entry.deadlineNs;
            entry.deadlineNs = deadlineNs;
            if (deadlineNs - previous < 0) {
                siftUp(entry.index);
            } else {
                siftDown(entry.index);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        entry.deadlineNs = deadlineNs;
        entry.index = size;
        heap[size++] = entry;
        siftUp(entry.index);
    }

    /** Takes the entry out of the queue; nothing happens if it is not queued. */
    void cancel(Entry entry) {
        int i = entry.index;
        if (i < 0) {
            return;
        }
        entry.index = -1;
        size--;
        Entry last = heap[size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
    }

    /**
     * Fires up to {@code limit} entries whose deadline is at or before {@code nowNs}, earliest first. An entry that
     * schedules itself again from its callback fires again only on a later call if its new deadline is due.
     *
     * @return how many fired
     */
    int poll(long nowNs, int limit) {
        int fired = 0;
        while (size > 0 && fired < limit && heap[0].deadlineNs - nowNs <= 0) {
            Entry entry = heap[0];
            cancel(entry);
            fired++;
            entry.onTimer(nowNs);
        }
        return fired;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The earliest deadline; only meaningful when the queue is not empty. */
    long earliestDeadlineNs() {
        return heap[0].deadlineNs;
    }

    private void siftUp(int i) {
        Entry entry = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (entry.deadlineNs - p.deadlineNs >= 0) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = entry;
        entry.index = i;
    }

    private void siftDown(int i) {
        Entry entry = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadlineNs - heap[child].deadlineNs < 0) {
                child = right;
            }
            Entry c = heap[child];
            if (entry.deadlineNs - c.deadlineNs <= 0) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = entry;
        entry.index = i;
    }
}
