package io.sfu.core.datachannel;

import java.nio.charset.StandardCharsets;

/**
 * The Data Channel Establishment Protocol (RFC 8832 §5) and the payload protocol identifiers of RFC 8831 §8.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Message Type |  Channel Type |            Priority           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Reliability Parameter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Label Length          |       Protocol Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                             Label                             \
 * \                            Protocol                           \
 * </pre>
 * DATA_CHANNEL_ACK is the single byte 0x02.
 */
public final class Dcep {
    public static final int PPID_DCEP = 50;
    public static final int PPID_STRING = 51;
    /** Deprecated partial messages (RFC 8831 §8): read as whole ones. */
    public static final int PPID_BINARY_PARTIAL = 52;
    public static final int PPID_BINARY = 53;
    public static final int PPID_STRING_PARTIAL = 54;
    public static final int PPID_STRING_EMPTY = 56;
    public static final int PPID_BINARY_EMPTY = 57;

    public static final int DATA_CHANNEL_ACK = 0x02;
    public static final int DATA_CHANNEL_OPEN = 0x03;
    public static final int HEADER_LENGTH = 12;

    public static final int RELIABLE = 0x00;
    public static final int PARTIAL_RELIABLE_REXMIT = 0x01;
    public static final int PARTIAL_RELIABLE_TIMED = 0x02;
    public static final int UNORDERED = 0x80;
    /** The priority browsers give an ordinary channel (RFC 8831 §6.4, "normal"). */
    public static final int NORMAL_PRIORITY = 256;

    private Dcep() {
    }

    /** The channel type of a reliability (RFC 8832 §5.1); a lifetime counts only without a retransmit limit. */
    public static int channelType(DataChannel.Reliability reliability) {
        int type = reliability.maxRetransmits() >= 0 ? PARTIAL_RELIABLE_REXMIT
            : reliability.maxLifetimeMillis() >= 0 ? PARTIAL_RELIABLE_TIMED : RELIABLE;
        return reliability.ordered() ? type : type | UNORDERED;
    }

    /** Encodes a DATA_CHANNEL_OPEN. */
    public static byte[] open(String label, String protocol, DataChannel.Reliability reliability) {
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        byte[] protocolBytes = protocol.getBytes(StandardCharsets.UTF_8);
        if (labelBytes.length > 0xFFFF || protocolBytes.length > 0xFFFF) {
            throw new IllegalArgumentException("label and protocol must fit 65535 bytes each");
        }
        int type = channelType(reliability);
        int parameter = (type & 0x7F) == PARTIAL_RELIABLE_REXMIT ? reliability.maxRetransmits()
            : (type & 0x7F) == PARTIAL_RELIABLE_TIMED ? reliability.maxLifetimeMillis() : 0;
        byte[] out = new byte[HEADER_LENGTH + labelBytes.length + protocolBytes.length];
        out[0] = DATA_CHANNEL_OPEN;
        out[1] = (byte) type;
        out[2] = (byte) (NORMAL_PRIORITY >>> 8);
        out[3] = (byte) NORMAL_PRIORITY;
        out[4] = (byte) (parameter >>> 24);
        out[5] = (byte) (parameter >>> 16);
        out[6] = (byte) (parameter >>> 8);
        out[7] = (byte) parameter;
        out[8] = (byte) (labelBytes.length >>> 8);
        out[9] = (byte) labelBytes.length;
        out[10] = (byte) (protocolBytes.length >>> 8);
        out[11] = (byte) protocolBytes.length;
        System.arraycopy(labelBytes, 0, out, HEADER_LENGTH, labelBytes.length);
        System.arraycopy(protocolBytes, 0, out, HEADER_LENGTH + labelBytes.length, protocolBytes.length);
        return out;
    }

    /** A decoded DATA_CHANNEL_OPEN. */
    public record Open(String label, String protocol, DataChannel.Reliability reliability, int priority) {
    }

    /** Decodes a DATA_CHANNEL_OPEN; {@code null} when it is malformed (lengths, type). */
    public static Open readOpen(byte[] buf, int off, int len) {
        if (len < HEADER_LENGTH || (buf[off] & 0xFF) != DATA_CHANNEL_OPEN) {
            return null;
        }
        int type = buf[off + 1] & 0xFF;
        int priority = (buf[off + 2] & 0xFF) << 8 | buf[off + 3] & 0xFF;
        int parameter = (buf[off + 4] & 0xFF) << 24 | (buf[off + 5] & 0xFF) << 16 | (buf[off + 6] & 0xFF) << 8
            | buf[off + 7] & 0xFF;
        int labelLength = (buf[off + 8] & 0xFF) << 8 | buf[off + 9] & 0xFF;
        int protocolLength = (buf[off + 10] & 0xFF) << 8 | buf[off + 11] & 0xFF;
        if (HEADER_LENGTH + labelLength + protocolLength != len) {
            return null;
        }
        boolean ordered = (type & UNORDERED) == 0;
        // a parameter above Integer.MAX_VALUE is as good as no limit
        int limit = parameter < 0 ? Integer.MAX_VALUE : parameter;
        DataChannel.Reliability reliability = switch (type & 0x7F) {
            case RELIABLE -> new DataChannel.Reliability(ordered, -1, -1);
            case PARTIAL_RELIABLE_REXMIT -> new DataChannel.Reliability(ordered, limit, -1);
            case PARTIAL_RELIABLE_TIMED -> new DataChannel.Reliability(ordered, -1, limit);
            default -> null;
        };
        if (reliability == null) {
            return null;
        }
        String label = new String(buf, off + HEADER_LENGTH, labelLength, StandardCharsets.UTF_8);
        String protocol = new String(buf, off + HEADER_LENGTH + labelLength, protocolLength, StandardCharsets.UTF_8);
        return new Open(label, protocol, reliability, priority);
    }
}
