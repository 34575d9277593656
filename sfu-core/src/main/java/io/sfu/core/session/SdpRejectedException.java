package io.sfu.core.session;

/**
 * The one exception type a {@link MediaSession} completes its stages with when a remote SDP cannot be parsed or
 * accepted; the signaling reports it as {@code sdp_invalid} with this message. Any other failure is reported as
 * {@code internal}.
 */
public class SdpRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpRejectedException(String message) {
        super(message);
    }

    public SdpRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
