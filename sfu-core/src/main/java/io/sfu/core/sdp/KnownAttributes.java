package io.sfu.core.sdp;

import java.util.Map;
import java.util.function.Function;

/** The value parser of each attribute with a typed form, for {@link SdpSection#validateAttributes()}. */
final class KnownAttributes {
    private KnownAttributes() {
    }

    private static final Map<String, Function<String, ?>> PARSERS = Map.ofEntries(
        Map.entry(AttributeNames.GROUP, Group::parse),
        Map.entry(AttributeNames.MID, MediaDescription::parseMid),
        Map.entry(AttributeNames.MSID, Msid::parse),
        Map.entry(AttributeNames.MSID_SEMANTIC, MsidSemantic::parse),
        Map.entry(AttributeNames.FINGERPRINT, Fingerprint::parse),
        Map.entry(AttributeNames.SETUP, Setup::parse),
        Map.entry(AttributeNames.RTPMAP, Rtpmap::parse),
        Map.entry(AttributeNames.FMTP, Fmtp::parse),
        Map.entry(AttributeNames.RTCP_FB, RtcpFb::parse),
        Map.entry(AttributeNames.EXTMAP, Extmap::parse),
        Map.entry(AttributeNames.SSRC, Ssrc::parse),
        Map.entry(AttributeNames.SSRC_GROUP, SsrcGroup::parse),
        Map.entry(AttributeNames.RID, Rid::parse),
        Map.entry(AttributeNames.SIMULCAST, Simulcast::parse),
        Map.entry(AttributeNames.CANDIDATE, Candidate::parse),
        Map.entry(AttributeNames.RTCP, Rtcp::parse));

    /** @return the parser for that attribute name, or null when it has no typed form */
    static Function<String, ?> parser(String name) {
        return PARSERS.get(name);
    }

    /** Attributes whose format field is an RTP payload type: only typed in RTP media sections. */
    static boolean isPayloadTypeAttribute(String name) {
        return AttributeNames.RTPMAP.equals(name) || AttributeNames.FMTP.equals(name)
            || AttributeNames.RTCP_FB.equals(name);
    }
}
