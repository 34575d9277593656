package io.sfu.core.negotiation;

import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.MediaKind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forwarded track as the subscriber's answer left it (received or declined): what the forwarder needs to rewrite
 * the publisher's packets for this subscriber (SSRCs, payload types, header extension ids).
 *
 * @param direction    the subscriber's answered direction: {@code recvonly} to receive, {@code inactive} if it
 *                     declined
 * @param codecs       the codecs the subscriber accepted, in the subscriber session's payload type numbers (RTX
 *                     folded in, feedback as agreed)
 * @param payloadTypes publisher payload type → subscriber payload type for the accepted codecs and their RTX
 * @param extensions   the header extensions the subscriber accepted: URI → id (the session's fixed ids)
 * @param source       the track as the caller passed it
 */
public record AnsweredTrack(String key, String mid, MediaKind kind, int ssrc, int rtxSsrc, Direction direction,
                            List<NegotiatedCodec> codecs, PayloadTypeMapping payloadTypes,
                            Map<String, Integer> extensions, ForwardedTrack source) {

    public AnsweredTrack {
        codecs = List.copyOf(codecs);
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** @return true when the subscriber receives the track (answered {@code recvonly}) */
    public boolean isActive() {
        return direction == Direction.RECVONLY;
    }

    /** @return the negotiated id of that header extension URI, or -1 when not accepted */
    public int extensionId(String uri) {
        Integer id = extensions.get(uri);
        return id == null ? -1 : id;
    }
}
