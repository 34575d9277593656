package io.sfu.signaling.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key read from PEM files, for the HTTPS server ({@code http.tls}) and for TURN
 * over TLS ({@code turn.tlsCertificate}, {@code turn.tlsKey}): checked once at start (readable, a certificate valid
 * today, an unencrypted key that matches it), then handed over as key managers or a server TLS context.
 */
public final class TlsIdentity {
    private static final String HTTP_CERTIFICATE = "http.tls.certificate";
    private static final String HTTP_KEY = "http.tls.key";
    private static final char[] STORE_PASSWORD = "sfu".toCharArray();

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain;
        this.key = key;
    }

    /**
     * Reads and checks both files of {@code http.tls}.
     *
     * @param sourceOf where a setting came from, for messages (" (from config file x)"), or "" when unknown
     * @throws ConfigException naming the setting whose file is missing, unreadable or wrong
     */
    public static TlsIdentity read(SfuConfig.Tls tls, Function<String, String> sourceOf) throws ConfigException {
        return read(tls.certificate(), HTTP_CERTIFICATE, tls.key(), HTTP_KEY, sourceOf);
    }

    /**
     * Reads and checks a certificate file and a key file, named in messages by their settings.
     *
     * @throws ConfigException naming the setting whose file is missing, unreadable or wrong
     */
    public static TlsIdentity read(String certificateFile, String certificateSetting, String keyFile,
                                   String keySetting, Function<String, String> sourceOf) throws ConfigException {
        if (certificateFile.isEmpty() || keyFile.isEmpty()) {
            String missing = certificateFile.isEmpty() ? certificateSetting : keySetting;
            throw new ConfigException("invalid value for " + missing + ": ''" + sourceOf.apply(missing)
                + ": TLS needs both " + certificateSetting + " and " + keySetting);
        }
        List<X509Certificate> chain = certificates(certificateSetting, certificateFile, sourceOf);
        PrivateKey key = privateKey(keySetting, keyFile, sourceOf);
        if (!matches(keySetting, key, chain.get(0))) {
            throw invalid(keySetting, keyFile, sourceOf, "the key does not belong to the certificate in "
                + certificateSetting);
        }
        return new TlsIdentity(List.copyOf(chain), key);
    }

    /** The server side of TLS presenting this chain and key, for a listener on the JDK's SSLEngine. */
    public SSLContext serverContext() throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers().getKeyManagers(), null, null);
        return context;
    }

    /** Key managers that present this chain and key. */
    public KeyManagerFactory keyManagers() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("sfu", key, STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, STORE_PASSWORD);
        return factory;
    }

    private static List<X509Certificate> certificates(String setting, String file,
                                                      Function<String, String> sourceOf) throws ConfigException {
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = parser(setting, file, sourceOf)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw invalid(setting, file, sourceOf, "not a PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw invalid(setting, file, sourceOf, "no CERTIFICATE block in the file");
        }
        try {
            chain.get(0).checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw invalid(setting, file, sourceOf, "the certificate is not valid now (valid from "
                + chain.get(0).getNotBefore().toInstant() + " to " + chain.get(0).getNotAfter().toInstant() + ")");
        }
        return chain;
    }

    private static PrivateKey privateKey(String setting, String file, Function<String, String> sourceOf)
        throws ConfigException {
        Object item;
        try (PEMParser parser = parser(setting, file, sourceOf)) {
            item = parser.readObject();
            while (item instanceof X509CertificateHolder) {
                // a combined file: skip to the key
                item = parser.readObject();
            }
        } catch (IOException | RuntimeException e) {
            throw invalid(setting, file, sourceOf, "not a PEM private key: " + e.getMessage());
        }
        if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw invalid(setting, file, sourceOf,
                "the key is encrypted; give it unencrypted (file permissions guard it)");
        }
        PrivateKeyInfo info;
        if (item instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (item instanceof PrivateKeyInfo plain) {
            info = plain;
        } else {
            throw invalid(setting, file, sourceOf,
                "no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in the file");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw invalid(setting, file, sourceOf, "a key of an unsupported type: " + e.getMessage());
        }
    }

    private static PEMParser parser(String setting, String file, Function<String, String> sourceOf)
        throws ConfigException {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw invalid(setting, file, sourceOf, "no readable file there");
        }
        try {
            Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
            return new PEMParser(reader);
        } catch (IOException e) {
            throw invalid(setting, file, sourceOf, "cannot be read: " + e.getMessage());
        }
    }

    /** Signs a probe with the key and checks it with the certificate's public key. */
    private static boolean matches(String setting, PrivateKey key, X509Certificate certificate)
        throws ConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigException("invalid value for " + setting + ": a " + key.getAlgorithm()
                + " key; expected RSA, EC or Ed25519");
        };
        byte[] probe = "sfu tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ConfigException invalid(String setting, String file, Function<String, String> sourceOf,
                                           String rule) {
        return new ConfigException("invalid value for " + setting + ": '" + file + "'" + sourceOf.apply(setting)
            + ": " + rule);
    }
}
