package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaKind;

import java.util.List;

/** One m-line of a subscriber session: its mid and kind, the track sent on it and that track's codecs. */
final class SubscriberMediaLine {
    String mid;
    MediaKind kind;
    /** The track sent on it, or null while inactive. */
    ForwardedTrack track;
    /** The offered codecs in session payload types, kept while inactive. */
    List<NegotiatedCodec> codecs = List.of();
    PayloadTypeMapping mapping = PayloadTypeMapping.EMPTY;
    /** The browser rejected it (port 0): out of the BUNDLE group until recycled with a new mid. */
    boolean rejected;
    /** What the last applied answer accepted for the track, or null. */
    AnsweredTrack answered;

    SubscriberMediaLine(String mid, MediaKind kind) {
        this.mid = mid;
        this.kind = kind;
    }

    SubscriberMediaLine copy() {
        SubscriberMediaLine c = new SubscriberMediaLine(mid, kind);
        c.track = track;
        c.codecs = codecs;
        c.mapping = mapping;
        c.rejected = rejected;
        c.answered = answered;
        return c;
    }
}
