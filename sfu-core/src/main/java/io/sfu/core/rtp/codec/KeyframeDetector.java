package io.sfu.core.rtp.codec;

import org.agrona.DirectBuffer;

/**
 * Tells whether an RTP payload (the bytes after the RTP header and its extensions, before any padding) starts a
 * video keyframe, so that a forwarder can switch layers or know that a keyframe request was answered.
 *
 * <p>Implementations are single-threaded (one per stream on the forwarding thread), allocate nothing per call and
 * answer {@code false} for truncated or malformed payloads instead of throwing.
 */
public interface KeyframeDetector {

    /** True when {@code length} bytes at {@code offset} of {@code payload} are the first packet of a keyframe. */
    boolean isKeyframe(DirectBuffer payload, int offset, int length);

    /** As {@link #isKeyframe(DirectBuffer, int, int)}, over a byte array. */
    boolean isKeyframe(byte[] payload, int offset, int length);

    /** The codec name this detector understands, as in SDP {@code a=rtpmap} ("VP8", "VP9", "H264", "AV1"). */
    String codec();

    /** Whether {@link #forCodec(String)} knows {@code codecName} (case-insensitive). */
    static boolean supports(String codecName) {
        return "VP8".equalsIgnoreCase(codecName) || "VP9".equalsIgnoreCase(codecName)
            || "H264".equalsIgnoreCase(codecName) || "AV1".equalsIgnoreCase(codecName);
    }

    /**
     * A new detector for the codec named in SDP (case-insensitive). Cold path: call it when a track is set up.
     *
     * @throws IllegalArgumentException naming the codec when it is not one of VP8, VP9, H264 or AV1
     */
    static KeyframeDetector forCodec(String codecName) {
        if ("VP8".equalsIgnoreCase(codecName)) {
            return new Vp8PayloadParser();
        }
        if ("VP9".equalsIgnoreCase(codecName)) {
            return new Vp9PayloadParser();
        }
        if ("H264".equalsIgnoreCase(codecName)) {
            return new H264PayloadParser();
        }
        if ("AV1".equalsIgnoreCase(codecName)) {
            return new Av1PayloadParser();
        }
        throw new IllegalArgumentException("no keyframe detector for codec " + codecName
            + " (supported: VP8, VP9, H264, AV1)");
    }
}
