package io.sfu.core.sdp;

/**
 * The {@code b=} line, RFC 8866 §5.8: {@code b=<bwtype>:<bandwidth>}, e.g. {@code AS} in kbit/s or {@code TIAS}
 * in bit/s (RFC 3890).
 */
public record Bandwidth(String type, long value) {

    /** @throws IllegalArgumentException when the type is not a token or the value is negative */
    public Bandwidth {
        SdpText.requireToken(type, "bandwidth type");
        if (value < 0) {
            throw new IllegalArgumentException("bandwidth must not be negative");
        }
    }

    /** Parses the value of a {@code b=} line. */
    public static Bandwidth parse(String text) {
        SdpText.checkValue(text, "b=");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new SdpParseException("b= needs <bwtype>:<bandwidth>, was '" + SdpText.abbreviate(text) + "'");
        }
        String type = text.substring(0, colon);
        if (!SdpText.isToken(type)) {
            throw new SdpParseException("b= type '" + SdpText.abbreviate(type) + "' is not a token");
        }
        return new Bandwidth(type, SdpText.parseNumber(text.substring(colon + 1), Long.MAX_VALUE, "b= bandwidth"));
    }

    /** @return the value of the {@code b=} line */
    @Override
    public String toString() {
        return type + ':' + value;
    }
}
