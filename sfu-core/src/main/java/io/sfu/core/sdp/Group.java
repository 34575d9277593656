package io.sfu.core.sdp;

import java.util.List;

/**
 * A media grouping, RFC 5888 §5: {@code a=group:<semantics> *(SP <identification-tag>)}, e.g.
 * {@code a=group:BUNDLE 0 1} (RFC 9143) or {@code a=group:LS 1 2}.
 */
public record Group(String semantics, List<String> mids) implements TypedAttribute {

    /** RFC 9143 §7.1. */
    public static final String BUNDLE = "BUNDLE";

    /** @throws IllegalArgumentException unless the semantics and every mid are tokens */
    public Group {
        SdpText.requireToken(semantics, "group semantics");
        mids = List.copyOf(mids);
        for (String mid : mids) {
            SdpText.requireToken(mid, "group mid");
        }
    }

    /** A BUNDLE group of the given mids. */
    public static Group bundle(List<String> mids) {
        return new Group(BUNDLE, mids);
    }

    /** @return true for the BUNDLE semantics, read ignoring case as some stacks write it */
    public boolean isBundle() {
        return BUNDLE.equalsIgnoreCase(semantics);
    }

    /** Parses the value of {@code a=group}. */
    public static Group parse(String value) {
        SdpText.checkValue(value, "group");
        List<String> f = SdpText.splitSpaces(value, "group");
        for (String token : f) {
            if (!SdpText.isToken(token)) {
                throw new SdpParseException("group field '" + SdpText.abbreviate(token) + "' is not a token");
            }
        }
        return new Group(f.get(0), f.subList(1, f.size()));
    }

    @Override
    public String attributeName() {
        return AttributeNames.GROUP;
    }

    @Override
    public String attributeValue() {
        return mids.isEmpty() ? semantics : semantics + ' ' + String.join(" ", mids);
    }
}
