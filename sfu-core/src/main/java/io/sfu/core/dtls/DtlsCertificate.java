package io.sfu.core.dtls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The SFU's own DTLS identity: an ECDSA certificate and its private key. WebRTC peers authenticate each other
 * by the certificate's fingerprint in the SDP (RFC 8827 §6.5, RFC 8122), not by a CA, so a self-signed
 * certificate generated at start is the norm; one can also be loaded from PEM files so that the fingerprint
 * survives restarts.
 *
 * <p>Immutable and safe to share between every endpoint of the process.
 */
public final class DtlsCertificate {

    /** Common name of generated certificates. */
    public static final String DEFAULT_COMMON_NAME = "sfu";
    /** How far back a generated certificate's validity starts, so peers with a slow clock accept it. */
    public static final Duration DEFAULT_BACKDATE = Duration.ofDays(30);
    /** How long a generated certificate stays valid. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509CertificateHolder certificate;
    private final byte[] der;
    private final PrivateKeyInfo privateKeyInfo;
    private final ECPrivateKeyParameters privateKey;
    private final String sha256Fingerprint;

    private DtlsCertificate(X509CertificateHolder certificate, PrivateKeyInfo privateKeyInfo,
                            ECPrivateKeyParameters privateKey) throws IOException {
        this.certificate = certificate;
        this.der = certificate.getEncoded();
        this.privateKeyInfo = privateKeyInfo;
        this.privateKey = privateKey;
        this.sha256Fingerprint = DtlsFingerprint.of(DtlsFingerprint.SHA_256, der).toSdp();
    }

    /** A fresh ECDSA P-256 self-signed certificate with the default name and validity, valid from now. */
    public static DtlsCertificate generate() {
        return generate(DEFAULT_COMMON_NAME, Instant.now());
    }

    /**
     * A fresh ECDSA P-256 self-signed certificate (signed with SHA-256), valid from {@code now} minus
     * {@link #DEFAULT_BACKDATE} to {@code now} plus {@link #DEFAULT_LIFETIME}, with a random positive 64-bit serial
     * number and the subject and issuer CN={@code commonName}.
     */
    public static DtlsCertificate generate(String commonName, Instant now) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("certificate common name must not be blank");
        }
        try {
            ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(p256, RANDOM));
            AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            BigInteger serial = new BigInteger(64, RANDOM).setBit(0);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                Date.from(now.minus(DEFAULT_BACKDATE)), Date.from(now.plus(DEFAULT_LIFETIME)), name,
                SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));

            AlgorithmIdentifier signatureAlgorithm =
                new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm = new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            ContentSigner signer = new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm)
                .build(keyPair.getPrivate());
            X509CertificateHolder certificate = builder.build(signer);

            ECPrivateKeyParameters privateKey = (ECPrivateKeyParameters) keyPair.getPrivate();
            return new DtlsCertificate(certificate, PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey), privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a generated certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a generated certificate", e);
        }
    }

    /**
     * Loads a certificate and its private key from PEM text: a "CERTIFICATE" block, and a PKCS#8 "PRIVATE KEY"
     * block (an OpenSSL "EC PRIVATE KEY" block is accepted too). The key must be an EC key and belong to the
     * certificate. Encrypted keys are not supported.
     *
     * @throws IllegalArgumentException if the text is not such a pair: the only exception this method throws
     */
    public static DtlsCertificate fromPem(String certificatePem, String privateKeyPem) {
        if (certificatePem == null || privateKeyPem == null) {
            throw new IllegalArgumentException("certificate and private key PEM are both required");
        }
        try {
            Object certificateObject = readPem(certificatePem);
            if (!(certificateObject instanceof X509CertificateHolder)) {
                throw new IllegalArgumentException("no CERTIFICATE block in the certificate PEM");
            }
            X509CertificateHolder certificate = (X509CertificateHolder) certificateObject;

            Object keyObject = readPem(privateKeyPem);
            PrivateKeyInfo keyInfo;
            if (keyObject instanceof PrivateKeyInfo) {
                keyInfo = (PrivateKeyInfo) keyObject;
            } else if (keyObject instanceof PEMKeyPair) {
                keyInfo = ((PEMKeyPair) keyObject).getPrivateKeyInfo();
            } else {
                throw new IllegalArgumentException("no unencrypted PRIVATE KEY block in the private key PEM");
            }
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(keyInfo);
            AsymmetricKeyParameter publicKey = PublicKeyFactory.createKey(certificate.getSubjectPublicKeyInfo());
            if (!(key instanceof ECPrivateKeyParameters) || !(publicKey instanceof ECPublicKeyParameters)) {
                throw new IllegalArgumentException("only ECDSA certificates and keys are supported");
            }
            ECPrivateKeyParameters privateKey = (ECPrivateKeyParameters) key;
            ECPublicKeyParameters certificateKey = (ECPublicKeyParameters) publicKey;
            ECPoint derived = new FixedPointCombMultiplier()
                .multiply(privateKey.getParameters().getG(), privateKey.getD()).normalize();
            if (!privateKey.getParameters().equals(certificateKey.getParameters())
                || !derived.equals(certificateKey.getQ().normalize())) {
                throw new IllegalArgumentException("the private key does not belong to the certificate");
            }
            return new DtlsCertificate(certificate, keyInfo, privateKey);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("unreadable certificate or key PEM: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a certificate and key from two PEM files, as {@link #fromPem(String, String)}.
     *
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if their content is not a certificate and its key
     */
    public static DtlsCertificate fromPemFiles(Path certificateFile, Path privateKeyFile) throws IOException {
        return fromPem(Files.readString(certificateFile, StandardCharsets.US_ASCII),
            Files.readString(privateKeyFile, StandardCharsets.US_ASCII));
    }

    /** The SHA-256 fingerprint in SDP form, for a=fingerprint: {@code "sha-256 AB:CD:..."}. */
    public String fingerprint() {
        return sha256Fingerprint;
    }

    /** The fingerprint with another hash function (see {@link DtlsFingerprint} for the supported names). */
    public DtlsFingerprint fingerprintWith(String hashFunction) {
        return DtlsFingerprint.of(hashFunction, der);
    }

    /** A copy of the DER encoding. */
    public byte[] encoded() {
        return der.clone();
    }

    /** Start of the validity period. */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    /** End of the validity period. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The serial number. */
    public BigInteger serialNumber() {
        return certificate.getSerialNumber();
    }

    /** The subject's distinguished name, for example "CN=sfu". */
    public String subject() {
        return certificate.getSubject().toString();
    }

    /** The certificate as a PEM "CERTIFICATE" block. */
    public String certificatePem() {
        return writePem("CERTIFICATE", der);
    }

    /** The private key as a PKCS#8 PEM "PRIVATE KEY" block: keep it secret. */
    public String privateKeyPem() {
        try {
            return writePem("PRIVATE KEY", privateKeyInfo.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    /** The certificate as the TLS stack's one-element chain. */
    Certificate tlsCertificate(TlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }

    @Override
    public String toString() {
        return "DtlsCertificate{" + subject() + ", " + sha256Fingerprint + "}";
    }

    private static Object readPem(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return parser.readObject();
        }
    }

    private static String writePem(String type, byte[] content) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
