package io.sfu.core.sdp;

import java.util.Map;
import java.util.function.Function;

/** The value parser of each attribute with a typed form, for {@link SdpSection#validateAttributes()}. */
final class KnownAttributes {
    private KnownAttributes() {
    }

    // One instance per attribute name, shared by every reader: an attribute keeps the typed form that its parser
    // made (Attribute#typed), found again by the parser's identity.
    static final Function<String, Group> GROUP = Group::parse;
    static final Function<String, String> MID = MediaDescription::parseMid;
    static final Function<String, Msid> MSID = Msid::parse;
    static final Function<String, MsidSemantic> MSID_SEMANTIC = MsidSemantic::parse;
    static final Function<String, Fingerprint> FINGERPRINT = Fingerprint::parse;
    static final Function<String, Setup> SETUP = Setup::parse;
    static final Function<String, Rtpmap> RTPMAP = Rtpmap::parse;
    static final Function<String, Fmtp> FMTP = Fmtp::parse;
    static final Function<String, RtcpFb> RTCP_FB = RtcpFb::parse;
    static final Function<String, Extmap> EXTMAP = Extmap::parse;
    static final Function<String, Ssrc> SSRC = Ssrc::parse;
    static final Function<String, SsrcGroup> SSRC_GROUP = SsrcGroup::parse;
    static final Function<String, Rid> RID = Rid::parse;
    static final Function<String, Simulcast> SIMULCAST = Simulcast::parse;
    static final Function<String, Candidate> CANDIDATE = Candidate::parse;
    static final Function<String, Rtcp> RTCP = Rtcp::parse;

    private static final Map<String, Function<String, ?>> PARSERS = Map.ofEntries(
        Map.entry(AttributeNames.GROUP, GROUP),
        Map.entry(AttributeNames.MID, MID),
        Map.entry(AttributeNames.MSID, MSID),
        Map.entry(AttributeNames.MSID_SEMANTIC, MSID_SEMANTIC),
        Map.entry(AttributeNames.FINGERPRINT, FINGERPRINT),
        Map.entry(AttributeNames.SETUP, SETUP),
        Map.entry(AttributeNames.RTPMAP, RTPMAP),
        Map.entry(AttributeNames.FMTP, FMTP),
        Map.entry(AttributeNames.RTCP_FB, RTCP_FB),
        Map.entry(AttributeNames.EXTMAP, EXTMAP),
        Map.entry(AttributeNames.SSRC, SSRC),
        Map.entry(AttributeNames.SSRC_GROUP, SSRC_GROUP),
        Map.entry(AttributeNames.RID, RID),
        Map.entry(AttributeNames.SIMULCAST, SIMULCAST),
        Map.entry(AttributeNames.CANDIDATE, CANDIDATE),
        Map.entry(AttributeNames.RTCP, RTCP));

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
