package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A track a publisher sends, as negotiated on one m-line of its publisher peer connection: what the receive side
 * needs to set up a producer. SSRCs are unsigned 32-bit values held in an {@code int}
 * ({@link Integer#toUnsignedLong(int)} to print them).
 *
 * @param mid        the m-line's mid (stable for the life of the transceiver)
 * @param streamId   the MediaStream id of {@code a=msid} (RFC 8830 §2), or a generated one when absent or {@code -}
 * @param trackId    the track id of {@code a=msid}, or a generated one; unique within the peer connection
 * @param rids       the accepted simulcast rids in the order of {@code a=simulcast} (RFC 8853), lowest layer first
 *                   as browsers write them; empty without simulcast
 * @param ssrcs      the primary SSRCs: the {@code a=ssrc-group:SIM} layers in order, else the signaled SSRCs that
 *                   repair no other; empty for SSRC-less simulcast, learned at run time from the mid/rid header
 *                   extensions
 * @param rtxSsrcs   primary SSRC → RTX SSRC, from {@code a=ssrc-group:FID} (RFC 5576 §4.2, RFC 4588 §8.2)
 * @param cname      the RTCP CNAME of {@code a=ssrc:<ssrc> cname:}, or null when no SSRC was signaled
 * @param codecs     the accepted codecs in the offer's order (the first is the one the browser sends), RTX folded
 *                   into {@link NegotiatedCodec#rtxPayloadType()}
 * @param extensions the accepted header extensions: URI → id
 * @param feedback   the RTCP feedback the track supports
 */
public record PublishedTrack(String mid, MediaKind kind, String streamId, String trackId, List<String> rids,
                             List<Integer> ssrcs, Map<Integer, Integer> rtxSsrcs, String cname,
                             List<NegotiatedCodec> codecs, Map<String, Integer> extensions,
                             FeedbackSupport feedback) {

    public PublishedTrack {
        java.util.Objects.requireNonNull(mid, "mid");
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(streamId, "streamId");
        java.util.Objects.requireNonNull(trackId, "trackId");
        rids = List.copyOf(rids);
        ssrcs = List.copyOf(ssrcs);
        rtxSsrcs = Collections.unmodifiableMap(new LinkedHashMap<>(rtxSsrcs));
        codecs = List.copyOf(codecs);
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        java.util.Objects.requireNonNull(feedback, "feedback");
    }

    /** @return true when the track is sent as simulcast layers identified by rid */
    public boolean isSimulcast() {
        return !rids.isEmpty();
    }

    /**
     * @return the encodings the track is sent as, lowest first: one per rid, else one per primary SSRC (several
     *     only for simulcast signalled by {@code a=ssrc-group:SIM}), else one
     */
    public int layerCount() {
        return !rids.isEmpty() ? rids.size() : Math.max(1, ssrcs.size());
    }

    /** @return the negotiated id of that header extension URI, or -1 when it was not accepted */
    public int extensionId(String uri) {
        Integer id = extensions.get(uri);
        return id == null ? -1 : id;
    }

    /** @return the codec with that payload type (its own, not its RTX) */
    public Optional<NegotiatedCodec> codec(int payloadType) {
        for (NegotiatedCodec c : codecs) {
            if (c.payloadType() == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
