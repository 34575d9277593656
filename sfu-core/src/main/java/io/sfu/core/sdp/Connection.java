package io.sfu.core.sdp;

import java.util.List;

/**
 * The {@code c=} line, RFC 8866 §5.7: {@code c=<nettype> <addrtype> <connection-address>}. A multicast TTL or
 * address count ({@code 224.2.1.1/127/3}) stays part of the address text.
 */
public record Connection(String netType, String addrType, String address) {

    /** {@code IN IP4 0.0.0.0}, what WebRTC writes before a candidate is known (RFC 8829 §5.2.1). */
    public static final Connection IP4_ANY = new Connection("IN", "IP4", "0.0.0.0");

    /** @throws IllegalArgumentException when a field would not parse back */
    public Connection {
        SdpText.requireToken(netType, "connection nettype");
        SdpText.requireToken(addrType, "connection addrtype");
        SdpText.requireLineSafe(address, "connection address");
        if (address.isEmpty() || address.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("connection address must be non-empty without spaces");
        }
    }

    /** {@code IN IP4 <address>} or {@code IN IP6 <address>} depending on whether the address has a colon. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    /** Parses the value of a {@code c=} line (also the tail of {@code a=rtcp}). */
    public static Connection parse(String value) {
        SdpText.checkValue(value, "c=");
        List<String> f = SdpText.splitSpaces(value, "c=");
        if (f.size() != 3) {
            throw new SdpParseException("c= needs 3 fields (nettype addrtype address), has " + f.size());
        }
        if (!SdpText.isToken(f.get(0)) || !SdpText.isToken(f.get(1))) {
            throw new SdpParseException("c= nettype and addrtype must be tokens");
        }
        return new Connection(f.get(0), f.get(1), f.get(2));
    }

    /** @return the value of the {@code c=} line */
    @Override
    public String toString() {
        return netType + ' ' + addrType + ' ' + address;
    }
}
