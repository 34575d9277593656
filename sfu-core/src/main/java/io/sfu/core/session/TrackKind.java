package io.sfu.core.session;

import java.util.Locale;

/** The media kind of a track, as in the SDP m-line ({@code audio} or {@code video}). */
public enum TrackKind {
    AUDIO,
    VIDEO;

    /** The lower-case name used in SDP and in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
