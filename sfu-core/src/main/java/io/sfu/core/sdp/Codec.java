package io.sfu.core.sdp;

import java.util.List;

/**
 * One payload type of an RTP media section gathered from its {@code a=rtpmap}, {@code a=fmtp} and
 * {@code a=rtcp-fb} lines (RFC 8866 §6.6, §6.15; RFC 4585 §4.2): a read-only convenience for negotiation code.
 *
 * @param rtpmap   the mapping, or null for a static payload type written without one (RFC 3551 §6)
 * @param fmtp     the format parameters, or null when absent
 * @param feedback the feedback entries that apply, including {@code *} entries
 */
public record Codec(int payloadType, Rtpmap rtpmap, Fmtp fmtp, List<RtcpFb> feedback) {

    public Codec {
        feedback = List.copyOf(feedback);
    }

    /** @return the encoding name, or null when there is no rtpmap */
    public String name() {
        return rtpmap == null ? null : rtpmap.encodingName();
    }

    /** @return true when the encoding name matches ignoring case */
    public boolean is(String encodingName) {
        return rtpmap != null && rtpmap.is(encodingName);
    }

    /** @return true for an RTX repair payload type (RFC 4588) */
    public boolean isRtx() {
        return is("rtx");
    }

    /** @return the format parameter matching ignoring case, or null */
    public String parameter(String key) {
        return fmtp == null ? null : fmtp.parameter(key);
    }

    /** @return true when a feedback entry with that type and subtype (null for none) applies */
    public boolean hasFeedback(String type, String subtype) {
        for (RtcpFb fb : feedback) {
            if (fb.type().equals(type) && java.util.Objects.equals(fb.subtype(), subtype)) {
                return true;
            }
        }
        return false;
    }
}
