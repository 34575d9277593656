package io.sfu.client;

import io.sfu.core.sdp.MediaKind;
import java.util.List;

/**
 * A track the publisher side offers: its kind, its id (the second part of {@code a=msid}), the simulcast rids of a
 * video track (empty for one encoding) and whether video retransmissions use RTX (RFC 4588).
 *
 * @param kind    audio or video
 * @param trackId the msid track id: 1 to 64 letters, digits, '-' or '_'
 * @param rids    simulcast rids in order of increasing quality (e.g. q, h, f), empty for a single encoding;
 *                each 1 to 16 letters, digits, '-' or '_'
 * @param rtx     whether to offer RTX for this video track (ignored for audio)
 */
public record TrackSpec(MediaKind kind, String trackId, List<String> rids, boolean rtx) {

    /** @throws IllegalArgumentException naming the invalid field */
    public TrackSpec {
        if (kind == null) {
            throw new IllegalArgumentException("track kind is required");
        }
        if (!isId(trackId, 64)) {
            throw new IllegalArgumentException("trackId must be 1 to 64 letters, digits, '-' or '_': " + trackId);
        }
        rids = List.copyOf(rids);
        if (kind == MediaKind.AUDIO && !rids.isEmpty()) {
            throw new IllegalArgumentException("an audio track has no simulcast rids: " + trackId);
        }
        for (int i = 0; i < rids.size(); i++) {
            if (!isId(rids.get(i), 16)) {
                throw new IllegalArgumentException("rid must be 1 to 16 letters, digits, '-' or '_': " + rids.get(i));
            }
            if (rids.indexOf(rids.get(i)) != i) {
                throw new IllegalArgumentException("rid appears twice: " + rids.get(i));
            }
        }
        rtx = rtx && kind == MediaKind.VIDEO;
    }

    /** An Opus audio track. */
    public static TrackSpec audio(String trackId) {
        return new TrackSpec(MediaKind.AUDIO, trackId, List.of(), false);
    }

    /** A VP8 video track with one encoding and RTX. */
    public static TrackSpec video(String trackId) {
        return new TrackSpec(MediaKind.VIDEO, trackId, List.of(), true);
    }

    /** A VP8 video track with one encoding per rid (Chromium style: no SSRCs in the SDP) and RTX. */
    public static TrackSpec simulcastVideo(String trackId, String... rids) {
        return new TrackSpec(MediaKind.VIDEO, trackId, List.of(rids), true);
    }

    /** This track without RTX: retransmissions repeat the original packet. */
    public TrackSpec withoutRtx() {
        return new TrackSpec(kind, trackId, rids, false);
    }

    /** Whether the track is sent as simulcast. */
    public boolean isSimulcast() {
        return !rids.isEmpty();
    }

    private static boolean isId(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
