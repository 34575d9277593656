package io.sfu.core.dtls;

import java.io.IOException;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of one handshake that the server and client peers share: the WebRTC rules (fingerprint-pinned
 * certificates, use_srtp negotiation, keying material export) and what went wrong, for a precise failure.
 * Touched only by the handshake thread until the handshake returns.
 */
final class HandshakeState {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeState.class);

    /**
     * ECDHE_ECDSA suites only, since our certificate is ECDSA (a suite without matching credentials fails the
     * handshake with internal_error): AEAD first, CBC last for older peers.
     */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    /** Hashes to sign with, in order of preference, for an ECDSA key in TLS 1.2. */
    private static final short[] ECDSA_HASHES = {
        HashAlgorithm.sha256, HashAlgorithm.sha384, HashAlgorithm.sha512, HashAlgorithm.sha1
    };

    final DtlsRole role;
    final DtlsConfig config;
    final BcTlsCrypto crypto;
    private final DtlsCertificate localCertificate;
    private final List<DtlsFingerprint> expectedFingerprints;
    private final String logName;

    private DtlsHandshakeException.Reason failure;
    private String failureMessage;
    private short alertSent = DtlsHandshakeException.NO_ALERT;
    private short alertReceived = DtlsHandshakeException.NO_ALERT;

    private int selectedProfile = -1;
    private byte[] keyingMaterial;
    private byte[] peerCertificate;
    private DtlsFingerprint peerFingerprint;
    private int cipherSuite = -1;
    private boolean extendedMasterSecret;

    HandshakeState(DtlsRole role, DtlsConfig config, BcTlsCrypto crypto, DtlsCertificate localCertificate,
                   List<DtlsFingerprint> expectedFingerprints, String logName) {
        this.role = role;
        this.config = config;
        this.crypto = crypto;
        this.localCertificate = localCertificate;
        this.expectedFingerprints = expectedFingerprints;
        this.logName = logName;
    }

    /**
     * RFC 8122 §5 / RFC 8842 §5: the peer's end-entity certificate must match its SDP fingerprint; that match,
     * not a CA, authenticates it.
     */
    void verifyPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw fail(DtlsHandshakeException.Reason.NO_CERTIFICATE, AlertDescription.handshake_failure,
                "the peer sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!DtlsFingerprint.matchesAny(expectedFingerprints, der)) {
            throw fail(DtlsHandshakeException.Reason.FINGERPRINT_MISMATCH, AlertDescription.bad_certificate,
                "the peer certificate " + DtlsFingerprint.of(DtlsFingerprint.SHA_256, der)
                    + " matches none of the expected fingerprints " + expectedFingerprints);
        }
        String hash = expectedFingerprints.get(0).hashFunction();
        for (DtlsFingerprint expected : expectedFingerprints) {
            if (expected.matches(der)) {
                hash = expected.hashFunction();
                break;
            }
        }
        peerCertificate = der;
        peerFingerprint = DtlsFingerprint.of(hash, der);
    }

    /** Server side of RFC 5764 §4.1.1: the first of our profiles that the client offers. */
    void selectSrtpProfile(UseSRTPData offered) throws IOException {
        if (offered == null) {
            throw fail(DtlsHandshakeException.Reason.NO_COMMON_SRTP_PROFILE, AlertDescription.handshake_failure,
                "the client did not offer use_srtp");
        }
        int[] clientProfiles = offered.getProtectionProfiles();
        for (int ours : config.srtpProfiles()) {
            for (int theirs : clientProfiles) {
                if (ours == theirs) {
                    selectedProfile = ours;
                    return;
                }
            }
        }
        throw fail(DtlsHandshakeException.Reason.NO_COMMON_SRTP_PROFILE, AlertDescription.handshake_failure,
            "no SRTP protection profile in common with the client's " + profileNames(clientProfiles));
    }

    /** Client side of RFC 5764 §4.1.1: the server must pick exactly one of the offered profiles. */
    void acceptServerSrtpProfile(UseSRTPData chosen) throws IOException {
        if (chosen == null) {
            throw fail(DtlsHandshakeException.Reason.NO_COMMON_SRTP_PROFILE, AlertDescription.handshake_failure,
                "the server did not accept use_srtp");
        }
        int[] profiles = chosen.getProtectionProfiles();
        if (profiles.length != 1 || !contains(config.srtpProfiles(), profiles[0])) {
            throw fail(DtlsHandshakeException.Reason.NO_COMMON_SRTP_PROFILE, AlertDescription.illegal_parameter,
                "the server chose " + profileNames(profiles) + ", not one profile of those offered");
        }
        // RFC 5764 §4.1.3: we offered no MKI, so the server must not announce one
        if (chosen.getMki() != null && chosen.getMki().length != 0) {
            throw fail(DtlsHandshakeException.Reason.PROTOCOL_ERROR, AlertDescription.illegal_parameter,
                "the server announced an SRTP MKI that was not offered");
        }
        selectedProfile = profiles[0];
    }

    int selectedProfile() {
        return selectedProfile;
    }

    /** Our certificate and key, signing with the best ECDSA scheme the peer accepts; null if none. */
    TlsCredentialedSigner signer(TlsContext context, Vector<?> peerSignatureAlgorithms) throws IOException {
        SignatureAndHashAlgorithm algorithm = chooseEcdsa(peerSignatureAlgorithms);
        if (algorithm == null) {
            failIfFirst(DtlsHandshakeException.Reason.PROTOCOL_ERROR,
                "the peer accepts no ECDSA signature algorithm");
            return null;
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
            localCertificate.privateKey(), localCertificate.tlsCertificate(crypto), algorithm);
    }

    /** RFC 5764 §4.2: the SRTP keying material, exported once the handshake is complete. */
    void exportKeyingMaterial(TlsContext context) {
        if (selectedProfile < 0) {
            throw new IllegalStateException("handshake completed without an SRTP profile");
        }
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
            DtlsSrtpProfiles.keyingMaterialLength(selectedProfile));
        cipherSuite = context.getSecurityParametersConnection().getCipherSuite();
        extendedMasterSecret = context.getSecurityParametersConnection().isExtendedMasterSecret();
    }

    DtlsResult result() {
        if (keyingMaterial == null || peerCertificate == null) {
            throw new IllegalStateException("handshake completed without keys or peer certificate");
        }
        return new DtlsResult(selectedProfile, keyingMaterial, role, peerFingerprint, peerCertificate, cipherSuite,
            extendedMasterSecret);
    }

    void alertRaised(short level, short description, String message, Throwable cause) {
        if (level == AlertLevel.fatal && alertSent == DtlsHandshakeException.NO_ALERT) {
            alertSent = description;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} raised {} alert {}: {}", logName, AlertLevel.getText(level),
                AlertDescription.getText(description), message != null ? message : "", cause);
        }
    }

    void alertReceived(short level, short description) {
        if (level == AlertLevel.fatal && alertReceived == DtlsHandshakeException.NO_ALERT) {
            alertReceived = description;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} received {} alert {}", logName, AlertLevel.getText(level),
                AlertDescription.getText(description));
        }
    }

    DtlsHandshakeException.Reason failure() {
        return failure;
    }

    String failureMessage() {
        return failureMessage;
    }

    short alertSent() {
        return alertSent;
    }

    short alertReceived() {
        return alertReceived;
    }

    /** Protocol version both sides use: only DTLS 1.2, which browsers settle on with a 1.2-only peer. */
    static org.bouncycastle.tls.ProtocolVersion[] versions() {
        return org.bouncycastle.tls.ProtocolVersion.DTLSv12.only();
    }

    static short[] clientCertificateTypes() {
        return new short[] {org.bouncycastle.tls.ClientCertificateType.ecdsa_sign,
            org.bouncycastle.tls.ClientCertificateType.rsa_sign};
    }

    static Vector<?> defaultSignatureAlgorithms(TlsContext context) {
        return TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
    }

    private TlsFatalAlert fail(DtlsHandshakeException.Reason reason, short alert, String message) {
        failIfFirst(reason, message);
        return new TlsFatalAlert(alert, message);
    }

    private void failIfFirst(DtlsHandshakeException.Reason reason, String message) {
        if (failure == null) {
            failure = reason;
            failureMessage = message;
        }
    }

    private static SignatureAndHashAlgorithm chooseEcdsa(Vector<?> peerAlgorithms) {
        if (peerAlgorithms == null) {
            // RFC 5246 §7.4.1.4.1: a peer without signature_algorithms accepts {sha1, ecdsa}
            return SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa);
        }
        for (short hash : ECDSA_HASHES) {
            SignatureAndHashAlgorithm candidate = SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.ecdsa);
            if (peerAlgorithms.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static String profileNames(int[] profiles) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < profiles.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(DtlsSrtpProfiles.name(profiles[i]));
        }
        return sb.append(']').toString();
    }
}
