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
 * socket, announced as one host UDP candidate each (RFC 8445 §5.1.1.1; the SFU is ICE-lite, RFC 8445 §2.5) and,
 * with ICE-TCP, one passive TCP host candidate each (RFC 6544).
 *
 * @param iceUfrag    4 to 256 ice-chars ({@code ALPHA / DIGIT / "+" / "/"})
 * @param icePwd      22 to 256 ice-chars
 * @param fingerprint the fingerprint of the SFU's DTLS certificate
 * @param addresses   the announced media addresses (IPv4 and/or IPv6, resolved, not wildcard), in preference order
 * @param tcpPort     the ICE-TCP listener's port, announced on the same addresses; 0 when there is none
 */
public record LocalTransportParams(String iceUfrag, String icePwd, Fingerprint fingerprint,
                                   List<InetSocketAddress> addresses, int tcpPort) {

    /** RFC 8445 §5.1.2.2: the recommended type preference of host candidates. */
    public static final int HOST_TYPE_PREFERENCE = 126;
    /** RFC 6544 §4.2: the recommended direction preference of a passive host TCP candidate. */
    static final int PASSIVE_HOST_DIRECTION_PREFERENCE = 4;
    /** RFC 6544 §4.5: the TCP type of a candidate that only accepts connections. */
    public static final String TCP_TYPE_PASSIVE = "passive";
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
        if (tcpPort < 0 || tcpPort > 65535) {
            throw new IllegalArgumentException("tcpPort must be 0..65535: " + tcpPort);
        }
    }

    /** Parameters without ICE-TCP. */
    public LocalTransportParams(String iceUfrag, String icePwd, Fingerprint fingerprint,
                                List<InetSocketAddress> addresses) {
        this(iceUfrag, icePwd, fingerprint, addresses, 0);
    }

    /**
     * @param fingerprint {@code "<hash-func> <hex>"}, e.g. {@code "sha-256 AB:CD:..."}
     * @throws IllegalArgumentException when the fingerprint or another field is malformed
     */
    public static LocalTransportParams of(String iceUfrag, String icePwd, String fingerprint,
                                          List<InetSocketAddress> addresses) {
        return of(iceUfrag, icePwd, fingerprint, addresses, 0);
    }

    /** As {@link #of(String, String, String, List)}, with an ICE-TCP listener on {@code tcpPort} (0: none). */
    public static LocalTransportParams of(String iceUfrag, String icePwd, String fingerprint,
                                          List<InetSocketAddress> addresses, int tcpPort) {
        Fingerprint parsed;
        try {
            parsed = Fingerprint.parse(fingerprint);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("fingerprint: " + e.reason(), e);
        }
        return new LocalTransportParams(iceUfrag, icePwd, parsed, addresses, tcpPort);
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
        return new LocalTransportParams(randomIceChars(random, 8), randomIceChars(random, 24), fingerprint, addresses,
            tcpPort);
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
     *
     * <p>With ICE-TCP, each is followed by a passive TCP host candidate on the same address (RFC 6544 §4.5), whose
     * local preference is RFC 6544 §4.2's {@code 2^13 * direction-pref + other-pref} with the passive host direction
     * preference 4 and other-pref descending from 8191: at most 40959, below every UDP candidate's, so a peer that
     * can use UDP prefers it. Its foundation differs from the UDP ones because the transport does.
     */
    public List<Candidate> hostCandidates() {
        List<Candidate> out = new ArrayList<>(addresses.size() * (tcpPort == 0 ? 1 : 2));
        for (int i = 0; i < addresses.size(); i++) {
            InetSocketAddress a = addresses.get(i);
            String address = addressText(a.getAddress());
            out.add(Candidate.host(Integer.toString(i + 1), "udp", priority(HOST_TYPE_PREFERENCE, 65535 - i,
                Candidate.COMPONENT_RTP), address, a.getPort()));
            if (tcpPort != 0) {
                int localPreference = (PASSIVE_HOST_DIRECTION_PREFERENCE << 13) + 8191 - i;
                out.add(new Candidate(Integer.toString(addresses.size() + i + 1), Candidate.COMPONENT_RTP, "tcp",
                    priority(HOST_TYPE_PREFERENCE, localPreference, Candidate.COMPONENT_RTP), address, tcpPort,
                    Candidate.HOST, null, -1, TCP_TYPE_PASSIVE, java.util.Map.of()));
            }
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
