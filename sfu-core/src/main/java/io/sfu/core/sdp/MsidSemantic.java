package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The session-level {@code a=msid-semantic} of the msid drafts, still written by browsers: Chromium writes
 * {@code a=msid-semantic: WMS <stream ids>} (note the space), Firefox {@code a=msid-semantic:WMS *}. Leading
 * spaces are accepted on parse; built values are written without one.
 */
public record MsidSemantic(String semantic, List<String> identifiers) implements TypedAttribute {

    /** The WebRTC media stream semantic. */
    public static final String WMS = "WMS";

    /** @throws IllegalArgumentException unless the semantic and identifiers are tokens */
    public MsidSemantic {
        SdpText.requireToken(semantic, "msid-semantic");
        identifiers = List.copyOf(identifiers);
        for (String id : identifiers) {
            SdpText.requireToken(id, "msid-semantic identifier");
        }
    }

    /** Parses the value of {@code a=msid-semantic}. */
    public static MsidSemantic parse(String value) {
        SdpText.checkValue(value, "msid-semantic");
        int start = 0;
        while (start < value.length() && value.charAt(start) == ' ') {
            start++;
        }
        String rest = value.substring(start);
        if (rest.isEmpty()) {
            throw new SdpParseException("msid-semantic has no semantic");
        }
        List<String> f = new ArrayList<>(SdpText.splitSpaces(rest, "msid-semantic"));
        for (String token : f) {
            if (!SdpText.isToken(token)) {
                throw new SdpParseException("msid-semantic field '" + SdpText.abbreviate(token) + "' is not a token");
            }
        }
        return new MsidSemantic(f.get(0), f.subList(1, f.size()));
    }

    @Override
    public String attributeName() {
        return AttributeNames.MSID_SEMANTIC;
    }

    @Override
    public String attributeValue() {
        return identifiers.isEmpty() ? semantic : semantic + ' ' + String.join(" ", identifiers);
    }
}
