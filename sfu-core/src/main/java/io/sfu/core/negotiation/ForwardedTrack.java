package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.Msid;

import java.util.List;

/**
 * A track the SFU forwards to one subscriber, as the subscriber session offers it: the subscriber sees it under
 * {@code a=msid:<participantId> <trackId>} and the SSRCs the SFU chose for this subscription. SSRCs are unsigned
 * 32-bit values held in an {@code int}.
 *
 * @param key           unique within the subscriber session, e.g. {@code participantId + "/" + trackId}
 * @param participantId the publisher's participant id: the msid stream id (1 to 64 token characters)
 * @param trackId       the published track id: the msid track id (1 to 64 token characters)
 * @param codecs        the codecs accepted from the publisher, in the publisher's payload type numbers
 * @param ssrc          the SSRC the SFU sends the track with toward this subscriber
 * @param rtxSsrc       the SSRC of its RTX stream (video), or 0 for none
 * @param cname         the RTCP CNAME to signal, the same for every track of a participant (lip sync); null or
 *                      blank means the participant id
 */
public record ForwardedTrack(String key, String participantId, String trackId, MediaKind kind,
                             List<NegotiatedCodec> codecs, int ssrc, int rtxSsrc, String cname) {

    /** @throws IllegalArgumentException when an id is not a valid msid id, codecs are missing, or SSRCs clash */
    public ForwardedTrack {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        new Msid(participantId, trackId); // validates both as msid ids
        java.util.Objects.requireNonNull(kind, "kind");
        codecs = List.copyOf(codecs);
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("a forwarded track needs at least one codec");
        }
        if (rtxSsrc != 0 && (kind == MediaKind.AUDIO || rtxSsrc == ssrc)) {
            throw new IllegalArgumentException("rtx ssrc must be 0 for audio and differ from the ssrc");
        }
        if (cname == null || cname.isBlank()) {
            cname = participantId;
        }
        for (int i = 0; i < cname.length(); i++) {
            char c = cname.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("cname must not contain CR, LF or NUL");
            }
        }
    }

    /**
     * The forwarding of a published track under the key {@code participantId + "/" + trackId}, with the participant
     * id as CNAME: a browser synchronizes the audio and video of one CNAME (RFC 3550 §6.5.1), and a simulcast
     * publisher signals no CNAME of its own.
     *
     * @param rtxSsrc 0 for none; ignored for audio
     */
    public static ForwardedTrack of(String participantId, PublishedTrack track, int ssrc, int rtxSsrc) {
        return new ForwardedTrack(participantId + '/' + track.trackId(), participantId, track.trackId(),
            track.kind(), track.codecs(), ssrc, track.kind() == MediaKind.AUDIO ? 0 : rtxSsrc, participantId);
    }

    /** @return true when an RTX stream is signaled */
    public boolean hasRtx() {
        return rtxSsrc != 0;
    }
}
