package io.sfu.core.negotiation;

import io.sfu.core.sdp.Codec;
import io.sfu.core.sdp.MediaKind;
import io.sfu.core.sdp.RtcpFb;
import io.sfu.core.sdp.Rtpmap;

import java.util.Set;

/**
 * Which codecs and feedback the SFU accepts from a publisher. It forwards without transcoding, so it accepts what
 * every browser can decode and what its keyframe detection understands: Opus; VP8, VP9 profiles 0 and 2, H.264 in
 * packetization mode 1 (RFC 6184 §6.2: non-interleaved, what browsers decode), AV1; each with its RTX.
 */
final class CodecPolicy {
    private CodecPolicy() {
    }

    static final int VIDEO_CLOCK_RATE = 90_000;
    static final int OPUS_CLOCK_RATE = 48_000;

    /** Feedback kept on video codecs. */
    static final Set<String> VIDEO_FEEDBACK = Set.of(NegotiatedCodec.NACK, NegotiatedCodec.PLI, NegotiatedCodec.FIR,
        NegotiatedCodec.TRANSPORT_CC, NegotiatedCodec.REMB);
    /** Feedback kept on audio codecs: audio is neither repaired nor refreshed, only measured. */
    static final Set<String> AUDIO_FEEDBACK = Set.of(NegotiatedCodec.TRANSPORT_CC);

    /** @return true when the SFU receives this (non-RTX) codec on a publisher m-line of that kind */
    static boolean acceptsPrimary(MediaKind kind, Codec codec) {
        Rtpmap r = codec.rtpmap();
        if (r == null) {
            return false;
        }
        if (kind == MediaKind.AUDIO) {
            // RFC 7587 §7: opus is always written as opus/48000/2, whatever it carries
            return r.is("opus") && r.clockRate() == OPUS_CLOCK_RATE && r.channels() == 2;
        }
        if (r.clockRate() != VIDEO_CLOCK_RATE) {
            return false;
        }
        if (r.is("VP8") || r.is("AV1")) {
            return true;
        }
        if (r.is("VP9")) {
            // draft-ietf-payload-vp9 §6: profile-id defaults to 0; 1 and 3 (4:4:4) are not decodable everywhere
            String profile = codec.parameter("profile-id");
            return profile == null || "0".equals(profile) || "2".equals(profile);
        }
        if (r.is("H264")) {
            return "1".equals(codec.parameter("packetization-mode"));
        }
        return false;
    }

    /** @return true when this feedback entry is kept on a codec of that kind */
    static boolean acceptsFeedback(MediaKind kind, String value) {
        return (kind == MediaKind.VIDEO ? VIDEO_FEEDBACK : AUDIO_FEEDBACK).contains(value);
    }

    /** @return the feedback value as written after the payload type, e.g. {@code nack pli} */
    static String feedbackValue(RtcpFb fb) {
        return fb.subtype() == null ? fb.type() : fb.type() + ' ' + fb.subtype();
    }
}
