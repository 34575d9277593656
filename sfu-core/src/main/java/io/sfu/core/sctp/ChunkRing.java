package io.sfu.core.sctp;

/** A double-ended queue of outbound chunks in send order, grown by doubling; no iterator, no boxing. */
final class ChunkRing {
    private OutboundChunk[] items = new OutboundChunk[64];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    OutboundChunk get(int index) {
        return items[head + index & items.length - 1];
    }

    OutboundChunk first() {
        return items[head];
    }

    void addLast(OutboundChunk chunk) {
        if (size == items.length) {
            OutboundChunk[] grown = new OutboundChunk[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            items = grown;
            head = 0;
        }
        items[head + size & items.length - 1] = chunk;
        size++;
    }

    OutboundChunk removeFirst() {
        OutboundChunk chunk = items[head];
        items[head] = null;
        head = head + 1 & items.length - 1;
        size--;
        return chunk;
    }
}
