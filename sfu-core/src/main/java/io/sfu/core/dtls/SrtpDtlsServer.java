package io.sfu.core.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * The DTLS 1.2 server of a WebRTC peer connection (local a=setup:passive): ECDHE_ECDSA suites, a mandatory
 * client certificate checked against the SDP fingerprint, and use_srtp (RFC 5764 §4.1).
 */
// the TLS stack's extension API is typed with raw Hashtables
@SuppressWarnings("rawtypes")
final class SrtpDtlsServer extends DefaultTlsServer {

    private final HandshakeState state;

    SrtpDtlsServer(HandshakeState state) {
        super(state.crypto);
        this.state = state;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return HandshakeState.versions();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return HandshakeState.CIPHER_SUITES.clone();
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return DtlsEndpoint.stackTimeoutMillis(state.config);
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return state.config.initialRetransmitMillis();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return state.config.requireExtendedMasterSecret();
    }

    @Override
    public boolean shouldUseExtendedMasterSecret() {
        return true;
    }

    /** Certificates are pinned by fingerprint, so the signature inside the peer's certificate proves nothing. */
    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return state.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    /** WebRTC authenticates both ends (RFC 8827 §6.5), so the client must send its certificate. */
    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(HandshakeState.clientCertificateTypes(),
            HandshakeState.defaultSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        state.verifyPeerCertificate(clientCertificate);
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        state.selectSrtpProfile(TlsSRTPUtils.getUseSRTPExtension(clientExtensions));
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // one profile, and no MKI (RFC 5764 §4.1.1)
        TlsSRTPUtils.addUseSRTPExtension(extensions,
            new UseSRTPData(new int[] {state.selectedProfile()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.exportKeyingMaterial(context);
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        state.alertRaised(alertLevel, alertDescription, message, cause);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        state.alertReceived(alertLevel, alertDescription);
    }
}
