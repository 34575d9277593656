package io.sfu.core.negotiation;

import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.SdpParseException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The SFU's side of one peer connection's transport, written into every description the SFU sends: the ICE
 * credentials (RFC 8839 §5.4), the DTLS certificate fingerprint (RFC 8122 §5) and the addresses of the media
 * socket, announced as one host UDP candidate each (RFC 8445 §5.1.1.1; the SFU is ICE-lite, RFC 8445 §2.5).
 *
 * @param iceUfrag    4 to 256 ice-chars ({@code ALPHA / DIGIT / "+" / "/"})
 * @param icePwd      22 to 256 ice-chars
 * @param fingerprint the fingerprint of the SFU's DTLS certificate
 * @param addresses   the announced media addresses (IPv4 and/or IPv6, resolved, not wildcard), in preference order
 */
public record LocalTransportParams(String iceUfrag, String icePwd, Fingerprint fingerprint,
                                   List<InetSocketAddress> addresses) {

    /** RFC 8445 §5.1.2.2: the recommended type preference of host candidates. */
    public static final int HOST_TYPE_PREFERENCE = 126;
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** More addresses than this would exhaust nothing but the patience of a browser's ICE agent. */
    private static final int MAX_ADDRESSES = 64;

    /** @throws IllegalArgumentException when a credential is not ice-chars of the right length or an address is unusable */
    public LocalTransportParams {
        requireIceChars(iceUfrag, 4, "ice-ufrag");
        requireIceChars(icePwd, 22, "ice-pwd");
        java.util.Objects.requireNonNull(fingerprint, "fingerprint");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("1 to " + MAX_ADDRESSES + " candidate addresses are required");
        }
        for (InetSocketAddress a : addresses) {
            if (a.isUnresolved() || a.getAddress().isAnyLocalAddress() || a.getPort() == 0) {
                throw new IllegalArgumentException("candidate address must be resolved, not a wildcard, with a port: "
                    + a);
            }
        }
    }

    /**
     * @param fingerprint {@code "<hash-func> <hex>"}, e.g. {@code "sha-256 AB:CD:..."}
     * @throws IllegalArgumentException when the fingerprint or another field is malformed
     */
    public static LocalTransportParams of(String iceUfrag, String icePwd, String fingerprint,
                                          List<InetSocketAddress> addresses) {
        Fingerprint parsed;
        try {
            parsed = Fingerprint.parse(fingerprint);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("fingerprint: " + e.reason(), e);
        }
        return new LocalTransportParams(iceUfrag, icePwd, parsed, addresses);
    }

    /**
     * Fresh random credentials (8-character ufrag, 24-character password: 48 and 144 bits), for a new peer
     * connection or an ICE restart (RFC 8445 §9 changes both).
     */
    public static LocalTransportParams withRandomCredentials(Fingerprint fingerprint, List<InetSocketAddress> addresses,
                                                             RandomGenerator random) {
        return new LocalTransportParams(randomIceChars(random, 8), randomIceChars(random, 24), fingerprint, addresses);
    }

    /** @return the same fingerprint and addresses with fresh random credentials, for an ICE restart */
    public LocalTransportParams withNewCredentials(RandomGenerator random) {
        return withRandomCredentials(fingerprint, addresses, random);
    }

    private static String randomIceChars(RandomGenerator random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }

    private static void requireIceChars(String s, int min, String what) {
        if (s == null || s.length() < min || s.length() > 256) {
            throw new IllegalArgumentException(what + " must be " + min + " to 256 characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (ICE_CHARS.indexOf(s.charAt(i)) < 0) {
                throw new IllegalArgumentException(what + " must be ALPHA, DIGIT, '+' or '/' only");
            }
        }
    }

    /**
     * One host UDP candidate per address, component 1 (rtcp-mux), with the priority of RFC 8445 §5.1.2.1:
     * {@code 2^24 * 126 + 2^8 * localPreference + (256 - 1)}, the local preference descending from 65535 in address
     * order so that every candidate's priority differs; foundations differ because the base addresses do
     * (RFC 8445 §5.1.1.3).
     */
    public List<Candidate> hostCandidates() {
        List<Candidate> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            InetSocketAddress a = addresses.get(i);
            out.add(Candidate.host(Integer.toString(i + 1), "udp", priority(HOST_TYPE_PREFERENCE, 65535 - i,
                Candidate.COMPONENT_RTP), addressText(a.getAddress()), a.getPort()));
        }
        return out;
    }

    /** RFC 8445 §5.1.2.1: {@code 2^24 * type preference + 2^8 * local preference + (256 - component id)}. */
    static long priority(int typePreference, int localPreference, int componentId) {
        return (1L << 24) * typePreference + (1L << 8) * localPreference + (256 - componentId);
    }

    /** The address as a candidate writes it: dotted IPv4, or IPv6 in the RFC 5952 form, without a zone. */
    static String addressText(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address) || b.length != 16) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        // RFC 5952 §4.2: the longest run (first on a tie) of two or more zero groups becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
