package io.sfu.core.stun;

import java.nio.charset.StandardCharsets;

/** The STUN error codes the SFU sends and reads, with their reason phrases (RFC 8489 §14.8, RFC 8445 §7.3.1.1). */
public final class StunErrorCode {
    /** The request was malformed or lacked a required attribute. */
    public static final int BAD_REQUEST = 400;
    /** The request's credentials were missing or wrong. */
    public static final int UNAUTHORIZED = 401;
    /** The request carried a comprehension-required attribute the server does not know. */
    public static final int UNKNOWN_ATTRIBUTE = 420;
    /** Both agents claim the same ICE role (RFC 8445 §7.3.1.1). */
    public static final int ROLE_CONFLICT = 487;
    /** The server could not answer for a reason of its own. */
    public static final int SERVER_ERROR = 500;

    static final byte[] BAD_REQUEST_REASON = ascii("Bad Request");
    static final byte[] UNAUTHORIZED_REASON = ascii("Unauthorized");
    static final byte[] UNKNOWN_ATTRIBUTE_REASON = ascii("Unknown Attribute");
    static final byte[] ROLE_CONFLICT_REASON = ascii("Role Conflict");
    static final byte[] SERVER_ERROR_REASON = ascii("Server Error");
    private static final byte[] NO_REASON = new byte[0];

    private StunErrorCode() {
    }

    /** The reason phrase the SFU sends with {@code code}, shared (never modified); empty for other codes. */
    static byte[] reasonPhrase(int code) {
        switch (code) {
            case BAD_REQUEST:
                return BAD_REQUEST_REASON;
            case UNAUTHORIZED:
                return UNAUTHORIZED_REASON;
            case UNKNOWN_ATTRIBUTE:
                return UNKNOWN_ATTRIBUTE_REASON;
            case ROLE_CONFLICT:
                return ROLE_CONFLICT_REASON;
            case SERVER_ERROR:
                return SERVER_ERROR_REASON;
            default:
                return NO_REASON;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
