package io.sfu.core.sdp;

import java.util.Locale;

/**
 * Media direction, RFC 8866 §6.7: the property attributes {@code a=sendrecv}, {@code a=sendonly},
 * {@code a=recvonly} and {@code a=inactive}; also the optional direction of an {@code a=extmap}.
 */
public enum Direction implements TypedAttribute {
    SENDRECV,
    SENDONLY,
    RECVONLY,
    INACTIVE;

    /** The attribute name: the direction's name in lower case. */
    private final String sdpName = name().toLowerCase(Locale.ROOT);

    /** @return the attribute name, e.g. {@code sendonly} */
    public String sdpName() {
        return sdpName;
    }

    /** @return true for sendrecv and sendonly */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** @return true for sendrecv and recvonly */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** @return the direction the other side of an offer/answer uses for this one (RFC 3264 §6.1) */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** @return the direction with that attribute name, or null if the name is not a direction */
    public static Direction fromSdpName(String name) {
        return SdpText.byWord(values(), Direction::sdpName, name);
    }

    /** @throws SdpParseException when the text is not one of the four names */
    public static Direction parse(String name) {
        SdpText.checkValue(name, "direction");
        Direction d = fromSdpName(name);
        if (d == null) {
            throw new SdpParseException("'" + SdpText.abbreviate(name) + "' is not a direction "
                + "(sendrecv, sendonly, recvonly, inactive)");
        }
        return d;
    }

    @Override
    public String attributeName() {
        return sdpName;
    }

    @Override
    public String attributeValue() {
        return null;
    }
}
