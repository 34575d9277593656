package io.sfu.core.sctp;

/**
 * The receiving half of an association: tracks received TSNs above the cumulative one, reorders and reassembles
 * DATA chunks into messages (RFC 9260 §6.5, §6.9), delivers ordered messages in stream sequence and unordered
 * ones at once, writes SACKs with gap blocks and duplicates (§3.3.4, §6.2), and skips what a FORWARD TSN
 * abandons (RFC 3758 §3.6). A complete single-chunk message in sequence is delivered from the packet itself,
 * without a copy. Bounds: TSNs tracked ahead of the oldest kept chunk, bytes kept, message size.
 */
final class SctpReceiver {
    /** TSNs tracked ahead of the oldest kept one; a chunk beyond is dropped (the peer sends it again). */
    static final int WINDOW = 4096;
    private static final int MASK = WINDOW - 1;
    static final int MAX_DUPLICATES = 16;
    static final int MAX_GAP_BLOCKS = 64;

    /** {@link #onData} results. */
    static final int ACCEPTED = 0;
    static final int DUPLICATE = 1;
    static final int DROPPED = 2;
    static final int OVERSIZED = 3;

    private final BlockPool pool;
    private final SctpCounters counters;
    private final SctpListener listener;
    private final long maxBytes;
    private final int maxMessageBytes;
    private final InboundChunk[] stored = new InboundChunk[WINDOW];
    private final long[] received = new long[WINDOW / 64];
    private final InboundChunk[] spare = new InboundChunk[WINDOW];
    private final int[] duplicates = new int[MAX_DUPLICATES];
    private int spareCount;
    private int duplicateCount;
    private int[] nextSsn = new int[0];
    /** Ordered chunks kept per stream: a stream with none has nothing waiting for its turn. */
    private int[] storedOrdered = new int[0];
    private int cumTsn;
    private int highestTsn;
    /** The oldest TSN a kept chunk may have: the first kept one, or cumTsn + 1. */
    private int baseTsn;
    private int storedCount;
    private long storedBytes;
    private byte[] assembly = new byte[0];
    private int packetsSinceSack;
    private boolean sackNow;
    private long sackDeadline = SctpSender.NO_DEADLINE;

    SctpReceiver(BlockPool pool, SctpCounters counters, SctpListener listener, long maxBytes, int maxMessageBytes) {
        this.pool = pool;
        this.counters = counters;
        this.listener = listener;
        this.maxBytes = maxBytes;
        this.maxMessageBytes = maxMessageBytes;
    }

    void start(int peerInitialTsn, int inboundStreams) {
        cumTsn = peerInitialTsn - 1;
        highestTsn = cumTsn;
        baseTsn = peerInitialTsn;
        nextSsn = new int[inboundStreams];
        storedOrdered = new int[inboundStreams];
    }

    int inboundStreams() {
        return nextSsn.length;
    }

    int cumulativeTsn() {
        return cumTsn;
    }

    /** Our a_rwnd: what is left of the receive buffer. */
    long window() {
        return Math.max(0, maxBytes - storedBytes);
    }

    long storedBytes() {
        return storedBytes;
    }

    /** RFC 6525 §5.2.2: the peer reset its outgoing stream, our incoming sequence restarts at 0. */
    void resetStream(int streamId) {
        if (streamId < nextSsn.length) {
            nextSsn[streamId] = 0;
        }
    }

    /** Reads one DATA chunk (RFC 9260 §3.3.1) whose value is {@code valueLength} bytes at {@code at}. */
    int onData(int flags, byte[] buf, int at, int valueLength) {
        if (valueLength <= SctpSender.DATA_HEADER) {
            counters.malformedChunks++;
            return DROPPED;
        }
        int tsn = SctpBytes.i32(buf, at);
        int streamId = SctpBytes.u16(buf, at + 4);
        int ssn = SctpBytes.u16(buf, at + 6);
        int ppid = SctpBytes.i32(buf, at + 8);
        int dataAt = at + SctpSender.DATA_HEADER;
        int length = valueLength - SctpSender.DATA_HEADER;
        boolean unordered = (flags & 4) != 0;
        boolean beginning = (flags & 2) != 0;
        boolean end = (flags & 1) != 0;
        if (!SctpBytes.tsnBefore(cumTsn, tsn) || isReceived(tsn)) {
            recordDuplicate(tsn);
            return DUPLICATE;
        }
        if (tsn - baseTsn >= WINDOW || tsn - baseTsn < 0) {
            counters.droppedChunksOutsideWindow++;
            return DROPPED;
        }
        if (streamId >= nextSsn.length) {
            // §6.8 Invalid Stream Identifier: the TSN is acknowledged, the payload discarded
            counters.droppedChunksInvalidStream++;
            markReceived(tsn);
            return ACCEPTED;
        }
        boolean inSequence = unordered || ssn == nextSsn[streamId];
        if (beginning && end && inSequence) {
            if (length > maxMessageBytes) {
                counters.oversizedMessages++;
                return OVERSIZED;
            }
            markReceived(tsn);
            deliverInPlace(streamId, ssn, ppid, unordered, buf, dataAt, length);
            return ACCEPTED;
        }
        if (storedBytes + BlockPool.footprint(length) > maxBytes && tsn != cumTsn + 1
            || storedBytes > maxBytes + maxMessageBytes) {
            counters.droppedChunksBufferFull++;
            return DROPPED;
        }
        InboundChunk chunk = spareCount > 0 ? spare[--spareCount] : new InboundChunk();
        chunk.data = pool.take(length);
        System.arraycopy(buf, dataAt, chunk.data, 0, length);
        chunk.length = length;
        chunk.streamId = streamId;
        chunk.ssn = ssn;
        chunk.ppid = ppid;
        chunk.unordered = unordered;
        chunk.beginning = beginning;
        chunk.end = end;
        stored[tsn & MASK] = chunk;
        storedCount++;
        if (!unordered) {
            storedOrdered[streamId]++;
        }
        storedBytes += BlockPool.footprint(length);
        markReceived(tsn);
        return tryDeliver(tsn) ? ACCEPTED : OVERSIZED;
    }

    private void deliverInPlace(int streamId, int ssn, int ppid, boolean unordered, byte[] buf, int at, int len) {
        if (!unordered) {
            nextSsn[streamId] = ssn + 1 & 0xFFFF;
        }
        listener.onMessage(streamId, ppid, unordered, buf, at, len);
        if (!unordered) {
            deliverReadyOrdered(streamId);
        }
    }

    private boolean isReceived(int tsn) {
        int offset = tsn - cumTsn;
        if (offset <= 0 || offset >= WINDOW) {
            return false;
        }
        int bit = tsn & MASK;
        return (received[bit >>> 6] & 1L << bit) != 0;
    }

    private void markReceived(int tsn) {
        int bit = tsn & MASK;
        received[bit >>> 6] |= 1L << bit;
        if (SctpBytes.tsnBefore(highestTsn, tsn)) {
            highestTsn = tsn;
        }
        advanceCumulative();
    }

    private void advanceCumulative() {
        int bit = cumTsn + 1 & MASK;
        while ((received[bit >>> 6] & 1L << bit) != 0) {
            received[bit >>> 6] &= ~(1L << bit);
            cumTsn++;
            bit = cumTsn + 1 & MASK;
        }
        advanceBase();
    }

    private void advanceBase() {
        while (SctpBytes.tsnBefore(baseTsn, cumTsn + 1) && stored[baseTsn & MASK] == null) {
            baseTsn++;
        }
        if (storedCount == 0) {
            baseTsn = cumTsn + 1;
        }
    }

    private void recordDuplicate(int tsn) {
        counters.duplicateTsns++;
        if (duplicateCount < MAX_DUPLICATES) {
            duplicates[duplicateCount++] = tsn;
        }
        sackNow = true;
    }

    /**
     * Delivers the message the chunk at {@code tsn} belongs to if it is complete and its turn has come.
     *
     * @return {@code false} when the message being assembled exceeds the message size bound
     */
    private boolean tryDeliver(int tsn) {
        InboundChunk chunk = stored[tsn & MASK];
        int first = tsn;
        long size = chunk.length;
        while (!stored[first & MASK].beginning) {
            InboundChunk before = first == baseTsn ? null : stored[first - 1 & MASK];
            if (before == null || before.end || before.streamId != chunk.streamId) {
                return true;
            }
            first--;
            size += before.length;
        }
        int last = tsn;
        while (!stored[last & MASK].end) {
            InboundChunk after = last == highestTsn ? null : stored[last + 1 & MASK];
            if (after == null || after.beginning || after.streamId != chunk.streamId) {
                return size <= maxMessageBytes || oversized();
            }
            last++;
            size += after.length;
        }
        if (size > maxMessageBytes) {
            return oversized();
        }
        InboundChunk head = stored[first & MASK];
        if (head.unordered) {
            deliverStored(first, last, (int) size);
        } else if (head.ssn == nextSsn[head.streamId]) {
            int streamId = head.streamId;
            deliverStored(first, last, (int) size);
            deliverReadyOrdered(streamId);
        }
        return true;
    }

    private boolean oversized() {
        counters.oversizedMessages++;
        return false;
    }

    /** Delivers the stored chunks first..last (one message) and frees them. */
    private void deliverStored(int first, int last, int size) {
        InboundChunk head = stored[first & MASK];
        if (!head.unordered) {
            nextSsn[head.streamId] = head.ssn + 1 & 0xFFFF;
        }
        int streamId = head.streamId;
        int ppid = head.ppid;
        boolean unordered = head.unordered;
        if (first == last) {
            listener.onMessage(streamId, ppid, unordered, head.data, 0, head.length);
        } else {
            if (assembly.length < size) {
                assembly = new byte[Math.max(size, Math.min(maxMessageBytes, assembly.length * 2))];
            }
            int at = 0;
            for (int t = first; t != last + 1; t++) {
                InboundChunk chunk = stored[t & MASK];
                System.arraycopy(chunk.data, 0, assembly, at, chunk.length);
                at += chunk.length;
            }
            listener.onMessage(streamId, ppid, unordered, assembly, 0, size);
        }
        for (int t = first; t != last + 1; t++) {
            release(t);
        }
        advanceBase();
    }

    private void release(int tsn) {
        InboundChunk chunk = stored[tsn & MASK];
        stored[tsn & MASK] = null;
        storedCount--;
        if (!chunk.unordered) {
            storedOrdered[chunk.streamId]--;
        }
        storedBytes -= BlockPool.footprint(chunk.length);
        pool.give(chunk.data);
        chunk.data = null;
        spare[spareCount++] = chunk;
    }

    /**
     * Delivers the stream's kept messages while the next one in sequence is complete, in one pass: a stream's
     * later sequence numbers come with later TSNs.
     */
    private void deliverReadyOrdered(int streamId) {
        for (int t = baseTsn; storedOrdered[streamId] > 0 && !SctpBytes.tsnBefore(highestTsn, t); t++) {
            InboundChunk chunk = stored[t & MASK];
            if (chunk == null || !chunk.beginning || chunk.unordered || chunk.streamId != streamId
                || chunk.ssn != nextSsn[streamId]) {
                continue;
            }
            int last = completeFrom(t);
            if (last == t - 1) {
                return;
            }
            deliverStored(t, last, sizeOf(t, last));
            t = last;
        }
    }

    /** The last TSN of the complete message starting at {@code first}, or first - 1 when it is incomplete. */
    private int completeFrom(int first) {
        InboundChunk head = stored[first & MASK];
        int last = first;
        while (!stored[last & MASK].end) {
            InboundChunk after = last == highestTsn ? null : stored[last + 1 & MASK];
            if (after == null || after.beginning || after.streamId != head.streamId) {
                return first - 1;
            }
            last++;
        }
        return last;
    }

    private int sizeOf(int first, int last) {
        int size = 0;
        for (int t = first; t != last + 1; t++) {
            size += stored[t & MASK].length;
        }
        return size;
    }

    /**
     * Reads a FORWARD TSN (RFC 3758 §3.6): everything up to the new cumulative TSN counts as received; kept parts
     * of abandoned messages are dropped, and ordered streams skip the abandoned sequence numbers.
     */
    void onForwardTsn(byte[] buf, int at, int valueLength) {
        if (valueLength < 4 || (valueLength & 3) != 0) {
            counters.malformedChunks++;
            return;
        }
        int newCum = SctpBytes.i32(buf, at);
        sackNow = true;
        if (!SctpBytes.tsnBefore(cumTsn, newCum)) {
            return;
        }
        for (int p = at + 4; p < at + valueLength; p += 4) {
            int streamId = SctpBytes.u16(buf, p);
            int ssn = SctpBytes.u16(buf, p + 2);
            if (streamId < nextSsn.length && !SctpBytes.ssnBefore(ssn, nextSsn[streamId])) {
                nextSsn[streamId] = ssn + 1 & 0xFFFF;
            }
        }
        int until = SctpBytes.tsnBefore(newCum, highestTsn) ? newCum : highestTsn;
        for (int t = baseTsn; !SctpBytes.tsnBefore(until, t); t++) {
            InboundChunk chunk = stored[t & MASK];
            if (chunk == null) {
                continue;
            }
            int last = chunk.beginning ? completeFrom(t) : t - 1;
            if (last == t - 1) {
                release(t);
            } else if (chunk.unordered || chunk.ssn == nextSsn[chunk.streamId]) {
                int streamId = chunk.streamId;
                boolean ordered = !chunk.unordered;
                deliverStored(t, last, sizeOf(t, last));
                if (ordered) {
                    deliverReadyOrdered(streamId);
                }
                t = last;
            } else if (SctpBytes.ssnBefore(chunk.ssn, nextSsn[chunk.streamId])) {
                for (int d = t; d != last + 1; d++) {
                    release(d);
                }
                t = last;
            }
        }
        // what is still kept up to the new cumulative TSN never will be delivered (the sender skipped what came
        // before it); dropping it keeps every kept chunk above the cumulative TSN, within the window
        for (int t = baseTsn; storedCount > 0 && !SctpBytes.tsnBefore(until, t); t++) {
            if (stored[t & MASK] != null) {
                release(t);
                counters.droppedChunksSkipped++;
            }
        }
        if (newCum - cumTsn >= WINDOW) {
            java.util.Arrays.fill(received, 0L);
        } else {
            for (int t = cumTsn + 1; t != newCum + 1; t++) {
                received[(t & MASK) >>> 6] &= ~(1L << (t & MASK));
            }
        }
        cumTsn = newCum;
        if (SctpBytes.tsnBefore(highestTsn, cumTsn)) {
            highestTsn = cumTsn;
        }
        baseTsn = cumTsn + 1;
        advanceCumulative();
        for (int p = at + 4; p < at + valueLength; p += 4) {
            int streamId = SctpBytes.u16(buf, p);
            if (streamId < nextSsn.length) {
                deliverReadyOrdered(streamId);
            }
        }
    }

    /** Called once per received packet that carried DATA (§6.2: a SACK for every second packet, or soon). */
    void onPacketWithData(long nowNanos, long delayedAckNanos) {
        if (++packetsSinceSack >= 2 || highestTsn != cumTsn) {
            sackNow = true;
        } else if (sackDeadline == SctpSender.NO_DEADLINE) {
            sackDeadline = nowNanos + delayedAckNanos;
        }
    }

    /** Whether a SACK is owed now (a second packet, a gap, a duplicate, or the delay has run out). */
    boolean sackDue(long nowNanos) {
        return sackNow || sackDeadline != SctpSender.NO_DEADLINE && nowNanos - sackDeadline >= 0;
    }

    /** Whether any received packet is still unacknowledged (a SACK may then ride along with DATA). */
    boolean sackPending() {
        return sackNow || sackDeadline != SctpSender.NO_DEADLINE;
    }

    long sackDeadline() {
        return sackNow ? Long.MIN_VALUE : sackDeadline;
    }

    /** Writes a SACK (RFC 9260 §3.3.4): the cumulative TSN, our window, gap blocks and duplicates. */
    void writeSack(SctpPacketWriter writer) {
        int blocks = 0;
        int[] starts = gapStarts;
        int[] ends = gapEnds;
        if (highestTsn != cumTsn) {
            int runStart = -1;
            int span = highestTsn - cumTsn;
            for (int offset = 1; offset <= span && blocks < MAX_GAP_BLOCKS; offset++) {
                int bit = cumTsn + offset & MASK;
                boolean set = (received[bit >>> 6] & 1L << bit) != 0;
                if (set && runStart < 0) {
                    runStart = offset;
                } else if (!set && runStart >= 0) {
                    starts[blocks] = runStart;
                    ends[blocks++] = offset - 1;
                    runStart = -1;
                }
            }
            if (runStart >= 0 && blocks < MAX_GAP_BLOCKS) {
                starts[blocks] = runStart;
                ends[blocks++] = span;
            }
        }
        int at = writer.chunk(SctpPacket.SACK, 0, 12 + 4 * blocks + 4 * duplicateCount);
        byte[] out = writer.array();
        SctpBytes.put32(out, at, cumTsn);
        SctpBytes.put32(out, at + 4, (int) Math.min(window(), 0xFFFFFFFFL));
        SctpBytes.put16(out, at + 8, blocks);
        SctpBytes.put16(out, at + 10, duplicateCount);
        int p = at + 12;
        for (int b = 0; b < blocks; b++, p += 4) {
            SctpBytes.put16(out, p, starts[b]);
            SctpBytes.put16(out, p + 2, ends[b]);
        }
        for (int d = 0; d < duplicateCount; d++, p += 4) {
            SctpBytes.put32(out, p, duplicates[d]);
        }
        duplicateCount = 0;
        packetsSinceSack = 0;
        sackNow = false;
        sackDeadline = SctpSender.NO_DEADLINE;
    }

    private final int[] gapStarts = new int[MAX_GAP_BLOCKS];
    private final int[] gapEnds = new int[MAX_GAP_BLOCKS];

    /** Frees everything kept (the association ended). */
    void clear() {
        for (int t = baseTsn; storedCount > 0 && !SctpBytes.tsnBefore(highestTsn, t); t++) {
            if (stored[t & MASK] != null) {
                release(t);
            }
        }
    }
}
