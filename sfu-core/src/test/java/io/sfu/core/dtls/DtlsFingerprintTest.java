package io.sfu.core.dtls;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class DtlsFingerprintTest {

    private static final byte[] KNOWN_DER = TestResources.pemBody(TestResources.text("known-cert.pem"));

    @Test
    void sdpFormIsLowercaseHashNameAndUppercaseColonSeparatedDigestOfTheDer() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KNOWN_DER);
        StringBuilder expected = new StringBuilder("sha-256 ");
        for (int i = 0; i < digest.length; i++) {
            expected.append(i == 0 ? "" : ":").append(String.format("%02X", digest[i] & 0xFF));
        }

        DtlsFingerprint fingerprint = DtlsFingerprint.of("SHA-256", KNOWN_DER);

        assertThat(fingerprint.toSdp()).isEqualTo(expected.toString()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(fingerprint.hashFunction()).isEqualTo("sha-256");
        assertThat(fingerprint.digest()).isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({"sha-256, known-cert.sha256.txt", "sha-1, known-cert.sha1.txt"})
    void agreesWithOpenSslForTheKnownCertificate(String hash, String opensslOutput) {
        // "sha256 Fingerprint=D5:D3:..." as printed by openssl x509 -fingerprint
        String hex = TestResources.text(opensslOutput).strip().split("=", 2)[1];

        assertThat(DtlsFingerprint.of(hash, KNOWN_DER).toSdp()).isEqualTo(hash + " " + hex);
    }

    @Test
    void parsesItsOwnOutputAndIgnoresCaseAndSurroundingWhiteSpace() {
        DtlsFingerprint fingerprint = DtlsFingerprint.of(DtlsFingerprint.SHA_256, KNOWN_DER);
        String sdp = fingerprint.toSdp();

        assertThat(DtlsFingerprint.parse(sdp)).isEqualTo(fingerprint);
        assertThat(DtlsFingerprint.parse(sdp.toLowerCase(Locale.ROOT))).isEqualTo(fingerprint);
        assertThat(DtlsFingerprint.parse("  SHA-256\t" + sdp.substring(8) + " \r\n")).isEqualTo(fingerprint);
        assertThat(DtlsFingerprint.parse(sdp).hashCode()).isEqualTo(fingerprint.hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-1", "sha-224", "sha-256", "sha-384", "sha-512"})
    void supportsTheShaFamily(String hash) throws Exception {
        DtlsFingerprint fingerprint = DtlsFingerprint.of(hash, KNOWN_DER);
        byte[] digest = MessageDigest.getInstance(hash.toUpperCase(Locale.ROOT)).digest(KNOWN_DER);

        assertThat(fingerprint.digest()).isEqualTo(digest);
        assertThat(DtlsFingerprint.parse(fingerprint.toSdp())).isEqualTo(fingerprint);
        assertThat(fingerprint.matches(KNOWN_DER)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "sha-256",
        "sha-256 ",
        " AB:CD",
        "md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
        "sha-257 AB:CD",
        "sha-1 AB:CD",
        "sha-1 7D:0C:F4:54:A9:3C:0A:0A:8B:E4:F3:32:82:CF:F0:E9:73:07:59",
        "sha-1 7D:0C:F4:54:A9:3C:0A:0A:8B:E4:F3:32:82:CF:F0:E9:73:07:59:9A:00",
        "sha-1 7D-0C:F4:54:A9:3C:0A:0A:8B:E4:F3:32:82:CF:F0:E9:73:07:59:9A",
        "sha-1 7D:0C:F4:54:A9:3C:0A:0A:8B:E4:F3:32:82:CF:F0:E9:73:07:59:9G",
        "sha-1 7D:0C:F4:54:A9:3C:0A:0A:8B:E4:F3:32:82:CF:F0:E9:73:07:59:+A",
        "sha-1 7D:0C:F4:54:A9:3C:0A:0A:8B:E4:F3:32:82:CF:F0:E9:73:07:59:\u0661A",
        "sha-1 7D0CF454A93C0A0A8BE4F33282CFF0E97307599A",
    })
    void rejectsMalformedValues(String value) {
        assertThatThrownBy(() -> DtlsFingerprint.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNullAndOverlongInput() {
        assertThatThrownBy(() -> DtlsFingerprint.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 " + "AB:".repeat(400)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mutatedFingerprintsEitherParseOrThrowIllegalArgumentOnly() {
        long seed = 0x5EEDF1A9L;
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "0123456789abcdefABCDEFG:- \t\u0000\u00e9sha-1256";
        String[] bases = {
            DtlsFingerprint.of(DtlsFingerprint.SHA_256, KNOWN_DER).toSdp(),
            DtlsFingerprint.of(DtlsFingerprint.SHA_1, KNOWN_DER).toSdp(),
            DtlsFingerprint.of(DtlsFingerprint.SHA_512, KNOWN_DER).toSdp(),
        };
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder(bases[random.nextInt(bases.length)]);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && value.length() > 0; m++) {
                int at = random.nextInt(value.length());
                switch (random.nextInt(3)) {
                    case 0:
                        value.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        break;
                    case 1:
                        value.deleteCharAt(at);
                        break;
                    default:
                        value.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        break;
                }
            }
            try {
                DtlsFingerprint fingerprint = DtlsFingerprint.parse(value.toString());
                parsed++;
                // whatever parses must print back to a canonical form that parses to the same value
                assertThat(DtlsFingerprint.parse(fingerprint.toSdp())).isEqualTo(fingerprint);
            } catch (IllegalArgumentException expected) {
                // the documented rejection
            } catch (RuntimeException e) {
                fail("seed " + seed + " iteration " + i + " input '" + value + "' threw " + e, e);
            }
        }
        // case flips and hex-for-hex substitutions keep some inputs valid: both outcomes were exercised
        assertThat(parsed).as("seed %d", seed).isPositive().isLessThan(20_000);
    }

    @Test
    void matchingUsesTheStrongestHashFunctionOffered() {
        DtlsFingerprint sha256 = DtlsFingerprint.of(DtlsFingerprint.SHA_256, KNOWN_DER);
        DtlsFingerprint sha1 = DtlsFingerprint.of(DtlsFingerprint.SHA_1, KNOWN_DER);
        byte[] otherDer = DtlsCertificate.generate().encoded();
        DtlsFingerprint otherSha256 = DtlsFingerprint.of(DtlsFingerprint.SHA_256, otherDer);
        DtlsFingerprint otherSha1 = DtlsFingerprint.of(DtlsFingerprint.SHA_1, otherDer);

        assertThat(DtlsFingerprint.matchesAny(List.of(sha256), KNOWN_DER)).isTrue();
        assertThat(DtlsFingerprint.matchesAny(List.of(otherSha256, sha256), KNOWN_DER)).isTrue();
        assertThat(DtlsFingerprint.matchesAny(List.of(otherSha256), KNOWN_DER)).isFalse();
        assertThat(DtlsFingerprint.matchesAny(List.of(), KNOWN_DER)).isFalse();
        // RFC 8122 §5: a match with a weaker hash does not make up for a mismatch with the strongest one
        assertThat(DtlsFingerprint.matchesAny(List.of(sha1, otherSha256), KNOWN_DER)).isFalse();
        assertThat(DtlsFingerprint.matchesAny(List.of(otherSha1, sha256), KNOWN_DER)).isTrue();
    }

    @Test
    void equalityNeedsTheSameHashAndDigest() {
        DtlsFingerprint a = DtlsFingerprint.of(DtlsFingerprint.SHA_256, KNOWN_DER);
        byte[] flipped = a.digest();
        flipped[31] ^= 1;

        assertThat(a).isEqualTo(DtlsFingerprint.of("sha-256", KNOWN_DER));
        assertThat(a).isNotEqualTo(DtlsFingerprint.parse("sha-256 " + HexFormat.ofDelimiter(":").withUpperCase()
            .formatHex(flipped)));
        assertThat(a).isNotEqualTo(DtlsFingerprint.of(DtlsFingerprint.SHA_1, KNOWN_DER));
    }
}
