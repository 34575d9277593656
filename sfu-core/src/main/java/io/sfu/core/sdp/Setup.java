package io.sfu.core.sdp;

import java.util.Locale;

/**
 * The DTLS role negotiation attribute {@code a=setup}, RFC 4145 §4 as used by RFC 8842 §5: the offerer writes
 * {@code actpass}, the answerer {@code active} (it starts the handshake) or {@code passive}.
 */
public enum Setup implements TypedAttribute {
    ACTPASS,
    ACTIVE,
    PASSIVE,
    HOLDCONN;

    /** The role as {@code a=setup} writes it: the name in lower case. */
    private final String sdpValue = name().toLowerCase(Locale.ROOT);

    public String sdpValue() {
        return sdpValue;
    }

    /** @throws SdpParseException when the value is not one of the four roles */
    public static Setup parse(String value) {
        SdpText.checkValue(value, "setup");
        Setup setup = SdpText.byWord(values(), Setup::sdpValue, value);
        if (setup != null) {
            return setup;
        }
        throw new SdpParseException("'" + SdpText.abbreviate(value) + "' is not a setup role "
            + "(actpass, active, passive, holdconn)");
    }

    @Override
    public String attributeName() {
        return AttributeNames.SETUP;
    }

    @Override
    public String attributeValue() {
        return sdpValue;
    }
}
