package io.sfu.signaling.api;

import io.sfu.core.session.ErrorCode;
import io.sfu.core.session.LeaveReason;

/**
 * WebSocket close codes the server uses (RFC 6455 section 7.4; 4000-4999 are the application's): the reason a
 * participant was disconnected is readable from the close event without parsing a message.
 */
public final class CloseCodes {
    public static final short NORMAL = 1000;
    public static final short GOING_AWAY = 1001;
    public static final short POLICY_VIOLATION = 1008;
    public static final short MESSAGE_TOO_BIG = 1009;
    public static final short NOT_FOUND = 4004;
    public static final short REPLACED = 4009;
    public static final short KICKED = 4010;
    public static final short ROOM_DELETED = 4011;
    public static final short CONSENT_EXPIRED = 4012;
    public static final short TRANSPORT_FAILED = 4013;
    /** Joined but negotiated no media within {@code signaling.negotiationTimeoutSeconds}. */
    public static final short NEGOTIATION_TIMEOUT = 4014;
    /**
     * The node shuts down and another node of its cluster takes the room: the {@code reconnect} message before the
     * close names that node's URL.
     */
    public static final short RECONNECT = 4015;
    /** Did not answer a ping within {@code signaling.pongTimeoutSeconds}. */
    public static final short PING_TIMEOUT = 4408;
    public static final short ROOM_FULL = 4029;
    public static final short INTERNAL = 4500;
    public static final short BAD_REQUEST = 4400;

    private CloseCodes() {
    }

    static short forLeave(LeaveReason reason) {
        return switch (reason) {
            case LEFT, DISCONNECTED -> NORMAL;
            case KICKED -> KICKED;
            case ROOM_DELETED -> ROOM_DELETED;
            case REPLACED -> REPLACED;
            case CONSENT_EXPIRED -> CONSENT_EXPIRED;
            case TRANSPORT_FAILED -> TRANSPORT_FAILED;
            case SHUTDOWN -> GOING_AWAY;
            case NEGOTIATION_TIMEOUT -> NEGOTIATION_TIMEOUT;
        };
    }

    /** For a join refused after the upgrade. */
    static short forJoinError(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> NOT_FOUND;
            case ROOM_FULL -> ROOM_FULL;
            case BAD_REQUEST -> BAD_REQUEST;
            default -> INTERNAL;
        };
    }
}
