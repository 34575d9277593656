package io.sfu.core.negotiation;

import io.sfu.core.dtls.DtlsFingerprint;
import io.sfu.core.dtls.DtlsRole;
import io.sfu.core.sdp.Attribute;
import io.sfu.core.sdp.AttributeNames;
import io.sfu.core.sdp.Candidate;
import io.sfu.core.sdp.Fingerprint;
import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.SdpParseException;
import io.sfu.core.sdp.SessionDescription;
import io.sfu.core.sdp.Setup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The browser's side of one peer connection's transport, read from its description: ICE credentials (RFC 8839
 * §5.4), certificate fingerprints (RFC 8122 §5), its {@code a=setup} and so the SFU's DTLS role (RFC 8842 §5),
 * whether it trickles (RFC 8840 §5.1) and the candidates already in the description. Within BUNDLE the values of
 * the BUNDLE-tagged m-line apply to every bundled m-line (RFC 8843 §7.1), with the session level as fallback.
 *
 * @param fingerprints    at least one; the DTLS layer accepts the certificate if any of them matches
 * @param setup           the remote {@code a=setup} value
 * @param localDtlsRole   the SFU's role that follows from it
 * @param trickle         {@code a=ice-options:trickle} was present
 * @param candidates      the parsed candidates of the bundled m-lines, without duplicates (malformed ones skipped);
 *                        the ICE layer decides which it can use; at most {@link #MAX_CANDIDATES}
 * @param endOfCandidates {@code a=end-of-candidates} was present (RFC 8840 §8.2)
 */
public record RemoteTransportParams(String iceUfrag, String icePwd, List<Fingerprint> fingerprints, Setup setup,
                                    DtlsRole localDtlsRole, boolean trickle, List<Candidate> candidates,
                                    boolean endOfCandidates) {

    /** At most this many candidates are kept from one description (browsers write a dozen at most). */
    public static final int MAX_CANDIDATES = 64;

    public RemoteTransportParams {
        java.util.Objects.requireNonNull(iceUfrag, "iceUfrag");
        java.util.Objects.requireNonNull(icePwd, "icePwd");
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("at least one fingerprint is required");
        }
        java.util.Objects.requireNonNull(setup, "setup");
        java.util.Objects.requireNonNull(localDtlsRole, "localDtlsRole");
        candidates = List.copyOf(candidates);
    }

    /** @return the first fingerprint */
    public Fingerprint fingerprint() {
        return fingerprints.get(0);
    }

    /**
     * @return the fingerprints the DTLS layer can check a certificate against (RFC 8122 §5: a supported hash
     *     function and a digest of its length); those it cannot are left out. {@link #fromOffer} and
     *     {@link #fromAnswer} refuse a description where none is left.
     */
    public List<DtlsFingerprint> dtlsFingerprints() {
        return usable(fingerprints, new ArrayList<>());
    }

    /** The fingerprints the DTLS layer reads; why each other one is not, into {@code refusals}. */
    private static List<DtlsFingerprint> usable(List<Fingerprint> fingerprints, List<String> refusals) {
        List<DtlsFingerprint> usable = new ArrayList<>(fingerprints.size());
        for (Fingerprint fingerprint : fingerprints) {
            try {
                usable.add(DtlsFingerprint.parse(fingerprint.attributeValue()));
            } catch (IllegalArgumentException unusable) {
                // another hash function, or a digest of the wrong length: no certificate can match it
                refusals.add(unusable.getMessage());
            }
        }
        return usable;
    }

    /** @return true when the credentials differ from the previous ones: the remote side restarted ICE (RFC 8445 §9) */
    public boolean isIceRestartOf(RemoteTransportParams previous) {
        return !iceUfrag.equals(previous.iceUfrag) || !icePwd.equals(previous.icePwd);
    }

    /**
     * @return true when a new DTLS association is needed compared to the previous description: another certificate
     *     or another role (RFC 8842 §5.5)
     */
    public boolean isDtlsRestartOf(RemoteTransportParams previous) {
        return !fingerprints.equals(previous.fingerprints) || localDtlsRole != previous.localDtlsRole;
    }

    /**
     * Reads the transport of a remote offer: {@code actpass} or {@code active} make the SFU the DTLS server
     * ({@code passive} in the answer), {@code passive} makes it the client; a missing setup counts as
     * {@code actpass}.
     *
     * @param tag     the BUNDLE-tagged m-line
     * @param bundled every m-line of the BUNDLE group (candidates are collected from all of them)
     * @throws NegotiationException when credentials or fingerprints are missing, the setup is {@code holdconn}, or
     *                              the remote side is ICE-lite too
     * @throws SdpParseException    when an attribute read here is malformed
     */
    static RemoteTransportParams fromOffer(SessionDescription sdp, MediaDescription tag,
                                           List<MediaDescription> bundled) {
        Setup setup = tag.setup().or(sdp::setup).orElse(Setup.ACTPASS);
        DtlsRole role = switch (setup) {
            case ACTPASS, ACTIVE -> DtlsRole.SERVER;
            case PASSIVE -> DtlsRole.CLIENT;
            case HOLDCONN -> throw NegotiationException.invalid("offer has a=setup:holdconn: no DTLS association "
                + "can be set up (RFC 8842 §5.1)");
        };
        return read(sdp, tag, bundled, "offer", setup, role);
    }

    /**
     * Reads the transport of a remote answer: {@code active} makes the SFU the DTLS server, {@code passive} the
     * client; a missing setup counts as {@code active} (RFC 4145 §4).
     *
     * @throws NegotiationException as {@link #fromOffer}, and for {@code actpass} or {@code holdconn} in an answer
     */
    static RemoteTransportParams fromAnswer(SessionDescription sdp, MediaDescription tag,
                                            List<MediaDescription> bundled) {
        Setup setup = tag.setup().or(sdp::setup).orElse(Setup.ACTIVE);
        DtlsRole role = switch (setup) {
            case ACTIVE -> DtlsRole.SERVER;
            case PASSIVE -> DtlsRole.CLIENT;
            case ACTPASS, HOLDCONN -> throw NegotiationException.invalid("answer has a=setup:" + setup.sdpValue()
                + ", an answerer must choose active or passive (RFC 8842 §5.2)");
        };
        return read(sdp, tag, bundled, "answer", setup, role);
    }

    private static RemoteTransportParams read(SessionDescription sdp, MediaDescription tag,
                                              List<MediaDescription> bundled, String what, Setup setup,
                                              DtlsRole role) {
        if (sdp.isIceLite()) {
            throw NegotiationException.invalid(what + " is ICE-lite like the SFU: two ICE-lite agents cannot "
                + "connect (RFC 8445 §2.5)");
        }
        String ufrag = tag.iceUfrag().or(sdp::iceUfrag).orElseThrow(
            () -> NegotiationException.invalid(what + " has no a=ice-ufrag (RFC 8839 §5.4)"));
        String pwd = tag.icePwd().or(sdp::icePwd).orElseThrow(
            () -> NegotiationException.invalid(what + " has no a=ice-pwd (RFC 8839 §5.4)"));
        List<Fingerprint> fingerprints = tag.fingerprints();
        if (fingerprints.isEmpty()) {
            fingerprints = sdp.fingerprints();
        }
        if (fingerprints.isEmpty()) {
            throw NegotiationException.invalid(what + " has no a=fingerprint: DTLS-SRTP needs one (RFC 8122 §5)");
        }
        List<String> refusals = new ArrayList<>();
        if (usable(fingerprints, refusals).isEmpty()) {
            throw NegotiationException.invalid(what + " has no a=fingerprint the SFU can check a certificate "
                + "against (RFC 8122 §5): " + refusals.get(0));
        }
        boolean trickle = tag.iceOptions().contains("trickle") || sdp.iceOptions().contains("trickle");
        Set<Candidate> candidates = new LinkedHashSet<>();
        boolean end = sdp.isEndOfCandidates();
        for (MediaDescription m : bundled) {
            end |= m.isEndOfCandidates();
            for (Attribute a : m.attributes(AttributeNames.CANDIDATE)) {
                if (a.value() == null) {
                    continue;
                }
                try {
                    if (candidates.size() < MAX_CANDIDATES) {
                        candidates.add(Candidate.parse(a.value()));
                    }
                } catch (SdpParseException ignored) {
                    // the API tolerates candidates it cannot use; a malformed one is just that
                }
            }
        }
        return new RemoteTransportParams(ufrag, pwd, fingerprints, setup, role, trickle, List.copyOf(candidates), end);
    }
}
