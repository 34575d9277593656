package io.sfu.core.rtcp;

import org.agrona.MutableDirectBuffer;

import static io.sfu.core.rtcp.RtcpHeader.ORDER;
import static io.sfu.core.rtcp.TransportCcFeedback.CHUNKS_OFFSET;
import static io.sfu.core.rtcp.TransportCcFeedback.DELTA_TICK_US;
import static io.sfu.core.rtcp.TransportCcFeedback.REFERENCE_TIME_TICK_US;
import static io.sfu.core.rtcp.TransportCcFeedback.STATUS_LARGE_DELTA;
import static io.sfu.core.rtcp.TransportCcFeedback.STATUS_NOT_RECEIVED;
import static io.sfu.core.rtcp.TransportCcFeedback.STATUS_SMALL_DELTA;

/**
 * Records (transport-wide sequence number, arrival time) pairs as packets arrive, in preallocated arrays, and
 * writes them out as transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), choosing per chunk between run-length and one- or
 * two-bit status vectors. Single writer; nothing is allocated after construction.
 *
 * <p>Packets may arrive in any order; they are kept sorted by unwrapped sequence number and a duplicate is
 * dropped. A feedback packet starts where the previous one ended, so packets lost just after it are reported lost
 * rather than left out (up to {@value #MAX_UNREPORTED_GAP} of them; a longer gap is a pause, not a loss). {@link #build} reports the oldest recorded packets, as many as fit: it stops before a packet whose
 * receive delta does not fit 16 signed bits of 250 µs, whose sequence number lies 65535 or more past the base, or
 * that would take the packet past its size limit; those stay recorded for the next feedback packet.
 *
 * <p>The packet status chunks are encoded by a {@link StatusChunkEncoder}.
 */
public final class TransportCcFeedbackBuilder {
    /** Header, one chunk and one small delta, padded to 32 bits. */
    public static final int MIN_PACKET_LENGTH = 24;

    private static final int MAX_STATUS_COUNT = 0xFFFF;
    /** The most packets missing between two feedback packets that are reported lost. */
    static final int MAX_UNREPORTED_GAP = 1000;

    private final long[] sequences;
    private final long[] arrivalsUs;
    private final int maxPacketLength;
    private int size;
    private boolean started;
    private long highestSequence;
    /** Whether a feedback packet was written since {@link #clear}, and the sequence number after its last. */
    private boolean reported;
    private long reportedThrough;

    private final int[] deltaTicks;
    private final short[] chunks;
    private final StatusChunkEncoder encoder;
    /** The encoder as it was before the packet being added: where a packet that does not fit rolls back to. */
    private final StatusChunkEncoder checkpoint;

    /**
     * @param maxPackets how many packets can be recorded between two builds
     * @param maxPacketLength the largest feedback packet {@link #build} writes, at least {@value #MIN_PACKET_LENGTH}
     */
    public TransportCcFeedbackBuilder(int maxPackets, int maxPacketLength) {
        if (maxPackets < 1) {
            throw new IllegalArgumentException("maxPackets " + maxPackets + " must be positive");
        }
        if (maxPacketLength < MIN_PACKET_LENGTH) {
            throw new IllegalArgumentException("maxPacketLength " + maxPacketLength + " is below "
                + MIN_PACKET_LENGTH);
        }
        this.sequences = new long[maxPackets];
        this.arrivalsUs = new long[maxPackets];
        this.deltaTicks = new int[maxPackets];
        this.maxPacketLength = maxPacketLength & ~3;
        this.chunks = new short[(this.maxPacketLength - CHUNKS_OFFSET) / 2];
        this.encoder = new StatusChunkEncoder(chunks);
        this.checkpoint = new StatusChunkEncoder(chunks);
    }

    /**
     * Records that the packet with transport-wide {@code sequenceNumber} (low 16 bits used) arrived at
     * {@code arrivalTimeUs} on any microsecond clock that does not jump.
     *
     * @return false when it was not recorded: a duplicate of a recorded packet, or no room left
     */
    public boolean addPacket(int sequenceNumber, long arrivalTimeUs) {
        int sequence = sequenceNumber & 0xFFFF;
        long extended;
        if (!started) {
            started = true;
            extended = sequence;
            highestSequence = extended;
        } else {
            extended = highestSequence + (short) (sequence - (int) highestSequence);
        }
        int index = size;
        while (index > 0 && sequences[index - 1] > extended) {
            index--;
        }
        if ((index > 0 && sequences[index - 1] == extended) || size == sequences.length) {
            return false;
        }
        System.arraycopy(sequences, index, sequences, index + 1, size - index);
        System.arraycopy(arrivalsUs, index, arrivalsUs, index + 1, size - index);
        sequences[index] = extended;
        arrivalsUs[index] = arrivalTimeUs;
        size++;
        highestSequence = Math.max(highestSequence, extended);
        return true;
    }

    /** Packets recorded and not yet reported. */
    public int pendingPackets() {
        return size;
    }

    /** Forgets every recorded packet and the sequence-number history. */
    public void clear() {
        size = 0;
        started = false;
        reported = false;
    }

    /**
     * Writes one feedback packet reporting the oldest recorded packets, as many as fit in
     * {@code min(capacity, maxPacketLength)} octets, and forgets them.
     *
     * @return the packet's length (a multiple of 4); 0 when nothing is recorded; -1 when {@code capacity} is
     *     below {@value #MIN_PACKET_LENGTH}
     */
    public int build(MutableDirectBuffer buffer, int offset, int capacity, int senderSsrc, int mediaSsrc,
        int feedbackPacketCount) {
        if (size == 0) {
            return 0;
        }
        int limit = Math.min(capacity, maxPacketLength) & ~3;
        if (limit < MIN_PACKET_LENGTH) {
            return -1;
        }
        long first = sequences[0];
        if (reported && reportedThrough < first && first - reportedThrough <= MAX_UNREPORTED_GAP) {
            int length = build(buffer, offset, limit, senderSsrc, mediaSsrc, feedbackPacketCount, reportedThrough);
            if (length > 0) {
                return length;
            }
            // the lost run and the first packet did not fit together: report from the first packet
        }
        return build(buffer, offset, limit, senderSsrc, mediaSsrc, feedbackPacketCount, first);
    }

    /** Writes a feedback packet starting at {@code base}; 0 when not one recorded packet fits. */
    private int build(MutableDirectBuffer buffer, int offset, int limit, int senderSsrc, int mediaSsrc,
                      int feedbackPacketCount, long base) {
        long referenceTime = Math.floorDiv(arrivalsUs[0], REFERENCE_TIME_TICK_US);
        long previousUs = referenceTime * REFERENCE_TIME_TICK_US;
        long nextSequence = base;
        int deltaOctets = 0;
        int included = 0;
        encoder.reset();
        while (included < size) {
            long sequence = sequences[included];
            if (sequence - base >= MAX_STATUS_COUNT) {
                break;
            }
            long ticks = Math.floorDiv(arrivalsUs[included] - previousUs, DELTA_TICK_US);
            int status = ticks >= 0 && ticks <= 0xFF ? STATUS_SMALL_DELTA
                : ticks >= Short.MIN_VALUE && ticks <= Short.MAX_VALUE ? STATUS_LARGE_DELTA : -1;
            if (status < 0) {
                break;
            }
            checkpoint.copyFrom(encoder);
            encoder.addRun(STATUS_NOT_RECEIVED, sequence - nextSequence);
            encoder.add(status);
            int statusOctets = status == STATUS_SMALL_DELTA ? 1 : 2;
            int length = CHUNKS_OFFSET + 2 * (encoder.chunkCount() + 1) + deltaOctets + statusOctets;
            if (((length + 3) & ~3) > limit) {
                encoder.copyFrom(checkpoint);
                break;
            }
            deltaTicks[included] = (int) ticks;
            deltaOctets += statusOctets;
            previousUs += ticks * DELTA_TICK_US;
            nextSequence = sequence + 1;
            included++;
        }
        if (included == 0 && base != sequences[0]) {
            return 0;
        }
        encoder.close();

        int position = offset + CHUNKS_OFFSET;
        for (int i = 0, n = encoder.chunkCount(); i < n; i++) {
            buffer.putShort(position, chunks[i], ORDER);
            position += 2;
        }
        for (int i = 0; i < included; i++) {
            int ticks = deltaTicks[i];
            if (ticks >= 0 && ticks <= 0xFF) {
                buffer.putByte(position++, (byte) ticks);
            } else {
                buffer.putShort(position, (short) ticks, ORDER);
                position += 2;
            }
        }
        int end = RtcpHeader.padToWord(buffer, offset, position);
        int length = end - offset;
        RtcpHeader.writeFeedback(buffer, offset, RtcpHeader.TRANSPORT_FEEDBACK, TransportCcFeedback.FORMAT, length,
            senderSsrc, mediaSsrc);
        buffer.putShort(offset + TransportCcFeedback.BASE_SEQUENCE_OFFSET, (short) base, ORDER);
        buffer.putShort(offset + TransportCcFeedback.STATUS_COUNT_OFFSET, (short) (nextSequence - base), ORDER);
        buffer.putInt(offset + TransportCcFeedback.REFERENCE_TIME_OFFSET,
            ((int) referenceTime << 8) | (feedbackPacketCount & 0xFF), ORDER);

        reportedThrough = reported ? Math.max(reportedThrough, nextSequence) : nextSequence;
        reported = true;
        size -= included;
        System.arraycopy(sequences, included, sequences, 0, size);
        System.arraycopy(arrivalsUs, included, arrivalsUs, 0, size);
        return length;
    }
}
