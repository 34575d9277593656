package io.sfu.core.dtls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class DtlsCertificateTest {

    @Test
    void generatedCertificateIsASelfSignedEcdsaP256CertificateWithTheConfiguredValidity() throws Exception {
        Instant now = Instant.parse("2030-01-15T12:00:00Z");

        DtlsCertificate certificate = DtlsCertificate.generate("sfu-node-1", now);

        X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(certificate.encoded()));
        jdk.verify(jdk.getPublicKey());
        assertThat(jdk.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) jdk.getPublicKey()).getParams().toString()).contains("secp256r1");
        assertThat(jdk.getSubjectX500Principal().getName()).isEqualTo("CN=sfu-node-1");
        assertThat(jdk.getIssuerX500Principal()).isEqualTo(jdk.getSubjectX500Principal());
        assertThat(jdk.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofDays(30)));
        assertThat(jdk.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(365)));
        assertThat(certificate.notBefore()).isEqualTo(jdk.getNotBefore().toInstant());
        assertThat(certificate.subject()).isEqualTo("CN=sfu-node-1");
        assertThat(jdk.getSerialNumber()).isPositive().isEqualTo(certificate.serialNumber());
    }

    @Test
    void generatedCertificatesHaveDistinctRandomSerialsAndKeys() {
        Set<BigInteger> serials = new HashSet<>();
        Set<String> fingerprints = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            DtlsCertificate certificate = DtlsCertificate.generate();
            serials.add(certificate.serialNumber());
            fingerprints.add(certificate.fingerprint());
        }
        assertThat(serials).hasSize(8);
        assertThat(fingerprints).hasSize(8);
    }

    @Test
    void fingerprintIsTheSha256OfTheDerInSdpForm() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.encoded());
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(hex.length() == 0 ? "" : ":").append(String.format("%02X", b & 0xFF));
        }

        assertThat(certificate.fingerprint()).isEqualTo("sha-256 " + hex);
        assertThat(certificate.fingerprintWith("sha-256").toSdp()).isEqualTo(certificate.fingerprint());
    }

    @Test
    void loadsTheKnownPemCertificateAndItsFingerprintMatchesTheIndependentDigest() throws Exception {
        String certificatePem = TestResources.text("known-cert.pem");
        DtlsCertificate certificate = DtlsCertificate.fromPem(certificatePem, TestResources.text("known-key.pem"));

        byte[] der = TestResources.pemBody(certificatePem);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(hex.length() == 0 ? "" : ":").append(String.format("%02X", b & 0xFF));
        }
        String openssl = TestResources.text("known-cert.sha256.txt").strip().split("=", 2)[1];

        assertThat(certificate.encoded()).isEqualTo(der);
        assertThat(certificate.fingerprint()).isEqualTo("sha-256 " + hex).isEqualTo("sha-256 " + openssl);
        assertThat(certificate.subject()).isEqualTo("CN=sfu-test-vector");
    }

    @Test
    void acceptsAnOpenSslEcPrivateKeyBlockToo() {
        DtlsCertificate pkcs8 = DtlsCertificate.fromPem(TestResources.text("known-cert.pem"),
            TestResources.text("known-key.pem"));
        DtlsCertificate sec1 = DtlsCertificate.fromPem(TestResources.text("known-cert.pem"),
            TestResources.text("known-key-sec1.pem"));

        assertThat(sec1.fingerprint()).isEqualTo(pkcs8.fingerprint());
        assertThat(sec1.privateKey().getD()).isEqualTo(pkcs8.privateKey().getD());
    }

    @Test
    void pemExportRoundTrips(@TempDir Path dir) throws Exception {
        DtlsCertificate generated = DtlsCertificate.generate();
        Path certificateFile = Files.writeString(dir.resolve("cert.pem"), generated.certificatePem());
        Path keyFile = Files.writeString(dir.resolve("key.pem"), generated.privateKeyPem());

        DtlsCertificate loaded = DtlsCertificate.fromPemFiles(certificateFile, keyFile);

        assertThat(generated.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(generated.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(loaded.fingerprint()).isEqualTo(generated.fingerprint());
        assertThat(loaded.privateKey().getD()).isEqualTo(generated.privateKey().getD());
        assertThat(loaded.toString()).doesNotContain(generated.privateKey().getD().toString(16));
    }

    @Test
    void rejectsAKeyThatDoesNotBelongToTheCertificate() {
        assertThatThrownBy(() -> DtlsCertificate.fromPem(TestResources.text("known-cert.pem"),
            TestResources.text("other-key.pem")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
    }

    @Test
    void rejectsRsaAndMalformedPem() {
        assertThatThrownBy(() -> DtlsCertificate.fromPem(TestResources.text("rsa-cert.pem"),
            TestResources.text("rsa-key.pem")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ECDSA");
        assertThatThrownBy(() -> DtlsCertificate.fromPem("not pem", TestResources.text("known-key.pem")))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsCertificate.fromPem(TestResources.text("known-cert.pem"),
            TestResources.text("known-cert.pem")))
            .isInstanceOf(IllegalArgumentException.class);
        String truncated = TestResources.text("known-cert.pem").replaceFirst("[A-Za-z0-9+/]{20}\n", "\n");
        assertThatThrownBy(() -> DtlsCertificate.fromPem(truncated, TestResources.text("known-key.pem")))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsCertificate.fromPem(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsCertificate.generate(" ", Instant.now()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mutatedPemEitherLoadsOrThrowsIllegalArgumentOnly() {
        long seed = 0xCE27L;
        SplittableRandom random = new SplittableRandom(seed);
        String certificatePem = TestResources.text("known-cert.pem");
        String keyPem = TestResources.text("known-key.pem");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-\n ";
        int loaded = 0;
        for (int i = 0; i < 1_000; i++) {
            boolean mutateKey = random.nextBoolean();
            StringBuilder text = new StringBuilder(mutateKey ? keyPem : certificatePem);
            for (int m = 1 + random.nextInt(3); m > 0 && text.length() > 0; m--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0:
                        text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        break;
                    case 1:
                        text.deleteCharAt(at);
                        break;
                    default:
                        text.setLength(at);
                        break;
                }
            }
            try {
                DtlsCertificate certificate = mutateKey
                    ? DtlsCertificate.fromPem(certificatePem, text.toString())
                    : DtlsCertificate.fromPem(text.toString(), keyPem);
                assertThat(certificate.fingerprint()).startsWith("sha-256 ");
                loaded++;
            } catch (IllegalArgumentException expected) {
                // the documented rejection
            } catch (RuntimeException e) {
                fail("seed " + seed + " iteration " + i + " threw " + e, e);
            }
        }
        assertThat(loaded).as("seed %d: some mutations (in line breaks or padding) still load", seed)
            .isLessThan(1_000);
    }
}
