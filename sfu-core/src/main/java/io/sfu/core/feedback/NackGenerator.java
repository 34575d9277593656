package io.sfu.core.feedback;

import java.util.Arrays;

/**
 * Decides which missing RTP packets of one incoming stream to request again with Generic NACK (RFC 4585 §6.2.1),
 * toward the publisher. Tracks gaps in a bounded window of sequence numbers, retries each at most a few times
 * and no sooner than a round trip after the last request, and gives up on packets that are too old.
 *
 * <p>Requests come out as ready-made FCI words, one per (PID, BLP) pair:
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            PID                |             BLP               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * where bit i (1 = least significant) of BLP asks for packet PID + i as well.
 *
 * <p>A forward jump of a window or more resets the state instead of marking thousands of packets lost; a
 * single packet far behind the window is ignored, and two in sequence there are taken as a sender restart.
 */
public final class NackGenerator {
    public static final int DEFAULT_CAPACITY = 512;
    public static final int DEFAULT_MAX_RETRIES = 10;
    public static final long DEFAULT_MAX_AGE_NS = 1_000_000_000L;
    public static final long DEFAULT_MIN_RETRY_INTERVAL_NS = 10_000_000L;
    public static final long DEFAULT_REORDER_DELAY_NS = 0;

    private static final long EMPTY = Long.MIN_VALUE;
    private static final int SEQ_MASK = 0xFFFF;

    private final int capacity;
    private final int mask;
    private final int maxRetries;
    private final long maxAgeNs;
    private final long minRetryIntervalNs;
    private final long reorderDelayNs;

    /** Extended sequence number of the missing packet held in each slot, or EMPTY. */
    private final long[] missingSeq;
    private final long[] missingSinceNs;
    private final long[] lastRequestNs;
    private final int[] requests;

    private boolean started;
    private long highest;
    private int restartCandidate = -1;
    /** No missing entry is older than this extended sequence number. */
    private long scanFrom;
    private int missingCount;

    private long requestedCount;
    private long recoveredCount;
    private long abandonedCount;
    private long resetCount;

    /** A generator with the documented defaults: 512 packets, 10 retries, 1 s, 10 ms retry floor, no delay. */
    public NackGenerator() {
        this(DEFAULT_CAPACITY, DEFAULT_MAX_RETRIES, DEFAULT_MAX_AGE_NS, DEFAULT_MIN_RETRY_INTERVAL_NS,
            DEFAULT_REORDER_DELAY_NS);
    }

    /**
     * @param capacity window of sequence numbers tracked (a power of two, at most 32768); a forward jump this
     *     large resets the state
     * @param maxRetries requests per missing packet before giving up on it
     * @param maxAgeNs a packet missing for longer than this is given up on (too late to be useful)
     * @param minRetryIntervalNs floor under the RTT between two requests for the same packet
     * @param reorderDelayNs wait before the first request for a gap, so that mere reordering is not requested
     */
    public NackGenerator(int capacity, int maxRetries, long maxAgeNs, long minRetryIntervalNs,
        long reorderDelayNs) {
        if (maxRetries < 1) {
            throw new IllegalArgumentException("maxRetries must be at least 1: " + maxRetries);
        }
        if (maxAgeNs <= 0) {
            throw new IllegalArgumentException("maxAgeNs must be positive: " + maxAgeNs);
        }
        if (minRetryIntervalNs < 0) {
            throw new IllegalArgumentException("minRetryIntervalNs must not be negative: " + minRetryIntervalNs);
        }
        if (reorderDelayNs < 0) {
            throw new IllegalArgumentException("reorderDelayNs must not be negative: " + reorderDelayNs);
        }
        this.capacity = SequenceRings.requireCapacity(capacity, 2);
        this.mask = capacity - 1;
        this.maxRetries = maxRetries;
        this.maxAgeNs = maxAgeNs;
        this.minRetryIntervalNs = minRetryIntervalNs;
        this.reorderDelayNs = reorderDelayNs;
        this.missingSeq = new long[capacity];
        this.missingSinceNs = new long[capacity];
        this.lastRequestNs = new long[capacity];
        this.requests = new int[capacity];
        Arrays.fill(missingSeq, EMPTY);
    }

    /**
     * Records a received packet (a retransmission included, once unwrapped to the original sequence number).
     *
     * @return true when the packet filled a gap that was being tracked
     */
    public boolean onPacket(int sequenceNumber, long nowNs) {
        int seq = sequenceNumber & SEQ_MASK;
        if (!started) {
            restart(seq);
            return false;
        }
        int diff = (short) (seq - (int) (highest & SEQ_MASK));
        if (diff > 0) {
            if (diff >= capacity) {
                resetCount++;
                restart(seq);
                return false;
            }
            for (long missing = highest + 1; missing < highest + diff; missing++) {
                markMissing(missing, nowNs);
            }
            highest += diff;
            forget(slot(highest));
            restartCandidate = -1;
            return false;
        }
        if (diff == 0) {
            return false;
        }
        if (-diff >= capacity) {
            if (seq == restartCandidate) {
                resetCount++;
                restart(seq);
            } else {
                restartCandidate = (seq + 1) & SEQ_MASK;
            }
            return false;
        }
        long extended = highest + diff;
        int slot = slot(extended);
        if (missingSeq[slot] != extended) {
            return false; // a duplicate, or a packet we had already given up on
        }
        missingSeq[slot] = EMPTY;
        missingCount--;
        recoveredCount++;
        return true;
    }

    /**
     * Writes the requests due at {@code nowNs} as FCI words {@code PID << 16 | BLP} into {@code fciWords} and marks
     * the packets in them as requested. Packets that do not fit stay due for the next call.
     *
     * @param rttNs current round-trip estimate; a packet is requested again only after this long (at least the
     *     configured floor)
     * @return the number of words written
     */
    public int collectRequests(long nowNs, long rttNs, int[] fciWords) {
        if (missingCount == 0) {
            scanFrom = highest;
            return 0;
        }
        long retryIntervalNs = Math.max(rttNs, minRetryIntervalNs);
        int words = 0;
        long wordPid = 0;
        long oldestRemaining = highest;
        long from = Math.max(scanFrom, highest - capacity + 1);
        for (long seq = from; seq < highest; seq++) {
            int slot = slot(seq);
            if (missingSeq[slot] != seq) {
                continue;
            }
            if (nowNs - missingSinceNs[slot] > maxAgeNs || requests[slot] >= maxRetries) {
                forget(slot);
                continue;
            }
            oldestRemaining = Math.min(oldestRemaining, seq);
            boolean due = requests[slot] == 0
                ? nowNs - missingSinceNs[slot] >= reorderDelayNs
                : nowNs - lastRequestNs[slot] >= retryIntervalNs;
            if (!due) {
                continue;
            }
            if (words > 0 && seq - wordPid <= 16) {
                fciWords[words - 1] |= 1 << (int) (seq - wordPid - 1);
            } else if (words < fciWords.length) {
                fciWords[words++] = (int) (seq & SEQ_MASK) << 16;
                wordPid = seq;
            } else {
                break;
            }
            requests[slot]++;
            lastRequestNs[slot] = nowNs;
            requestedCount++;
        }
        scanFrom = oldestRemaining;
        return words;
    }

    /** Forgets every missing packet, e.g. after a key frame made them useless or when the stream changes. */
    public void clear() {
        Arrays.fill(missingSeq, EMPTY);
        abandonedCount += missingCount;
        missingCount = 0;
        scanFrom = highest;
    }

    private void restart(int seq) {
        clear();
        started = true;
        highest = seq;
        scanFrom = seq;
        restartCandidate = -1;
    }

    private void markMissing(long seq, long nowNs) {
        int slot = slot(seq);
        forget(slot);
        missingSeq[slot] = seq;
        missingSinceNs[slot] = nowNs;
        lastRequestNs[slot] = nowNs;
        requests[slot] = 0;
        missingCount++;
    }

    /** Drops whatever missing packet the slot holds, counting it as given up on. */
    private void forget(int slot) {
        if (missingSeq[slot] != EMPTY) {
            missingSeq[slot] = EMPTY;
            missingCount--;
            abandonedCount++;
        }
    }

    private int slot(long seq) {
        return (int) seq & mask;
    }

    /** Packets currently missing and not given up on. */
    public int missingCount() {
        return missingCount;
    }

    /** The highest sequence number seen (16 bits), valid after the first packet. */
    public int highestSequence() {
        return (int) highest & SEQ_MASK;
    }

    /** Packet requests written so far, retries included. */
    public long requestedCount() {
        return requestedCount;
    }

    /** Missing packets that arrived later (reordered or retransmitted). */
    public long recoveredCount() {
        return recoveredCount;
    }

    /** Missing packets given up on: too many retries, too old, pushed out of the window, cleared or reset. */
    public long abandonedCount() {
        return abandonedCount;
    }

    /** Times the state was reset by a jump in sequence numbers. */
    public long resetCount() {
        return resetCount;
    }
}
