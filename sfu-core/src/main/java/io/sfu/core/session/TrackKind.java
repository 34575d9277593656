package io.sfu.core.session;

import java.util.Locale;

/**
 * The kind of a track: media as in the SDP m-line ({@code audio} or {@code video}), or a data channel a participant
 * publishes ({@code data}, a data track).
 */
public enum TrackKind {
    AUDIO,
    VIDEO,
    DATA;

    /** The lower-case name used in SDP and in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
