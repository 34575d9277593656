package io.sfu.core.sctp;

/**
 * The INIT and INIT ACK chunks (RFC 9260 §3.3.2, §3.3.3): the fixed fields and our extension parameters we
 * write, and the parameters we read from the peer's: the extensions it supports and, in an INIT ACK, its cookie.
 * <pre>
 * |                         Initiate Tag                          |
 * |           Advertised Receiver Window Credit (a_rwnd)          |
 * |  Number of Outbound Streams   |  Number of Inbound Streams    |
 * |                          Initial TSN                          |
 * \              Optional/Variable-Length Parameters              \
 * </pre>
 */
final class InitChunk {
    /** RFC 5061 §4.2.7 Supported Extensions, and RFC 3758 §3.1 Forward-TSN-Supported. */
    static final int SUPPORTED_EXTENSIONS = 0x8008;
    static final int FORWARD_TSN_SUPPORTED = 0xC000;
    static final int STATE_COOKIE = 7;
    static final int FIXED_LENGTH = 16;
    /** The value we write: the fixed fields, Supported Extensions (FORWARD TSN, RE-CONFIG), Forward-TSN-Supported. */
    static final int LENGTH = FIXED_LENGTH + 8 + 4;
    /** Parameters read at most from one chunk. */
    static final int MAX_PARAMETERS = 64;

    int cookieAt;
    /** -1 when the chunk carries no State Cookie. */
    int cookieLength;

    static void write(byte[] out, int at, int tag, long receiveWindow, int streams, int initialTsn) {
        SctpBytes.put32(out, at, tag);
        SctpBytes.put32(out, at + 4, (int) Math.min(receiveWindow, 0xFFFFFFFFL));
        SctpBytes.put16(out, at + 8, streams);
        SctpBytes.put16(out, at + 10, streams);
        SctpBytes.put32(out, at + 12, initialTsn);
        SctpBytes.put16(out, at + 16, SUPPORTED_EXTENSIONS);
        SctpBytes.put16(out, at + 18, 6);
        SctpBytes.put8(out, at + 20, SctpPacket.FORWARD_TSN);
        SctpBytes.put8(out, at + 21, SctpPacket.RE_CONFIG);
        SctpBytes.put16(out, at + 22, 0);
        SctpBytes.put16(out, at + 24, FORWARD_TSN_SUPPORTED);
        SctpBytes.put16(out, at + 26, 4);
    }

    /**
     * Reads the parameters of an INIT or INIT ACK whose value is {@code length} bytes at {@code at}.
     *
     * @return the {@link StateCookie} flags of the extensions it announces
     */
    int read(byte[] buf, int at, int length) {
        cookieLength = -1;
        int flags = 0;
        int end = at + length;
        int parameters = 0;
        for (int p = at + FIXED_LENGTH; end - p >= 4 && parameters++ < MAX_PARAMETERS; ) {
            int type = SctpBytes.u16(buf, p);
            int paramLength = SctpBytes.u16(buf, p + 2);
            if (paramLength < 4 || paramLength > end - p) {
                break;
            }
            if (type == FORWARD_TSN_SUPPORTED) {
                flags |= StateCookie.FORWARD_TSN;
            } else if (type == SUPPORTED_EXTENSIONS) {
                for (int i = p + 4; i < p + paramLength; i++) {
                    int chunkType = SctpBytes.u8(buf, i);
                    flags |= chunkType == SctpPacket.FORWARD_TSN ? StateCookie.FORWARD_TSN
                        : chunkType == SctpPacket.RE_CONFIG ? StateCookie.RE_CONFIG : 0;
                }
            } else if (type == STATE_COOKIE) {
                cookieAt = p + 4;
                cookieLength = paramLength - 4;
            }
            p += SctpBytes.padded(paramLength);
        }
        return flags;
    }
}
