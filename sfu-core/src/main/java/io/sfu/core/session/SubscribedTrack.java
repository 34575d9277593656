package io.sfu.core.session;

import java.util.Objects;

/** A track forwarded to a subscriber, with the id of the participant publishing it (the SDP msid is both). */
public record SubscribedTrack(String publisherId, Track track) {

    public SubscribedTrack {
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(track, "track");
    }
}
