package io.sfu.core.sdp;

/**
 * The RTCP port attribute, RFC 3605 §2.1: {@code a=rtcp:<port> [<nettype> <addrtype> <connection-address>]}.
 * With rtcp-mux WebRTC writes the placeholder {@code a=rtcp:9 IN IP4 0.0.0.0}. The connection is null when
 * absent.
 */
public record Rtcp(int port, Connection connection) implements TypedAttribute {

    /** @throws IllegalArgumentException when the port is out of range */
    public Rtcp {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rtcp port must be 0..65535, was " + port);
        }
    }

    /** Parses the value of {@code a=rtcp}. */
    public static Rtcp parse(String value) {
        SdpText.checkValue(value, "rtcp");
        int space = value.indexOf(' ');
        int port = SdpText.parseInt(space < 0 ? value : value.substring(0, space), 65535, "rtcp port");
        return new Rtcp(port, space < 0 ? null : Connection.parse(value.substring(space + 1)));
    }

    @Override
    public String attributeName() {
        return AttributeNames.RTCP;
    }

    @Override
    public String attributeValue() {
        return connection == null ? Integer.toString(port) : port + " " + connection;
    }
}
