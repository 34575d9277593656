package io.sfu.core.session;

import java.util.List;

/**
 * What a participant needs to reach the SFU through its embedded TURN server: the server's URLs and short-lived
 * credentials of its own, given in {@code joined} as a WebRTC {@code RTCIceServer}.
 *
 * @param urls       {@code turn:} URLs, one per transport
 * @param username   the REST-style username ({@code <expiry-unix-seconds>:<participantId>})
 * @param credential the password that goes with it
 */
public record TurnAccess(List<String> urls, String username, String credential) {
    public TurnAccess {
        urls = List.copyOf(urls);
    }

    @Override
    public String toString() {
        // the credential never goes to a log
        return "TurnAccess[urls=" + urls + ", username=" + username + ", credential=<hidden>]";
    }
}
