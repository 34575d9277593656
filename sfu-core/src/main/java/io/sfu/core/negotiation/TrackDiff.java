package io.sfu.core.negotiation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between the published tracks of two answers on the same publisher peer connection, keyed by mid
 * and track id (a transceiver that gets another track is one removed and one added track).
 *
 * @param added   tracks only in the later list
 * @param removed tracks only in the earlier list
 * @param updated tracks in both whose negotiated details changed (codecs, SSRCs, rids, ...), as in the later list
 */
public record TrackDiff(List<PublishedTrack> added, List<PublishedTrack> removed, List<PublishedTrack> updated) {

    public TrackDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        updated = List.copyOf(updated);
    }

    /** Compares two track lists (e.g. {@code previous.tracks()} and {@code next.tracks()}). */
    public static TrackDiff between(List<PublishedTrack> before, List<PublishedTrack> after) {
        Map<String, PublishedTrack> old = new LinkedHashMap<>();
        for (PublishedTrack t : before) {
            old.put(key(t), t);
        }
        List<PublishedTrack> added = new ArrayList<>();
        List<PublishedTrack> updated = new ArrayList<>();
        for (PublishedTrack t : after) {
            PublishedTrack previous = old.remove(key(t));
            if (previous == null) {
                added.add(t);
            } else if (!previous.equals(t)) {
                updated.add(t);
            }
        }
        return new TrackDiff(added, new ArrayList<>(old.values()), updated);
    }

    private static String key(PublishedTrack t) {
        // a mid is a token and never holds a space, so the pair is unambiguous
        return t.mid() + ' ' + t.trackId();
    }

    /** @return true when nothing changed */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && updated.isEmpty();
    }
}
