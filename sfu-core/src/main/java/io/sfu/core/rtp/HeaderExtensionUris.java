package io.sfu.core.rtp;

/** The URIs of the RTP header extensions (RFC 8285 §5) the SFU negotiates and reads. */
public final class HeaderExtensionUris {
    private HeaderExtensionUris() {
    }

    /** RFC 8843 §15.1: the mid of the m-line a packet belongs to (demultiplexes SSRC-less simulcast). */
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** RFC 8852 §3.1: the rid of a simulcast encoding. */
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** RFC 8852 §3.2: the rid an RTX stream repairs. */
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** The absolute send time of libwebrtc, read by REMB bandwidth estimation. */
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** The transport-wide sequence number of transport-cc feedback. */
    public static final String TRANSPORT_WIDE_CC =
        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** RFC 6464: client-to-mixer audio level (dominant speaker detection). */
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** AV1 RTP specification appendix A: the dependency descriptor, which marks frames and key frames. */
    public static final String DEPENDENCY_DESCRIPTOR = DependencyDescriptor.URI;
    /** 3GPP TS 26.114 §7.4.5: coordination of video orientation. */
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
}
