package io.sfu.core.srtp;

/**
 * The negative results of {@link SrtpContext}'s protect and unprotect methods. Every rejection is one of these;
 * none throws.
 */
public final class SrtpError {
    /** Too short for its headers and tag, not RTP/RTCP version 2, or offset/length outside the buffer. */
    public static final int MALFORMED = -1;
    /** The authentication tag (HMAC-SHA1 or AEAD tag) did not verify. */
    public static final int AUTHENTICATION_FAILED = -2;
    /** Already received, or older than the replay window (RFC 3711 §3.3.2). */
    public static final int REPLAYED = -3;
    /** A new SSRC while the context already tracks {@link SrtpConfig#maxSsrcs()} of them. */
    public static final int SSRC_LIMIT = -4;
    /** The buffer cannot hold the protected packet: its capacity ends before {@code offset + length + overhead}. */
    public static final int NO_CAPACITY = -5;
    /** The buffer is not backed by a {@code byte[]} (the ciphers work on the array in place). */
    public static final int NOT_HEAP_BUFFER = -6;

    private SrtpError() {
    }

    /** A short name for a result code, for logs and metrics. */
    public static String describe(int code) {
        switch (code) {
            case MALFORMED:
                return "malformed";
            case AUTHENTICATION_FAILED:
                return "authentication-failed";
            case REPLAYED:
                return "replayed";
            case SSRC_LIMIT:
                return "ssrc-limit";
            case NO_CAPACITY:
                return "no-capacity";
            case NOT_HEAP_BUFFER:
                return "not-heap-buffer";
            default:
                return code >= 0 ? "ok" : "unknown(" + code + ")";
        }
    }
}
