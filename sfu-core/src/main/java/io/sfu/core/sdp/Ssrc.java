package io.sfu.core.sdp;

/**
 * A source-specific attribute, RFC 5576 §4.1:
 * <pre>
 * ssrc-attr = "ssrc:" ssrc-id SP attribute     ; attribute = att-field [":" att-value]
 * ssrc-id   = integer                          ; 0 .. 2**32 - 1
 * </pre>
 * e.g. {@code a=ssrc:1630845973 cname:uLqat1Vh7Ykay8+5} or {@code a=ssrc:1630845973 msid:<stream> <track>}.
 * The value is null for an attribute without a colon.
 */
public record Ssrc(long ssrc, String attribute, String value) implements TypedAttribute {

    /** RFC 5576 §6.1: the canonical name. */
    public static final String CNAME = "cname";

    /** @throws IllegalArgumentException when the SSRC is out of range or a field would not parse back */
    public Ssrc {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc must be 0..2^32-1, was " + ssrc);
        }
        SdpText.requireToken(attribute, "ssrc attribute name");
        if (value != null) {
            SdpText.requireLineSafe(value, "ssrc attribute value");
        }
    }

    /** {@code a=ssrc:<ssrc> cname:<cname>}. */
    public static Ssrc cname(long ssrc, String cname) {
        return new Ssrc(ssrc, CNAME, cname);
    }

    /** {@code a=ssrc:<ssrc> msid:<stream id> <track id>}. */
    public static Ssrc msid(long ssrc, Msid msid) {
        return new Ssrc(ssrc, AttributeNames.MSID, msid.attributeValue());
    }

    /** Parses the value of {@code a=ssrc}. */
    public static Ssrc parse(String text) {
        SdpText.checkValue(text, "ssrc");
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("ssrc needs '<ssrc> <attribute>[:<value>]'");
        }
        long ssrc = SdpText.parseNumber(text.substring(0, space), 0xFFFF_FFFFL, "ssrc");
        String rest = text.substring(space + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        if (!SdpText.isToken(name)) {
            throw new SdpParseException("ssrc attribute name '" + SdpText.abbreviate(name) + "' is not a token");
        }
        return new Ssrc(ssrc, name, colon < 0 ? null : rest.substring(colon + 1));
    }

    @Override
    public String attributeName() {
        return AttributeNames.SSRC;
    }

    @Override
    public String attributeValue() {
        return value == null ? ssrc + " " + attribute : ssrc + " " + attribute + ':' + value;
    }
}
