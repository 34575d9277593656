package io.sfu.core.session;

import java.util.List;
import java.util.Objects;

/**
 * A track a participant publishes: its room-unique id, kind, the publisher's SDP mid and its simulcast rids (empty
 * without simulcast), whether the publisher muted it, and what it carries. Immutable, so it may cross threads.
 */
public record Track(String id, TrackKind kind, String mid, List<String> rids, boolean muted, TrackSource source) {

    public Track {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mid, "mid");
        rids = List.copyOf(rids);
        Objects.requireNonNull(source, "source");
    }

    /** A copy of this track with the given muted flag. */
    public Track withMuted(boolean newMuted) {
        return newMuted == muted ? this : new Track(id, kind, mid, rids, newMuted, source);
    }

    /** True when the two describe the same media (everything but the muted flag is equal). */
    public boolean sameMedia(Track other) {
        return id.equals(other.id) && kind == other.kind && mid.equals(other.mid) && rids.equals(other.rids)
            && source == other.source;
    }
}
