package io.sfu.core.session;

import java.util.List;
import java.util.Objects;

/**
 * A track a participant publishes: its room-unique id, kind, the publisher's SDP mid and its simulcast rids (empty
 * without simulcast), whether the publisher muted it, what it carries, and for a data track (kind {@code DATA},
 * mid of the data channel m-line) its channel. Immutable, so it may cross threads.
 */
public record Track(String id, TrackKind kind, String mid, List<String> rids, boolean muted, TrackSource source,
                    DataTrackInfo data) {

    public Track {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mid, "mid");
        rids = List.copyOf(rids);
        Objects.requireNonNull(source, "source");
        if ((kind == TrackKind.DATA) != (data != null)) {
            throw new IllegalArgumentException("a data track, and only one, describes its channel");
        }
    }

    /** A media track. */
    public Track(String id, TrackKind kind, String mid, List<String> rids, boolean muted, TrackSource source) {
        this(id, kind, mid, rids, muted, source, null);
    }

    /** A data track: a channel its publisher opened on the data channel m-line {@code mid}. */
    public static Track data(String id, String mid, DataTrackInfo data) {
        return new Track(id, TrackKind.DATA, mid, List.of(), false, TrackSource.DATA, data);
    }

    /** A copy of this track with the given muted flag. */
    public Track withMuted(boolean newMuted) {
        return newMuted == muted ? this : new Track(id, kind, mid, rids, newMuted, source, data);
    }

    /** True when the two describe the same media (everything but the muted flag is equal). */
    public boolean sameMedia(Track other) {
        return id.equals(other.id) && kind == other.kind && mid.equals(other.mid) && rids.equals(other.rids)
            && source == other.source && Objects.equals(data, other.data);
    }
}
