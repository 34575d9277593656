package io.sfu.core.stun;

import java.nio.charset.StandardCharsets;

/** The STUN error codes the SFU sends and reads, with their reason phrases (RFC 8489 §14.8, RFC 8445 §7.3.1.1). */
public final class StunErrorCode {
    /** The request was malformed or lacked a required attribute. */
    public static final int BAD_REQUEST = 400;
    /** The request's credentials were missing or wrong. */
    public static final int UNAUTHORIZED = 401;
    /** RFC 8656 §7.2, §10.2: the request is understood but refused (here: a peer other than the SFU itself). */
    public static final int FORBIDDEN = 403;
    /** The request carried a comprehension-required attribute the server does not know. */
    public static final int UNKNOWN_ATTRIBUTE = 420;
    /** RFC 8656 §7.2: an Allocate on a 5-tuple that has one, or a request on one that has none. */
    public static final int ALLOCATION_MISMATCH = 437;
    /** RFC 8489 §9.2.5: the NONCE is no longer valid; retry with the one in the answer. */
    public static final int STALE_NONCE = 438;
    /** RFC 8656 §7.2: the relayed address family asked for is not served. */
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    /** RFC 8656 §8: a request on an allocation made with other credentials. */
    public static final int WRONG_CREDENTIALS = 441;
    /** RFC 8656 §7.2: REQUESTED-TRANSPORT is not UDP. */
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    /** RFC 8656 §7.2: the user has as many allocations as allowed. */
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    /** Both agents claim the same ICE role (RFC 8445 §7.3.1.1). */
    public static final int ROLE_CONFLICT = 487;
    /** The server could not answer for a reason of its own. */
    public static final int SERVER_ERROR = 500;
    /** RFC 8656 §7.2: the server has as many allocations as it serves. */
    public static final int INSUFFICIENT_CAPACITY = 508;

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
