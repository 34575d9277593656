package io.sfu.core.forward;

import java.util.List;
import java.util.Objects;

/**
 * What the control plane tells a forwarding agent about a published track: its identity, its codecs by payload
 * type, its encodings (one, or one per simulcast rid in the publisher's order, lowest first) with the SSRCs the
 * SDP announced (0 where the SSRC is learned from the mid/rid header extensions), its feedback capabilities, and
 * whether it shares a screen (its subscribers' estimates serve it before other video but the dominant speaker's).
 */
public record ProducerSpec(String trackId, String participantId, String roomKey, String mid, boolean video,
                           int clockRateHz, List<Codec> codecs, List<Encoding> encodings, boolean nack,
                           boolean pli, boolean fir, boolean screenShare, TrackCounters counters) {

    /** A payload type the publisher may send: the codec's name ("VP8", "opus", ...) and its RTX payload type. */
    public record Codec(int payloadType, String name, int rtxPayloadType) {
    }

    /** One simulcast encoding (or the only one): its rid (null without simulcast) and announced SSRCs. */
    public record Encoding(String rid, int ssrc, int rtxSsrc) {
    }

    public ProducerSpec {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(roomKey, "roomKey");
        codecs = List.copyOf(codecs);
        encodings = List.copyOf(encodings);
        if (encodings.isEmpty()) {
            throw new IllegalArgumentException("a producer has at least one encoding");
        }
        Objects.requireNonNull(counters, "counters");
    }
}
