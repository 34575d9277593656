package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The m-lines and the payload type space of one subscriber offer/answer state: which m-line a new track reuses,
 * and how a track's codecs are numbered in the session.
 */
final class SubscriberMediaLines {
    /** The feedback offered on video codecs; audio is offered none. */
    private static final List<String> VIDEO_FEEDBACK = List.of(NegotiatedCodec.NACK, NegotiatedCodec.PLI,
        NegotiatedCodec.FIR, NegotiatedCodec.REMB);

    final List<SubscriberMediaLine> lines = new ArrayList<>();
    private PayloadTypeSpace payloadTypes = new PayloadTypeSpace();
    private int nextMid;

    SubscriberMediaLines copy() {
        SubscriberMediaLines c = new SubscriberMediaLines();
        for (SubscriberMediaLine s : lines) {
            c.lines.add(s.copy());
        }
        c.payloadTypes = payloadTypes.copy();
        c.nextMid = nextMid;
        return c;
    }

    /** The first inactive m-line of the kind, else a rejected one recycled with a new mid, else a new one. */
    SubscriberMediaLine lineFor(MediaKind kind) {
        for (SubscriberMediaLine s : lines) {
            if (s.track == null && !s.rejected && s.kind == kind) {
                return s;
            }
        }
        for (SubscriberMediaLine s : lines) {
            if (s.track == null && s.rejected) {
                s.mid = Integer.toString(nextMid++);
                s.kind = kind;
                s.rejected = false;
                s.answered = null;
                s.codecs = List.of();
                return s;
            }
        }
        SubscriberMediaLine s = new SubscriberMediaLine(Integer.toString(nextMid++), kind);
        lines.add(s);
        return s;
    }

    /** Puts a track on an m-line: its codecs in session payload types and the publisher → session mapping. */
    void assign(SubscriberMediaLine line, ForwardedTrack track) {
        List<NegotiatedCodec> codecs = new ArrayList<>();
        Set<Integer> onLine = new HashSet<>();
        PayloadTypeMapping.Builder mapping = new PayloadTypeMapping.Builder();
        boolean withRtx = track.hasRtx();
        List<String> feedback = track.kind() == MediaKind.VIDEO ? VIDEO_FEEDBACK : List.of();
        for (NegotiatedCodec c : track.codecs()) {
            int pt = payloadTypes.allocate(c);
            if (!onLine.add(pt)) {
                mapping.map(c.payloadType(), pt); // a second publisher number for a format already on the line
                continue;
            }
            int rtx = -1;
            if (withRtx) {
                rtx = payloadTypes.allocateRtx(c.clockRate(), pt, c.rtxPayloadType());
                onLine.add(rtx);
                if (c.hasRtx()) {
                    mapping.map(c.rtxPayloadType(), rtx);
                }
            }
            mapping.map(c.payloadType(), pt);
            codecs.add(new NegotiatedCodec(pt, c.name(), c.clockRate(), c.channels(), c.parameters(), rtx,
                feedback));
        }
        line.track = track;
        line.codecs = List.copyOf(codecs);
        line.mapping = mapping.build();
    }
}
