package io.sfu.core.feedback;

/**
 * One transport-wide congestion control feedback's worth of arrivals, filled by {@link TransportCcRecorder} and
 * reused from one feedback to the next: the fields of the feedback message
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) before the RTCP writer encodes them into packet
 * chunks and receive deltas.
 *
 * <pre>
 *  |      base sequence number     |      packet status count      |   baseSequenceNumber(), packetStatusCount()
 *  |                 reference time                | fb pkt. count |   from arrivalNs(i) / feedbackPacketCount()
 *  |          packet chunk         |         packet chunk          |   received(i)
 *  |         recv delta            |  recv delta   | ...               differences of arrivalNs(i)
 * </pre>
 */
public final class TransportCcFeedback {
    /** {@link #arrivalNs(int)} of a packet that has not arrived. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    /** The packet status count is a 16-bit field. */
    public static final int MAX_PACKETS = 0xFFFF;

    private final long[] arrivalNs;
    private int baseSequenceNumber;
    private int packetStatusCount;
    private int receivedCount;
    private int feedbackPacketCount;

    /** @param maxPackets the most packets one feedback may describe (bounded by what fits in one datagram) */
    public TransportCcFeedback(int maxPackets) {
        if (maxPackets < 1 || maxPackets > MAX_PACKETS) {
            throw new IllegalArgumentException("maxPackets must be in [1, 65535]: " + maxPackets);
        }
        this.arrivalNs = new long[maxPackets];
    }

    void start(int baseSequenceNumber, int feedbackPacketCount) {
        this.baseSequenceNumber = baseSequenceNumber & 0xFFFF;
        this.feedbackPacketCount = feedbackPacketCount & 0xFF;
        this.packetStatusCount = 0;
        this.receivedCount = 0;
    }

    void add(long arrivalNs) {
        this.arrivalNs[packetStatusCount++] = arrivalNs;
        if (arrivalNs != NOT_RECEIVED) {
            receivedCount++;
        }
    }

    /** The most packets this structure can hold. */
    public int capacity() {
        return arrivalNs.length;
    }

    /** Transport-wide sequence number of the first packet described. */
    public int baseSequenceNumber() {
        return baseSequenceNumber;
    }

    /** Packets described, received or not. */
    public int packetStatusCount() {
        return packetStatusCount;
    }

    /** How many of the described packets arrived. */
    public int receivedCount() {
        return receivedCount;
    }

    /** The 8-bit feedback packet counter, one more for every feedback drained. */
    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    /** Transport-wide sequence number of the {@code index}-th packet described. */
    public int sequenceNumber(int index) {
        return (baseSequenceNumber + index) & 0xFFFF;
    }

    /** Whether the {@code index}-th packet described arrived. */
    public boolean received(int index) {
        return arrivalNs[index] != NOT_RECEIVED;
    }

    /** Arrival time (nanoTime) of the {@code index}-th packet, or {@link #NOT_RECEIVED}. */
    public long arrivalNs(int index) {
        return arrivalNs[index];
    }
}
