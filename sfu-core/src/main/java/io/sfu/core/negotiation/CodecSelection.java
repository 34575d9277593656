package io.sfu.core.negotiation;

import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.Fmtp;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.SdpParseException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The codecs a publisher answer accepts on one m-line (RFC 3264 §6.1): the primaries {@link CodecPolicy} accepts in
 * the offer's order and numbers, each video primary's RTX (RFC 4588 §8.1) and the feedback kept (RFC 4585 §4.2).
 */
final class CodecSelection {
    /** The offered codecs to write back, primaries and RTX, in offer order. */
    final List<Codec> written = new ArrayList<>();
    /** The accepted feedback of each primary payload type. */
    final Map<Integer, List<RtcpFb>> feedback = new HashMap<>();
    /** The accepted primaries with RTX folded in. */
    final List<NegotiatedCodec> primaries = new ArrayList<>();

    private CodecSelection() {
    }

    /** @return the codecs of the m-line the SFU receives: {@link CodecPolicy}'s primaries, their RTX and feedback */
    static CodecSelection of(MediaDescription m, MediaKind kind) {
        List<Codec> offered = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Codec c : m.codecs()) {
            if (seen.add(c.payloadType())) {
                offered.add(c);
            }
        }
        CodecSelection s = new CodecSelection();
        Set<Integer> primaries = new HashSet<>();
        for (Codec c : offered) {
            if (CodecPolicy.acceptsPrimary(kind, c)) {
                primaries.add(c.payloadType());
            }
        }
        Map<Integer, Integer> rtxByApt = new HashMap<>();
        if (kind == MediaKind.VIDEO) {
            for (Codec c : offered) {
                int apt = c.isRtx() ? associatedPayloadType(c.fmtp()) : -1;
                if (apt >= 0 && primaries.contains(apt) && !rtxByApt.containsKey(apt)) {
                    rtxByApt.put(apt, c.payloadType());
                }
            }
        }
        Set<Integer> rtx = new HashSet<>(rtxByApt.values());
        for (Codec c : offered) {
            int pt = c.payloadType();
            if (primaries.contains(pt)) {
                List<RtcpFb> fbs = new ArrayList<>();
                List<String> values = new ArrayList<>();
                for (RtcpFb fb : c.feedback()) {
                    String v = CodecPolicy.feedbackValue(fb);
                    if (CodecPolicy.acceptsFeedback(kind, v) && !values.contains(v)) {
                        values.add(v);
                        fbs.add(new RtcpFb(pt, fb.type(), fb.subtype()));
                    }
                }
                s.written.add(c);
                s.feedback.put(pt, fbs);
                s.primaries.add(new NegotiatedCodec(pt, c.rtpmap().encodingName(), c.rtpmap().clockRate(),
                    c.rtpmap().channels(), c.fmtp() == null ? Map.of() : c.fmtp().parameters(),
                    rtxByApt.getOrDefault(pt, -1), values));
            } else if (rtx.contains(pt)) {
                s.written.add(c);
            }
        }
        return s;
    }

    private static int associatedPayloadType(Fmtp fmtp) {
        if (fmtp == null) {
            return -1;
        }
        try {
            return fmtp.associatedPayloadType();
        } catch (SdpParseException e) {
            return -1; // an RTX without a valid apt repairs nothing: dropped
        }
    }
}
