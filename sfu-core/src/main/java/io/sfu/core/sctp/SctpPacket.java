package io.sfu.core.sctp;

import java.util.zip.CRC32C;

/**
 * The SCTP common header and chunk framing (RFC 9260 §3): validates one packet (length, CRC32c, chunk lengths,
 * a bound on the chunk count) and walks its chunks, on the caller's byte array and without allocating.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Verification Tag                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Checksum                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                          Chunk Value                          \
 * </pre>
 * The checksum is CRC32c (RFC 9260 Appendix A) over the packet with the checksum field zero, stored least
 * significant byte first, as RFC 3720 §B.4 shows its results.
 */
public final class SctpPacket {
    public static final int HEADER_LENGTH = 12;
    public static final int CHUNK_HEADER_LENGTH = 4;
    public static final int CHECKSUM_OFFSET = 8;
    public static final int VERIFICATION_TAG_OFFSET = 4;
    /** Most chunks one packet may carry; a packet with more is refused (one chunk needs at least four bytes). */
    public static final int MAX_CHUNKS = 128;

    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int SHUTDOWN_COMPLETE = 14;
    /** RFC 6525 §3.1. */
    public static final int RE_CONFIG = 130;
    /** RFC 3758 §3.2. */
    public static final int FORWARD_TSN = 192;

    private final CRC32C crc = new CRC32C();
    private byte[] buffer;
    private int offset;
    private int length;
    private int chunkCount;

    /**
     * Wraps one packet; checks the header, the CRC32c and that the chunks tile the packet exactly (each chunk's
     * length at least its header, padding inside the packet, at most {@link #MAX_CHUNKS}).
     *
     * @return {@code false} when the packet is malformed; never throws for any bytes inside the array
     */
    public boolean wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = 0;
        chunkCount = 0;
        if (buffer == null || offset < 0 || length < HEADER_LENGTH + CHUNK_HEADER_LENGTH
            || offset > buffer.length - length || checksum(buffer, offset, length) != storedChecksum(buffer, offset)) {
            return false;
        }
        int end = offset + length;
        int at = offset + HEADER_LENGTH;
        int chunks = 0;
        while (at < end) {
            if (end - at < CHUNK_HEADER_LENGTH || ++chunks > MAX_CHUNKS) {
                return false;
            }
            int chunkLength = SctpBytes.u16(buffer, at + 2);
            if (chunkLength < CHUNK_HEADER_LENGTH || chunkLength > end - at) {
                return false;
            }
            // the last chunk's padding may be left out (RFC 9260 §3.2: the receiver ignores it)
            at += Math.min(SctpBytes.padded(chunkLength), end - at);
        }
        this.length = length;
        chunkCount = chunks;
        return true;
    }

    /** CRC32c over the packet with its checksum field taken as zero, as the checksum field stores it. */
    public int checksum(byte[] data, int from, int len) {
        crc.reset();
        crc.update(data, from, CHECKSUM_OFFSET);
        crc.update(ZEROS, 0, 4);
        crc.update(data, from + HEADER_LENGTH, len - HEADER_LENGTH);
        return Integer.reverseBytes((int) crc.getValue());
    }

    /** Writes the checksum of a finished packet into its header. */
    public void sign(byte[] data, int from, int len) {
        SctpBytes.put32(data, from + CHECKSUM_OFFSET, checksum(data, from, len));
    }

    private static int storedChecksum(byte[] data, int from) {
        return SctpBytes.i32(data, from + CHECKSUM_OFFSET);
    }

    private static final byte[] ZEROS = new byte[4];

    public int sourcePort() {
        return SctpBytes.u16(buffer, offset);
    }

    public int destinationPort() {
        return SctpBytes.u16(buffer, offset + 2);
    }

    public int verificationTag() {
        return SctpBytes.i32(buffer, offset + VERIFICATION_TAG_OFFSET);
    }

    public int chunkCount() {
        return chunkCount;
    }

    public byte[] buffer() {
        return buffer;
    }

    /** Offset of the first chunk, or -1 when the packet has none (or was refused). */
    public int firstChunk() {
        return length == 0 ? -1 : offset + HEADER_LENGTH;
    }

    /** Offset of the chunk after the one at {@code chunk}, or -1 after the last. */
    public int nextChunk(int chunk) {
        int next = chunk + SctpBytes.padded(chunkLength(chunk));
        return next < offset + length ? next : -1;
    }

    public int chunkType(int chunk) {
        return SctpBytes.u8(buffer, chunk);
    }

    public int chunkFlags(int chunk) {
        return SctpBytes.u8(buffer, chunk + 1);
    }

    /** The chunk's length field: its header and value, padding excluded. */
    public int chunkLength(int chunk) {
        return SctpBytes.u16(buffer, chunk + 2);
    }
}
