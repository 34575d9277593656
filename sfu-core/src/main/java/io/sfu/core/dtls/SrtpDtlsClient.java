package io.sfu.core.dtls;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/**
 * The DTLS 1.2 client of a WebRTC peer connection (local a=setup:active): offers the configured SRTP protection
 * profiles (RFC 5764 §4.1.1), checks the server certificate against the SDP fingerprint, and always answers a
 * certificate request with its own certificate.
 */
// the TLS stack's extension API is typed with raw Hashtables
@SuppressWarnings("rawtypes")
final class SrtpDtlsClient extends DefaultTlsClient {

    private final HandshakeState state;

    SrtpDtlsClient(HandshakeState state) {
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
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(state.config.srtpProfiles(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        state.acceptServerSrtpProfile(serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions));
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                state.verifyPeerCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                short[] types = certificateRequest.getCertificateTypes();
                if (types == null || !contains(types, ClientCertificateType.ecdsa_sign)) {
                    return null;
                }
                return state.signer(context, certificateRequest.getSupportedSignatureAlgorithms());
            }
        };
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

    private static boolean contains(short[] values, short value) {
        for (short v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
