package io.sfu.core.negotiation;

import java.util.Set;

/** The RTP header extension URIs (RFC 8285) the SFU negotiates, and the set it accepts from publishers. */
public final class HeaderExtensions {
    private HeaderExtensions() {
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
    /** 3GPP TS 26.114 §7.4.5: coordination of video orientation. */
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";

    /** The extensions a publisher answer keeps (with the offer's ids); every other offered extension is dropped. */
    public static final Set<String> PUBLISHER_ACCEPTED = Set.of(MID, RTP_STREAM_ID, REPAIRED_RTP_STREAM_ID,
        ABS_SEND_TIME, TRANSPORT_WIDE_CC, AUDIO_LEVEL, VIDEO_ORIENTATION);
}
