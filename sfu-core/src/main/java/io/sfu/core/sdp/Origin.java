package io.sfu.core.sdp;

import java.util.List;

/**
 * The {@code o=} line, RFC 8866 §5.2:
 * <pre>
 * o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;
 * </pre>
 * The session id is kept as its digit string (it may be wider than a long); the version is a number because an
 * offerer increments it on every renegotiation (RFC 3264 §8; JSEP keeps both below 2^63).
 */
public record Origin(String username, String sessionId, long sessionVersion, String netType, String addrType,
                     String address) {

    /** {@code o=- 0 0 IN IP4 127.0.0.1}: a placeholder for descriptions built in code. */
    public static final Origin DEFAULT = new Origin("-", "0", 0, "IN", "IP4", "127.0.0.1");

    /** @throws IllegalArgumentException when a field would not parse back */
    public Origin {
        SdpText.requireLineSafe(username, "origin username");
        if (username.isEmpty() || username.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("origin username must be non-empty without spaces");
        }
        if (!SdpText.isDigits(sessionId)) {
            throw new IllegalArgumentException("origin session id must be digits, was '" + sessionId + "'");
        }
        if (sessionVersion < 0) {
            throw new IllegalArgumentException("origin session version must not be negative");
        }
        SdpText.requireToken(netType, "origin nettype");
        SdpText.requireToken(addrType, "origin addrtype");
        SdpText.requireLineSafe(address, "origin address");
        if (address.isEmpty() || address.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("origin address must be non-empty without spaces");
        }
    }

    /** @return a copy with another session version, for a renegotiation */
    public Origin withSessionVersion(long version) {
        return new Origin(username, sessionId, version, netType, addrType, address);
    }

    /** Parses the value of an {@code o=} line. */
    public static Origin parse(String value) {
        SdpText.checkValue(value, "o=");
        List<String> f = SdpText.splitSpaces(value, "o=");
        if (f.size() != 6) {
            throw new SdpParseException("o= needs 6 fields (username sess-id sess-version nettype addrtype address), has "
                + f.size());
        }
        if (!SdpText.isDigits(f.get(1))) {
            throw new SdpParseException("o= session id '" + SdpText.abbreviate(f.get(1)) + "' is not a number");
        }
        long version = SdpText.parseNumber(f.get(2), Long.MAX_VALUE, "o= session version");
        if (!SdpText.isToken(f.get(3)) || !SdpText.isToken(f.get(4))) {
            throw new SdpParseException("o= nettype and addrtype must be tokens");
        }
        return new Origin(f.get(0), f.get(1), version, f.get(3), f.get(4), f.get(5));
    }

    /** @return the value of the {@code o=} line */
    @Override
    public String toString() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
    }
}
