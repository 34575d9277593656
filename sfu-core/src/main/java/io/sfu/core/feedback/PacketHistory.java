package io.sfu.core.feedback;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The last packets of one RTP stream, copied into preallocated memory and indexed by sequence number, so that a
 * NACK (RFC 4585 §6.2.1) can be answered with a retransmission.
 *
 * <p>What to store: keep one history per producer stream holding the publisher's original packet after SRTP
 * decryption and before any per-subscriber rewrite. Every subscriber then shares the one copy; to answer a
 * subscriber's NACK, map its sequence number back to the producer's, copy the packet out and run the same rewrite
 * (sequence number, timestamp, SSRC, picture id, or RTX wrapping) and encryption as on the forwarding path. The
 * other choice, a history of rewritten packets per subscriber, costs memory times the number of subscribers for
 * the same bytes.
 *
 * <p>A packet is found while it is among the last {@code capacity} stored and younger than {@code maxAgeNs}.
 * Memory: capacity × maxPacketBytes bytes, allocated once (512 × 1500 ≈ 750 KiB for a video stream).
 */
public final class PacketHistory {
    public static final int DEFAULT_VIDEO_CAPACITY = 512;
    public static final int DEFAULT_AUDIO_CAPACITY = 128;
    /** Room for a full Ethernet-MTU RTP packet. */
    public static final int DEFAULT_MAX_PACKET_BYTES = 1500;
    public static final long DEFAULT_MAX_AGE_NS = 1_000_000_000L;
    /** Returned by {@code copyOut} when the packet is not (or no longer) available. */
    public static final int ABSENT = -1;

    private static final int NO_SEQUENCE = -1;
    private static final int SEQ_MASK = 0xFFFF;

    private final int capacity;
    private final int mask;
    private final int maxPacketBytes;
    private final long maxAgeNs;
    private final byte[] storage;
    private final UnsafeBuffer storageBuffer;
    private final int[] sequenceAt;
    private final int[] lengthAt;
    private final long[] storedAtNs;

    private boolean started;
    private int highest;

    private long storedCount;
    private long rejectedCount;
    private long hitCount;
    private long missCount;

    /** A history for {@code capacity} packets of up to 1500 bytes, kept for up to one second. */
    public PacketHistory(int capacity) {
        this(capacity, DEFAULT_MAX_PACKET_BYTES, DEFAULT_MAX_AGE_NS);
    }

    /**
     * @param capacity packets kept: a power of two, at most 32768
     * @param maxPacketBytes the largest packet stored; larger ones are refused
     * @param maxAgeNs packets older than this are no longer returned (a retransmission that late is useless)
     */
    public PacketHistory(int capacity, int maxPacketBytes, long maxAgeNs) {
        SequenceRings.requireCapacity(capacity, 1);
        if (maxPacketBytes < 1 || (long) maxPacketBytes * capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxPacketBytes must be positive and capacity × maxPacketBytes "
                + "must fit one array: " + maxPacketBytes);
        }
        if (maxAgeNs <= 0) {
            throw new IllegalArgumentException("maxAgeNs must be positive: " + maxAgeNs);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxPacketBytes = maxPacketBytes;
        this.maxAgeNs = maxAgeNs;
        this.storage = new byte[capacity * maxPacketBytes];
        this.storageBuffer = new UnsafeBuffer(storage);
        this.sequenceAt = new int[capacity];
        this.lengthAt = new int[capacity];
        this.storedAtNs = new long[capacity];
        Arrays.fill(sequenceAt, NO_SEQUENCE);
    }

    /**
     * Copies a packet into the history.
     *
     * @return false (and nothing stored) when the packet is empty or longer than {@code maxPacketBytes}, or so far
     *     behind the newest stored packet that it would evict a newer one
     * @throws IndexOutOfBoundsException when the range lies outside {@code packet} (a caller error)
     */
    public boolean store(int sequenceNumber, DirectBuffer packet, int offset, int length, long nowNs) {
        checkSource(offset, length, packet.capacity());
        int slot = claim(sequenceNumber, length, nowNs);
        if (slot < 0) {
            return false;
        }
        packet.getBytes(offset, storage, slot * maxPacketBytes, length);
        return true;
    }

    /** As {@link #store(int, DirectBuffer, int, int, long)}, from a byte array. */
    public boolean store(int sequenceNumber, byte[] packet, int offset, int length, long nowNs) {
        checkSource(offset, length, packet.length);
        int slot = claim(sequenceNumber, length, nowNs);
        if (slot < 0) {
            return false;
        }
        System.arraycopy(packet, offset, storage, slot * maxPacketBytes, length);
        return true;
    }

    private static void checkSource(int offset, int length, int capacity) {
        if (offset < 0 || length < 0 || offset > capacity - length) {
            throw new IndexOutOfBoundsException("packet range " + offset + "+" + length + " outside " + capacity);
        }
    }

    /** Returns the slot to copy a packet into, with its metadata already set, or -1 when it is refused. */
    private int claim(int sequenceNumber, int length, long nowNs) {
        int seq = sequenceNumber & SEQ_MASK;
        if (length <= 0 || length > maxPacketBytes) {
            rejectedCount++;
            return -1;
        }
        if (!started) {
            started = true;
            highest = seq;
        } else {
            int diff = (short) (seq - highest);
            if (diff > 0) {
                highest = seq;
            } else if (-diff >= capacity) {
                rejectedCount++;
                return -1;
            }
        }
        int slot = seq & mask;
        sequenceAt[slot] = seq;
        lengthAt[slot] = length;
        storedAtNs[slot] = nowNs;
        storedCount++;
        return slot;
    }

    /**
     * Copies the packet with {@code sequenceNumber} to {@code destination} at {@code destinationOffset}.
     *
     * @return its length, or {@link #ABSENT} when it was never stored, was evicted or is older than maxAgeNs
     * @throws IndexOutOfBoundsException when the destination cannot hold the packet (a caller error: give it room
     *     for {@code maxPacketBytes})
     */
    public int copyOut(int sequenceNumber, long nowNs, MutableDirectBuffer destination, int destinationOffset) {
        int slot = find(sequenceNumber, nowNs);
        if (slot < 0) {
            return ABSENT;
        }
        int length = lengthAt[slot];
        destination.putBytes(destinationOffset, storageBuffer, slot * maxPacketBytes, length);
        return length;
    }

    /** As {@link #copyOut(int, long, MutableDirectBuffer, int)}, into a byte array. */
    public int copyOut(int sequenceNumber, long nowNs, byte[] destination, int destinationOffset) {
        int slot = find(sequenceNumber, nowNs);
        if (slot < 0) {
            return ABSENT;
        }
        int length = lengthAt[slot];
        System.arraycopy(storage, slot * maxPacketBytes, destination, destinationOffset, length);
        return length;
    }

    /** Whether {@code copyOut} would find the packet now. */
    public boolean contains(int sequenceNumber, long nowNs) {
        int seq = sequenceNumber & SEQ_MASK;
        int slot = seq & mask;
        return sequenceAt[slot] == seq && nowNs - storedAtNs[slot] <= maxAgeNs;
    }

    private int find(int sequenceNumber, long nowNs) {
        if (!contains(sequenceNumber, nowNs)) {
            missCount++;
            return -1;
        }
        hitCount++;
        return sequenceNumber & mask;
    }

    /** Empties the history (e.g. when the stream's SSRC changes). */
    public void clear() {
        Arrays.fill(sequenceAt, NO_SEQUENCE);
        started = false;
    }

    public int capacity() {
        return capacity;
    }

    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    /** Packets stored so far. */
    public long storedCount() {
        return storedCount;
    }

    /** Packets refused: empty, too large, or too far behind. */
    public long rejectedCount() {
        return rejectedCount;
    }

    /** Lookups answered with a packet. */
    public long hitCount() {
        return hitCount;
    }

    /** Lookups that found nothing: never stored, evicted or too old. */
    public long missCount() {
        return missCount;
    }
}
