package io.sfu.core.sctp;

/**
 * The sending half of an association: fragments queued messages into DATA chunks (RFC 9260 §6.9), assigns TSNs
 * and stream sequence numbers on first transmission, keeps them in flight until a SACK acknowledges them, and
 * retransmits on the T3-rtx timer or after three miss indications (§6.3, §7.2.4) within the congestion window
 * (§7.2) and the peer's receive window. Partially reliable messages (RFC 3758) are abandoned past their
 * retransmission count or lifetime, and the peer is told with FORWARD TSN.
 */
final class SctpSender {
    static final int DATA_HEADER = 12;
    /** Payload of a full fragment: a packet with one DATA chunk and nothing else. */
    static final int FRAGMENT = SctpPacketWriter.MAX_PACKET - SctpPacket.HEADER_LENGTH
        - SctpPacket.CHUNK_HEADER_LENGTH - DATA_HEADER;
    static final int MTU = SctpPacketWriter.MAX_PACKET;
    /** Chunks in flight at most: a receiver tracks a bounded TSN window (ours: {@link SctpReceiver#WINDOW}). */
    static final int MAX_IN_FLIGHT_CHUNKS = SctpReceiver.WINDOW;
    /** Gap ack blocks of one SACK that we read; more are ignored (and counted). */
    static final int MAX_GAP_BLOCKS = 128;
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final BlockPool pool;
    private final SctpCounters counters;
    private final RtoEstimator rto;
    private final long maxBufferedBytes;
    private final int maxChunks;
    private final ChunkRing pending = new ChunkRing();
    private final ChunkRing inflight = new ChunkRing();
    private final ChunkRing spare = new ChunkRing();

    private int[] nextSsn = new int[0];
    private long[] streamBufferedBytes = new long[0];
    private int nextTsn;
    private int cumAckTsn;
    private int advancedPeerAckPoint;
    private int messageSsn;
    private long bufferedBytes;
    private long outstandingBytes;
    private long cwnd = Math.min(4L * MTU, Math.max(2L * MTU, 4380));
    private long ssthresh;
    private long partialBytesAcked;
    private long peerRwnd;
    private boolean inFastRecovery;
    private int fastRecoveryExitTsn;
    private long t3Deadline = NO_DEADLINE;
    private boolean forwardTsnDue;

    SctpSender(BlockPool pool, SctpCounters counters, RtoEstimator rto, long maxBufferedBytes) {
        this.pool = pool;
        this.counters = counters;
        this.rto = rto;
        this.maxBufferedBytes = maxBufferedBytes;
        this.maxChunks = (int) Math.min(1 << 20, Math.max(64, maxBufferedBytes / BlockPool.SMALL));
    }

    /** Starts the association's sending state: our initial TSN, the peer's a_rwnd, the outbound stream count. */
    void start(int initialTsn, long peerInitialRwnd, int outboundStreams) {
        nextTsn = initialTsn;
        cumAckTsn = initialTsn - 1;
        advancedPeerAckPoint = cumAckTsn;
        peerRwnd = peerInitialRwnd;
        ssthresh = peerInitialRwnd;
        nextSsn = new int[outboundStreams];
        streamBufferedBytes = new long[outboundStreams];
    }

    int outboundStreams() {
        return nextSsn.length;
    }

    /**
     * Queues one message, split into fragments; copies the bytes.
     *
     * @return {@code false} when it does not fit the send buffer (nothing queued)
     */
    boolean enqueue(int streamId, int ppid, boolean unordered, byte[] buf, int off, int len, int maxRetransmits,
                    long lifetimeNanos, long nowNanos) {
        int fragments = Math.max(1, (len + FRAGMENT - 1) / FRAGMENT);
        if (bufferedBytes + len > maxBufferedBytes || pending.size() + inflight.size() + fragments > maxChunks) {
            return false;
        }
        long expires = lifetimeNanos < 0 ? Long.MAX_VALUE : nowNanos + lifetimeNanos;
        for (int i = 0; i < fragments; i++) {
            int from = i * FRAGMENT;
            int length = Math.min(FRAGMENT, len - from);
            OutboundChunk chunk = spare.isEmpty() ? new OutboundChunk() : spare.removeFirst();
            chunk.data = pool.take(length);
            System.arraycopy(buf, off + from, chunk.data, 0, length);
            chunk.length = length;
            chunk.streamId = streamId;
            chunk.ppid = ppid;
            chunk.unordered = unordered;
            chunk.beginning = i == 0;
            chunk.end = i == fragments - 1;
            chunk.maxRetransmits = maxRetransmits;
            chunk.expiresAtNanos = expires;
            pending.addLast(chunk);
        }
        bufferedBytes += len;
        streamBufferedBytes[streamId] += len;
        return true;
    }

    long bufferedBytes() {
        return bufferedBytes;
    }

    long bufferedBytes(int streamId) {
        return streamId < streamBufferedBytes.length ? streamBufferedBytes[streamId] : 0;
    }

    boolean hasQueuedOrInFlight() {
        return !pending.isEmpty() || !inflight.isEmpty();
    }

    boolean hasPending(int streamId) {
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).streamId == streamId) {
                return true;
            }
        }
        return false;
    }

    /** The TSN last given to a chunk (RFC 6525 §4.1 Sender's Last Assigned TSN). */
    int lastAssignedTsn() {
        return nextTsn - 1;
    }

    int cumulativeAckTsn() {
        return cumAckTsn;
    }

    /** RFC 6525 §5.1.2: after an outgoing reset, the stream's sequence numbers start again at 0. */
    void resetStream(int streamId) {
        if (streamId < nextSsn.length) {
            nextSsn[streamId] = 0;
        }
    }

    long t3Deadline() {
        return t3Deadline;
    }

    boolean forwardTsnDue() {
        return forwardTsnDue;
    }

    long cwnd() {
        return cwnd;
    }

    long outstandingBytes() {
        return outstandingBytes;
    }

    /** Whether {@link #writeData} would write anything now. */
    boolean canSend() {
        return !pending.isEmpty() && windowAllows(pending.first().length) && inflight.size() < MAX_IN_FLIGHT_CHUNKS
            || hasRetransmissions();
    }

    private boolean hasRetransmissions() {
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.get(i).needsRetransmit) {
                return true;
            }
        }
        return false;
    }

    private boolean windowAllows(int length) {
        // an empty flight always lets one chunk out: it probes a zero window (§6.1 rule A) and restarts after T3
        return outstandingBytes == 0 || outstandingBytes + length <= cwnd && length <= peerRwnd;
    }

    /** Writes retransmissions first, then new chunks, as far as the windows allow. */
    void writeData(SctpPacketWriter writer, long nowNanos) {
        for (int i = 0; i < inflight.size(); i++) {
            OutboundChunk chunk = inflight.get(i);
            if (!chunk.needsRetransmit) {
                continue;
            }
            if (expired(chunk, nowNanos)) {
                abandon(i);
                continue;
            }
            if (!windowAllows(chunk.length)) {
                break;
            }
            chunk.needsRetransmit = false;
            counters.retransmittedChunks++;
            transmit(writer, chunk, nowNanos);
        }
        while (!pending.isEmpty()) {
            OutboundChunk chunk = pending.first();
            if (chunk.beginning && nowNanos - chunk.expiresAtNanos >= 0 && chunk.expiresAtNanos != Long.MAX_VALUE) {
                dropPendingMessage();
                continue;
            }
            if (!windowAllows(chunk.length) || inflight.size() >= MAX_IN_FLIGHT_CHUNKS) {
                break;
            }
            pending.removeFirst();
            chunk.tsn = nextTsn++;
            if (chunk.beginning) {
                messageSsn = chunk.unordered ? 0 : nextSsn[chunk.streamId]++ & 0xFFFF;
            }
            chunk.ssn = messageSsn;
            inflight.addLast(chunk);
            transmit(writer, chunk, nowNanos);
        }
    }

    private boolean expired(OutboundChunk chunk, long nowNanos) {
        return chunk.maxRetransmits >= 0 && chunk.transmissions > chunk.maxRetransmits
            || chunk.expiresAtNanos != Long.MAX_VALUE && nowNanos - chunk.expiresAtNanos >= 0;
    }

    private void transmit(SctpPacketWriter writer, OutboundChunk chunk, long nowNanos) {
        int flags = (chunk.unordered ? 4 : 0) | (chunk.beginning ? 2 : 0) | (chunk.end ? 1 : 0);
        int at = writer.chunk(SctpPacket.DATA, flags, DATA_HEADER + chunk.length);
        byte[] out = writer.array();
        SctpBytes.put32(out, at, chunk.tsn);
        SctpBytes.put16(out, at + 4, chunk.streamId);
        SctpBytes.put16(out, at + 6, chunk.ssn);
        SctpBytes.put32(out, at + 8, chunk.ppid);
        System.arraycopy(chunk.data, 0, out, at + DATA_HEADER, chunk.length);
        chunk.transmissions++;
        chunk.sentAtNanos = nowNanos;
        outstandingBytes += chunk.length;
        peerRwnd = Math.max(0, peerRwnd - chunk.length);
        if (t3Deadline == NO_DEADLINE) {
            t3Deadline = nowNanos + rto.rtoNanos();
        }
    }

    /** A message whose first fragment is at the head of the queue expired before it was ever sent. */
    private void dropPendingMessage() {
        boolean end;
        do {
            OutboundChunk chunk = pending.removeFirst();
            end = chunk.end;
            release(chunk);
        } while (!end && !pending.isEmpty());
        counters.abandonedMessages++;
    }

    /** RFC 3758 §3.5 A2: abandons the message of the in-flight chunk at {@code index}, and its unsent rest. */
    private void abandon(int index) {
        int first = index;
        while (first > 0 && !inflight.get(first).beginning) {
            first--;
        }
        boolean end = false;
        for (int i = first; i < inflight.size() && !end; i++) {
            OutboundChunk chunk = inflight.get(i);
            end = chunk.end;
            if (!chunk.abandoned) {
                if (!chunk.acked && !chunk.needsRetransmit) {
                    outstandingBytes -= chunk.length;
                }
                chunk.abandoned = true;
                chunk.needsRetransmit = false;
                freePayload(chunk);
            }
        }
        while (!end && !pending.isEmpty()) {
            OutboundChunk chunk = pending.removeFirst();
            end = chunk.end;
            release(chunk);
        }
        counters.abandonedMessages++;
        forwardTsnDue = true;
    }

    private void freePayload(OutboundChunk chunk) {
        if (chunk.data != null) {
            bufferedBytes -= chunk.length;
            if (chunk.streamId < streamBufferedBytes.length) {
                streamBufferedBytes[chunk.streamId] -= chunk.length;
            }
            pool.give(chunk.data);
            chunk.data = null;
        }
    }

    private void release(OutboundChunk chunk) {
        freePayload(chunk);
        chunk.clear();
        spare.addLast(chunk);
    }

    /**
     * Reads one SACK chunk (RFC 9260 §3.3.4, §6.2.1) whose value starts at {@code at}.
     *
     * @return {@code true} when it acknowledged new data (the association's error count restarts)
     */
    boolean onSack(byte[] buf, int at, int valueLength, long nowNanos) {
        if (valueLength < 12) {
            counters.malformedChunks++;
            return false;
        }
        int cumAck = SctpBytes.i32(buf, at);
        long aRwnd = SctpBytes.u32(buf, at + 4);
        int gapBlocks = SctpBytes.u16(buf, at + 8);
        int duplicates = SctpBytes.u16(buf, at + 10);
        if (12 + 4 * (gapBlocks + duplicates) > valueLength) {
            counters.malformedChunks++;
            return false;
        }
        if (SctpBytes.tsnBefore(cumAck, cumAckTsn) || SctpBytes.tsnBefore(nextTsn - 1, cumAck)) {
            // stale (reordered) or acknowledging what we never sent
            counters.ignoredSacks++;
            return false;
        }
        long bytesAcked = 0;
        long rttSample = -1;
        boolean cumAdvanced = cumAck != cumAckTsn;
        while (!inflight.isEmpty() && !SctpBytes.tsnBefore(cumAck, inflight.first().tsn)) {
            OutboundChunk chunk = inflight.removeFirst();
            if (!chunk.acked && !chunk.abandoned) {
                bytesAcked += chunk.length;
                if (!chunk.needsRetransmit) {
                    outstandingBytes -= chunk.length;
                }
                if (chunk.transmissions == 1) {
                    rttSample = nowNanos - chunk.sentAtNanos;
                }
            }
            release(chunk);
        }
        cumAckTsn = cumAck;
        if (SctpBytes.tsnBefore(advancedPeerAckPoint, cumAckTsn)) {
            advancedPeerAckPoint = cumAckTsn;
        }
        int highestNewlyAcked = cumAck;
        boolean gapAcked = false;
        int blocks = Math.min(gapBlocks, MAX_GAP_BLOCKS);
        if (blocks < gapBlocks) {
            counters.ignoredGapBlocks += gapBlocks - blocks;
        }
        int previousEnd = 0;
        for (int b = 0; b < blocks; b++) {
            int start = SctpBytes.u16(buf, at + 12 + 4 * b);
            int end = SctpBytes.u16(buf, at + 14 + 4 * b);
            // §3.3.4: blocks ascend without overlap, so one SACK visits each chunk in flight at most once
            if (start <= previousEnd || end < start) {
                counters.ignoredGapBlocks++;
                continue;
            }
            previousEnd = end;
            int last = Math.min(end, inflight.size());
            for (int offset = start; offset <= last; offset++) {
                OutboundChunk chunk = inflight.get(offset - 1);
                if (!chunk.acked && !chunk.abandoned) {
                    chunk.acked = true;
                    bytesAcked += chunk.length;
                    if (!chunk.needsRetransmit) {
                        outstandingBytes -= chunk.length;
                    }
                    chunk.needsRetransmit = false;
                    if (chunk.transmissions == 1) {
                        rttSample = nowNanos - chunk.sentAtNanos;
                    }
                    freePayload(chunk);
                    highestNewlyAcked = chunk.tsn;
                    gapAcked = true;
                }
            }
        }
        if (rttSample >= 0) {
            rto.sample(rttSample);
        }
        if (inFastRecovery && !SctpBytes.tsnBefore(cumAckTsn, fastRecoveryExitTsn)) {
            inFastRecovery = false;
        }
        if (gapAcked) {
            countMissIndications(highestNewlyAcked);
        }
        if (cumAdvanced && !inFastRecovery) {
            growWindow(bytesAcked);
        }
        peerRwnd = Math.max(0, aRwnd - outstandingBytes);
        advancePeerAckPoint();
        if (outstandingBytes == 0 && !forwardTsnDue && !hasRetransmissions()) {
            t3Deadline = NO_DEADLINE;
        } else if (cumAdvanced) {
            t3Deadline = nowNanos + rto.rtoNanos();
        }
        return bytesAcked > 0;
    }

    /** A cumulative TSN ack without gap blocks or window (from SHUTDOWN, §3.3.8): read as a SACK with the last window. */
    void onCumulativeAck(int cumAck, long nowNanos) {
        SctpBytes.put32(sackScratch, 0, cumAck);
        SctpBytes.put32(sackScratch, 4, (int) Math.min(0xFFFFFFFFL, peerRwnd + outstandingBytes));
        onSack(sackScratch, 0, sackScratch.length, nowNanos);
    }

    private final byte[] sackScratch = new byte[12];

    /** §7.2.4: a chunk reported missing by three SACKs is retransmitted at once, and the window halved once. */
    private void countMissIndications(int highestNewlyAcked) {
        for (int i = 0; i < inflight.size(); i++) {
            OutboundChunk chunk = inflight.get(i);
            if (!SctpBytes.tsnBefore(chunk.tsn, highestNewlyAcked)) {
                break;
            }
            if (chunk.acked || chunk.abandoned || chunk.needsRetransmit || chunk.fastRetransmitted) {
                continue;
            }
            if (++chunk.missIndications >= 3) {
                counters.fastRetransmits++;
                chunk.fastRetransmitted = true;
                chunk.needsRetransmit = true;
                outstandingBytes -= chunk.length;
                if (!inFastRecovery) {
                    inFastRecovery = true;
                    fastRecoveryExitTsn = nextTsn - 1;
                    ssthresh = Math.max(cwnd / 2, 4L * MTU);
                    cwnd = ssthresh;
                    partialBytesAcked = 0;
                }
            }
        }
    }

    /** §7.2.1 slow start and §7.2.2 congestion avoidance. */
    private void growWindow(long bytesAcked) {
        if (cwnd <= ssthresh) {
            cwnd += Math.min(bytesAcked, MTU);
        } else {
            partialBytesAcked += bytesAcked;
            if (partialBytesAcked >= cwnd) {
                partialBytesAcked -= cwnd;
                cwnd += MTU;
            }
        }
    }

    /** RFC 3758 §3.5 C1: moves past abandoned (and already received) chunks following the cumulative ack. */
    private void advancePeerAckPoint() {
        boolean any = false;
        for (int i = 0; i < inflight.size(); i++) {
            OutboundChunk chunk = inflight.get(i);
            if (chunk.abandoned) {
                any = true;
                advancedPeerAckPoint = chunk.tsn;
            } else if (!chunk.acked) {
                break;
            }
        }
        forwardTsnDue = any && SctpBytes.tsnBefore(cumAckTsn, advancedPeerAckPoint);
    }

    /**
     * The T3-rtx timer expired (§6.3.3): halve ssthresh, shrink the window to one packet, back off the RTO and
     * mark every unacknowledged chunk for retransmission.
     *
     * @return {@code true} when the expiry counts as an error toward Association.Max.Retrans
     */
    boolean onT3Expired(long nowNanos) {
        if (t3Deadline == NO_DEADLINE || nowNanos - t3Deadline < 0) {
            return false;
        }
        t3Deadline = NO_DEADLINE;
        if (inflight.isEmpty()) {
            return false;
        }
        counters.t3Expirations++;
        ssthresh = Math.max(cwnd / 2, 4L * MTU);
        cwnd = MTU;
        partialBytesAcked = 0;
        inFastRecovery = false;
        rto.backOff();
        for (int i = 0; i < inflight.size(); i++) {
            OutboundChunk chunk = inflight.get(i);
            if (chunk.acked || chunk.abandoned || chunk.needsRetransmit) {
                continue;
            }
            chunk.needsRetransmit = true;
            outstandingBytes -= chunk.length;
        }
        for (int i = 0; i < inflight.size(); i++) {
            OutboundChunk chunk = inflight.get(i);
            if (chunk.needsRetransmit && expired(chunk, nowNanos)) {
                abandon(i);
            }
        }
        advancePeerAckPoint();
        return true;
    }

    /**
     * Writes a FORWARD TSN chunk (RFC 3758 §3.2) to the advanced peer ack point, with the highest abandoned SSN of
     * each ordered stream it skips.
     */
    void writeForwardTsn(SctpPacketWriter writer, long nowNanos) {
        int pairs = 0;
        int maxPairs = (SctpPacketWriter.MAX_PACKET - SctpPacket.HEADER_LENGTH - 8) / 4 - 1;
        // two passes: count distinct streams, then write; abandoned ordered chunks are few
        int[] streams = pairScratch;
        for (int i = 0; i < inflight.size() && pairs < maxPairs; i++) {
            OutboundChunk chunk = inflight.get(i);
            if (SctpBytes.tsnBefore(advancedPeerAckPoint, chunk.tsn)) {
                break;
            }
            if (!chunk.abandoned || chunk.unordered) {
                continue;
            }
            int found = -1;
            for (int p = 0; p < pairs; p++) {
                if (streams[2 * p] == chunk.streamId) {
                    found = p;
                }
            }
            if (found < 0) {
                streams[2 * pairs] = chunk.streamId;
                streams[2 * pairs + 1] = chunk.ssn;
                pairs++;
            } else {
                streams[2 * found + 1] = chunk.ssn;
            }
        }
        int at = writer.chunk(SctpPacket.FORWARD_TSN, 0, 4 + 4 * pairs);
        byte[] out = writer.array();
        SctpBytes.put32(out, at, advancedPeerAckPoint);
        for (int p = 0; p < pairs; p++) {
            SctpBytes.put16(out, at + 4 + 4 * p, streams[2 * p]);
            SctpBytes.put16(out, at + 6 + 4 * p, streams[2 * p + 1]);
        }
        forwardTsnDue = false;
        counters.forwardTsnsSent++;
        if (t3Deadline == NO_DEADLINE) {
            // a lost FORWARD TSN is sent again when the timer expires
            t3Deadline = nowNanos + rto.rtoNanos();
        }
    }

    private final int[] pairScratch = new int[2 * SctpPacketWriter.MAX_PACKET / 4];

    /** Frees everything queued and in flight (the association ended). */
    void clear() {
        while (!pending.isEmpty()) {
            release(pending.removeFirst());
        }
        while (!inflight.isEmpty()) {
            release(inflight.removeFirst());
        }
        outstandingBytes = 0;
        t3Deadline = NO_DEADLINE;
    }
}
