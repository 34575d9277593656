package io.sfu.bench.load;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The measurement trailer every generated media payload ends with, so that a receiving client can compute one-way
 * latency, loss, duplicates and reordering per source stream without any help from the SFU (which forwards payloads
 * unchanged). It sits at the end of the payload so that the codec bytes at the front (the VP8 payload descriptor the
 * SFU's keyframe detection reads) stay intact.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       magic 0x534C4431 ("SLD1")                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 stream id (see {@link StreamIds})               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          sequence number of the stream, from 0, +1 per packet  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                                |
 * +      send time: Unix epoch nanoseconds (one clock per machine) +
 * |                                                                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Big-endian, like the RTP header before it.
 */
public final class Probe {
    /** Bytes of the trailer. */
    public static final int LENGTH = 20;
    /** "SLD1". */
    public static final int MAGIC = 0x534C4431;
    static final int MAGIC_OFFSET = 0;
    static final int STREAM_ID_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int SEND_TIME_OFFSET = 12;

    private Probe() {
    }

    /** Writes the trailer at {@code buffer[end - LENGTH, end)}. */
    public static void write(MutableDirectBuffer buffer, int end, int streamId, int sequence, long sendEpochNs) {
        int at = end - LENGTH;
        buffer.putInt(at + MAGIC_OFFSET, MAGIC, ByteOrder.BIG_ENDIAN);
        buffer.putInt(at + STREAM_ID_OFFSET, streamId, ByteOrder.BIG_ENDIAN);
        buffer.putInt(at + SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        buffer.putLong(at + SEND_TIME_OFFSET, sendEpochNs, ByteOrder.BIG_ENDIAN);
    }

    /** Whether {@code buffer[offset, offset + length)} ends with a trailer. */
    public static boolean present(DirectBuffer buffer, int offset, int length) {
        return length >= LENGTH
            && buffer.getInt(offset + length - LENGTH + MAGIC_OFFSET, ByteOrder.BIG_ENDIAN) == MAGIC;
    }

    /** The stream id of the trailer ending at {@code end}; check {@link #present} first. */
    public static int streamId(DirectBuffer buffer, int end) {
        return buffer.getInt(end - LENGTH + STREAM_ID_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** The stream's sequence number of the trailer ending at {@code end}. */
    public static int sequence(DirectBuffer buffer, int end) {
        return buffer.getInt(end - LENGTH + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** The send time (Unix epoch nanoseconds) of the trailer ending at {@code end}. */
    public static long sendEpochNs(DirectBuffer buffer, int end) {
        return buffer.getLong(end - LENGTH + SEND_TIME_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
