package io.sfu.core.session;

/** A control-plane request that cannot be carried out; the code says how the API reports it. */
public final class SessionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public SessionException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
