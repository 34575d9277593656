package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A grouping of sources, RFC 5576 §4.2: {@code a=ssrc-group:<semantics> *(SP <ssrc-id>)}, e.g. {@code FID} (a
 * stream and its RTX repair stream, RFC 4588 §8.2) or {@code SIM} (simulcast layers).
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) implements TypedAttribute {

    /** RFC 5888 §7 flow identification: primary SSRC, then its retransmission SSRC. */
    public static final String FID = "FID";
    /** Simulcast layers, lowest first (as written by libwebrtc). */
    public static final String SIM = "SIM";

    /** @throws IllegalArgumentException when the semantics is not a token or an SSRC is out of range */
    public SsrcGroup {
        SdpText.requireToken(semantics, "ssrc-group semantics");
        ssrcs = List.copyOf(ssrcs);
        for (long s : ssrcs) {
            if (s < 0 || s > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ssrc must be 0..2^32-1, was " + s);
            }
        }
    }

    /** Parses the value of {@code a=ssrc-group}. */
    public static SsrcGroup parse(String value) {
        SdpText.checkValue(value, "ssrc-group");
        List<String> f = SdpText.splitSpaces(value, "ssrc-group");
        if (!SdpText.isToken(f.get(0))) {
            throw new SdpParseException("ssrc-group semantics '" + SdpText.abbreviate(f.get(0)) + "' is not a token");
        }
        List<Long> ssrcs = new ArrayList<>(f.size() - 1);
        for (int i = 1; i < f.size(); i++) {
            ssrcs.add(SdpText.parseNumber(f.get(i), 0xFFFF_FFFFL, "ssrc-group ssrc"));
        }
        return new SsrcGroup(f.get(0), ssrcs);
    }

    @Override
    public String attributeName() {
        return AttributeNames.SSRC_GROUP;
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }
}
