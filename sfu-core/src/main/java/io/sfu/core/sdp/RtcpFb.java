package io.sfu.core.sdp;

import java.util.List;

/**
 * An RTCP feedback capability, RFC 4585 §4.2:
 * <pre>
 * rtcp-fb-syntax = "a=rtcp-fb:" rtcp-fb-pt SP rtcp-fb-val CRLF
 * rtcp-fb-pt     = "*" / fmt          ; "*" applies to every payload type
 * rtcp-fb-val    = "ack" rtcp-fb-ack-param / "nack" rtcp-fb-nack-param / "trr-int" SP 1*DIGIT / rtcp-fb-id rtcp-fb-param
 * </pre>
 * e.g. {@code nack}, {@code nack pli}, {@code ccm fir} (RFC 5104), {@code transport-cc}, {@code goog-remb}. The
 * subtype is the rest of the value after the type (may hold spaces), or null. Extra spaces between the fields,
 * which some stacks write ({@code goog-remb }), are read as one.
 */
public record RtcpFb(int payloadType, String type, String subtype) implements TypedAttribute {

    /** The payload type value standing for {@code *}. */
    public static final int ANY_PAYLOAD_TYPE = -1;

    /** @throws IllegalArgumentException when a field is out of range or would not parse back */
    public RtcpFb {
        if (payloadType < ANY_PAYLOAD_TYPE || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127 or -1 (*), was " + payloadType);
        }
        SdpText.requireToken(type, "rtcp-fb type");
        if (subtype != null) {
            SdpText.requireLineSafe(subtype, "rtcp-fb subtype");
            if (subtype.isEmpty() || subtype.charAt(0) == ' ' || subtype.charAt(subtype.length() - 1) == ' ') {
                throw new IllegalArgumentException("rtcp-fb subtype must be non-empty without outer spaces");
            }
        }
    }

    /** A feedback type without subtype, e.g. {@code transport-cc}. */
    public RtcpFb(int payloadType, String type) {
        this(payloadType, type, null);
    }

    /** @return true for {@code a=rtcp-fb:*} */
    public boolean isWildcard() {
        return payloadType == ANY_PAYLOAD_TYPE;
    }

    /** @return true when this entry applies to the payload type (directly or through {@code *}) */
    public boolean appliesTo(int pt) {
        return payloadType == ANY_PAYLOAD_TYPE || payloadType == pt;
    }

    /** Parses the value of {@code a=rtcp-fb}. */
    public static RtcpFb parse(String value) {
        SdpText.checkValue(value, "rtcp-fb");
        List<String> f = SdpText.splitSpaces(value, "rtcp-fb");
        if (f.size() < 2) {
            throw new SdpParseException("rtcp-fb needs '<payload type> <type>'");
        }
        int pt = "*".equals(f.get(0)) ? ANY_PAYLOAD_TYPE : SdpText.parsePayloadType(f.get(0));
        String type = f.get(1);
        if (!SdpText.isToken(type)) {
            throw new SdpParseException("rtcp-fb type '" + SdpText.abbreviate(type) + "' is not a token");
        }
        String subtype = f.size() > 2 ? String.join(" ", f.subList(2, f.size())) : null;
        return new RtcpFb(pt, type, subtype);
    }

    @Override
    public String attributeName() {
        return AttributeNames.RTCP_FB;
    }

    @Override
    public String attributeValue() {
        String pt = payloadType == ANY_PAYLOAD_TYPE ? "*" : Integer.toString(payloadType);
        return subtype == null ? pt + ' ' + type : pt + ' ' + type + ' ' + subtype;
    }
}
