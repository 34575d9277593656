package io.sfu.core.negotiation;

/**
 * The one exception of this package for a remote description that cannot be answered or applied at all (no
 * BUNDLE group, no ICE credentials, no fingerprint, no rtcp-mux, an unsecured RTP profile, an answer that does
 * not match the offer, malformed attributes, ...). Everything the SFU merely does not support is refused inside
 * the answer the JSEP way instead (port 0, dropped codec or extension), never with this exception.
 *
 * <p>Unchecked, like {@link io.sfu.core.sdp.SdpParseException}; {@link #code()} is the signaling error code of the
 * public API ({@code sdp_invalid}, {@code bad_request}).
 */
public final class NegotiationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The description is malformed or cannot be negotiated. */
    public static final String SDP_INVALID = "sdp_invalid";
    /** The description arrived in the wrong state, e.g. an answer while no offer is outstanding. */
    public static final String BAD_REQUEST = "bad_request";

    private final String code;

    public NegotiationException(String code, String message) {
        super(message);
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    public NegotiationException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    static NegotiationException invalid(String message) {
        return new NegotiationException(SDP_INVALID, message);
    }

    /** @return the signaling error code, {@link #SDP_INVALID} or {@link #BAD_REQUEST} */
    public String code() {
        return code;
    }
}
