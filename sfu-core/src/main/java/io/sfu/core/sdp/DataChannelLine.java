package io.sfu.core.sdp;

/**
 * What a data channel m-line ({@code m=application ... webrtc-datachannel}, RFC 8841) says about its SCTP side: the
 * port and the largest message the peer takes, with RFC 8841's defaults when absent. Read the same way by the SFU
 * and by clients; a malformed or out-of-range value reads as absent.
 */
public final class DataChannelLine {
    /** The SCTP port assumed when the m-line names none (RFC 8841 §5). */
    public static final int DEFAULT_SCTP_PORT = 5000;
    /** What the peer may be sent when it names no a=max-message-size (RFC 8841 §6). */
    public static final int DEFAULT_PEER_MAX_MESSAGE_SIZE = 65536;
    /** The format of a data channel m-line. */
    public static final String FORMAT = "webrtc-datachannel";

    private DataChannelLine() {
    }

    /** The a=sctp-port of {@code m}, or {@link #DEFAULT_SCTP_PORT}. */
    public static int sctpPort(MediaDescription m) {
        long port = number(m.attributeValue(AttributeNames.SCTP_PORT).orElse(null));
        return port >= 1 && port <= 0xFFFF ? (int) port : DEFAULT_SCTP_PORT;
    }

    /** The a=max-message-size of {@code m} (0: no limit), or {@link #DEFAULT_PEER_MAX_MESSAGE_SIZE}. */
    public static long maxMessageSize(MediaDescription m) {
        long size = number(m.attributeValue(AttributeNames.MAX_MESSAGE_SIZE).orElse(null));
        return size >= 0 ? size : DEFAULT_PEER_MAX_MESSAGE_SIZE;
    }

    /** A decimal number of at most 10 digits, or -1. */
    private static long number(String value) {
        if (value == null || value.isEmpty() || value.length() > 10) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }
}
