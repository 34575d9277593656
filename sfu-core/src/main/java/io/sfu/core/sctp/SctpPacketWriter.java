package io.sfu.core.sctp;

/**
 * Builds outgoing SCTP packets chunk by chunk into one reused array, bundling as many chunks as fit (RFC 9260
 * §6.10), and hands each finished, checksummed packet to the output.
 */
final class SctpPacketWriter {
    /** Largest packet we send: fits a DTLS record and the UDP, TURN and ICE-TCP framings under a 1280 B path. */
    static final int MAX_PACKET = 1188;

    private final byte[] packet = new byte[MAX_PACKET];
    private final SctpPacket checksummer = new SctpPacket();
    private final SctpOutput output;
    private int sourcePort;
    private int destinationPort;
    private int verificationTag;
    private int position = SctpPacket.HEADER_LENGTH;
    private long packetsSent;

    SctpPacketWriter(SctpOutput output) {
        this.output = output;
    }

    void ports(int source, int destination) {
        sourcePort = source;
        destinationPort = destination;
    }

    /** The tag of the packets to come; a pending packet with another tag is sent first. */
    void tag(int tag) {
        if (tag != verificationTag) {
            flush();
            verificationTag = tag;
        }
    }

    int tag() {
        return verificationTag;
    }

    byte[] array() {
        return packet;
    }

    /** Room for a chunk value of this length in the packet being built (after flushing, a whole packet). */
    int room() {
        return MAX_PACKET - position - SctpPacket.CHUNK_HEADER_LENGTH;
    }

    boolean isEmpty() {
        return position == SctpPacket.HEADER_LENGTH;
    }

    /**
     * Appends a chunk header for a value of {@code valueLength} bytes, flushing the packet first if it would not
     * fit, and returns the offset where the caller writes the value.
     *
     * @throws IllegalArgumentException when the value cannot fit even an empty packet (a caller's bug)
     */
    int chunk(int type, int flags, int valueLength) {
        int total = SctpPacket.CHUNK_HEADER_LENGTH + valueLength;
        if (position + total > MAX_PACKET) {
            flush();
            if (position + total > MAX_PACKET) {
                throw new IllegalArgumentException("chunk too large: " + total);
            }
        }
        int at = position;
        SctpBytes.put8(packet, at, type);
        SctpBytes.put8(packet, at + 1, flags);
        SctpBytes.put16(packet, at + 2, total);
        int padded = SctpBytes.padded(total);
        for (int i = at + total; i < at + padded; i++) {
            packet[i] = 0;
        }
        position = at + padded;
        return at + SctpPacket.CHUNK_HEADER_LENGTH;
    }

    /** Sends the packet built so far, if it holds any chunk. */
    void flush() {
        if (isEmpty()) {
            return;
        }
        SctpBytes.put16(packet, 0, sourcePort);
        SctpBytes.put16(packet, 2, destinationPort);
        SctpBytes.put32(packet, SctpPacket.VERIFICATION_TAG_OFFSET, verificationTag);
        checksummer.sign(packet, 0, position);
        int length = position;
        position = SctpPacket.HEADER_LENGTH;
        packetsSent++;
        output.sendPacket(packet, 0, length);
    }

    long packetsSent() {
        return packetsSent;
    }
}
