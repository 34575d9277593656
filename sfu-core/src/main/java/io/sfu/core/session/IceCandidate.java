package io.sfu.core.session;

import java.util.Objects;

/**
 * A trickled ICE candidate as a browser's {@code RTCIceCandidate.toJSON()} gives it. An empty {@code candidate}
 * marks the end of candidates; {@code sdpMid}, {@code sdpMLineIndex} and {@code usernameFragment} may be null.
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {

    public IceCandidate {
        Objects.requireNonNull(candidate, "candidate");
    }

    /** True for the end-of-candidates marker. */
    public boolean isEndOfCandidates() {
        return candidate.isEmpty();
    }
}
