package io.sfu.core.session;

/** Why a control-plane request failed; each code has the wire name the public API uses for it. */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    CONFLICT("conflict"),
    ROOM_FULL("room_full"),
    SDP_INVALID("sdp_invalid"),
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code as it appears in API error bodies and signaling {@code error} messages. */
    public String wireName() {
        return wireName;
    }
}
