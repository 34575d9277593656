package io.sfu.core.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Test fixture: a self-signed certificate for 127.0.0.1 or another IP address (EC P-256 or RSA 2048) made with
 * BouncyCastle, its PEM files, a server TLS context presenting it and one that trusts it alone.
 */
public final class SelfSignedCertificate {
    private static final char[] STORE_PASSWORD = "test".toCharArray();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** @param algorithm "EC" or "RSA" */
    public static SelfSignedCertificate create(String algorithm) throws Exception {
        return create(algorithm, "127.0.0.1");
    }

    /** A certificate for the IP address {@code ip} (its subjectAltName). */
    public static SelfSignedCertificate create(String algorithm, String ip) throws Exception {
        return create(algorithm, ip, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A certificate valid from {@code notBefore} to {@code notAfter}. */
    public static SelfSignedCertificate create(String algorithm, Instant notBefore, Instant notAfter)
        throws Exception {
        return create(algorithm, "127.0.0.1", notBefore, notAfter);
    }

    private static SelfSignedCertificate create(String algorithm, String ip, Instant notBefore, Instant notAfter)
        throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(algorithm.equals("EC") ? 256 : 2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + ip);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
            BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
        String signature = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate certificate = new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
        return new SelfSignedCertificate(keys, certificate);
    }

    /** Base64 of the SHA-256 of the public key (SPKI): how Chromium names a certificate to accept. */
    public String spkiSha256() throws Exception {
        return Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    }

    /** Writes the certificate as a PEM CERTIFICATE block. */
    public Path writeCertificate(Path file) throws IOException {
        return write(file, certificate);
    }

    /** Writes the private key as PKCS#8 ({@code PRIVATE KEY}). */
    public Path writePkcs8Key(Path file) throws IOException {
        return write(file, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
    }

    /** Writes the private key as encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}), with the password "x". */
    public Path writeEncryptedKey(Path file) throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider()).setPassword("x".toCharArray()).build();
        return write(file, new JcaPKCS8Generator(keys.getPrivate(), encryptor).generate());
    }

    /**
     * Writes the private key in the traditional form, as OpenSSL does: {@code EC PRIVATE KEY} (SEC1, naming its
     * curve) or {@code RSA PRIVATE KEY} (PKCS#1).
     */
    public Path writeTraditionalKey(Path file) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        if (keys.getPrivate().getAlgorithm().equals("EC")) {
            ECPrivateKey key = ECPrivateKey.getInstance(info.parsePrivateKey());
            byte[] sec1 = new ECPrivateKey(256, key.getKey(), info.getPrivateKeyAlgorithm().getParameters())
                .getEncoded();
            return write(file, new PemObject("EC PRIVATE KEY", sec1));
        }
        return write(file, new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
    }

    private static Path write(Path file, Object pem) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pem);
        }
        return file;
    }

    /** A TLS context that presents this certificate, as a server does. */
    public SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("sfu", keys.getPrivate(), STORE_PASSWORD, new X509Certificate[] {certificate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** A TLS context that trusts this certificate and nothing else. */
    public SSLContext trustingContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("sfu", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
