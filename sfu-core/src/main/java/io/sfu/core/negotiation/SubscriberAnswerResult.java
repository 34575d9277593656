package io.sfu.core.negotiation;

import io.sfu.core.sdp.Direction;
import io.sfu.core.sdp.MediaKind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a subscriber's answer agreed: its transport, and per m-line what it accepted.
 *
 * @param remote     the subscriber's transport; null only when the answer rejects every m-line before any
 *                   transport was agreed (otherwise the last agreed one)
 * @param iceRestart the subscriber changed its ICE credentials compared to its previous answer
 * @param media      one entry per m-line of the offer, in order
 * @param tracks     the forwarded tracks on accepted m-lines, in m-line order
 */
public record SubscriberAnswerResult(RemoteTransportParams remote, boolean iceRestart, List<AnsweredMedia> media,
                                     List<AnsweredTrack> tracks) {

    public SubscriberAnswerResult {
        media = List.copyOf(media);
        tracks = List.copyOf(tracks);
    }

    /** @return the track with that key, if it is on an accepted m-line */
    public Optional<AnsweredTrack> track(String key) {
        return tracks.stream().filter(t -> t.key().equals(key)).findFirst();
    }

    /**
     * One m-line of a subscriber answer.
     *
     * @param rejected   the subscriber rejected the m-line (port 0)
     * @param direction  the answered direction ({@code recvonly} or {@code inactive}; {@code inactive} when rejected)
     * @param trackKey   the key of the track the m-line carried, or null for an inactive m-line
     * @param codecs     the accepted codecs in the subscriber's payload type numbers (empty when rejected)
     * @param extensions the accepted header extensions: URI → id
     */
    public record AnsweredMedia(String mid, MediaKind kind, boolean rejected, Direction direction, String trackKey,
                                List<NegotiatedCodec> codecs, Map<String, Integer> extensions) {
        public AnsweredMedia {
            codecs = List.copyOf(codecs);
            extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        }
    }
}
