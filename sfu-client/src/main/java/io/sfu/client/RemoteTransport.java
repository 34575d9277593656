package io.sfu.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.ice.IceCredentials;
import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Connection;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.Group;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

/**
 * What a remote description says about the remote transport: its ICE credentials, its DTLS fingerprints and setup
 * role, the candidate media goes to, whether it is ICE-lite, and whether it accepts reduced-size RTCP (RFC 5506).
 */
record RemoteTransport(IceCredentials ice, List<DtlsFingerprint> fingerprints, Setup setup, InetSocketAddress address,
                       boolean iceLite, boolean reducedSizeRtcp) {

    /**
     * The remote ICE credentials, DTLS fingerprints and setup, and the first usable IPv4 UDP candidate, from the
     * first accepted m-line of the BUNDLE group (falling back to session-level attributes, then to any m-line's
     * candidates, then to its c= line and port).
     */
    static RemoteTransport of(SessionDescription sdp) {
        MediaDescription tagged = bundleTagged(sdp);
        if (tagged == null) {
            throw new IllegalArgumentException("the SDP has no accepted m-line");
        }
        String ufrag = tagged.iceUfrag().or(sdp::iceUfrag)
            .orElseThrow(() -> new IllegalArgumentException("the SDP has no a=ice-ufrag"));
        String pwd = tagged.icePwd().or(sdp::icePwd)
            .orElseThrow(() -> new IllegalArgumentException("the SDP has no a=ice-pwd"));
        IceCredentials ice = IceCredentials.of(ufrag, pwd);
        List<Fingerprint> sdpFingerprints = tagged.fingerprints().isEmpty() ? sdp.fingerprints()
            : tagged.fingerprints();
        List<DtlsFingerprint> fingerprints = new ArrayList<>();
        for (Fingerprint f : sdpFingerprints) {
            try {
                fingerprints.add(DtlsFingerprint.parse(f.hashFunction() + " " + f.fingerprint()));
            } catch (IllegalArgumentException e) {
                // a hash function we do not support: RFC 8122 §5 lets us use the others
            }
        }
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("the SDP has no usable a=fingerprint");
        }
        Setup setup = tagged.setup().or(sdp::setup).orElse(null);
        InetSocketAddress address = firstUsableCandidate(sdp, tagged);
        if (address == null) {
            throw new IllegalArgumentException("the SDP has no usable IPv4 UDP candidate");
        }
        return new RemoteTransport(ice, List.copyOf(fingerprints), setup, address, sdp.isIceLite(),
            tagged.isRtcpRsize());
    }

    /** The first m-line of the BUNDLE group that is not rejected, else the first m-line that is not. */
    private static MediaDescription bundleTagged(SessionDescription sdp) {
        Optional<Group> bundle = sdp.bundleGroup();
        if (bundle.isPresent()) {
            for (String mid : bundle.get().mids()) {
                Optional<MediaDescription> m = sdp.mediaByMid(mid);
                if (m.isPresent() && !m.get().isRejected()) {
                    return m.get();
                }
            }
        }
        for (MediaDescription m : sdp.media()) {
            if (!m.isRejected()) {
                return m;
            }
        }
        return null;
    }

    private static InetSocketAddress firstUsableCandidate(SessionDescription sdp, MediaDescription tagged) {
        List<MediaDescription> order = new ArrayList<>();
        order.add(tagged);
        for (MediaDescription m : sdp.media()) {
            if (m != tagged && !m.isRejected()) {
                order.add(m);
            }
        }
        for (MediaDescription m : order) {
            for (Candidate c : m.candidates()) {
                if (c.isUdp() && c.component() == Candidate.COMPONENT_RTP && c.port() > 0) {
                    InetAddress address = ipv4Literal(c.address());
                    if (address != null) {
                        return new InetSocketAddress(address, c.port());
                    }
                }
            }
        }
        // no candidate: a peer may still put its real address in c= and the m-line port
        Connection connection = tagged.connection().or(sdp::connection).orElse(null);
        if (connection != null && tagged.port() > 0 && tagged.port() != MediaDescription.DISCARD_PORT) {
            InetAddress address = ipv4Literal(connection.address());
            if (address != null && !address.isAnyLocalAddress()) {
                return new InetSocketAddress(address, tagged.port());
            }
        }
        return null;
    }

    /** The address for a dotted-quad IPv4 literal, or null (host names, mDNS names and IPv6 are not usable). */
    static InetAddress ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < p.length(); j++) {
                char ch = p.charAt(j);
                if (ch < '0' || ch > '9') {
                    return null;
                }
                value = value * 10 + (ch - '0');
            }
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

}
