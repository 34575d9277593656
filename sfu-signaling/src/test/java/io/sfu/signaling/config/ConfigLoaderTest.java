package io.sfu.signaling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfu.core.testing.SelfSignedCertificate;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path path = dir.resolve("sfu.yaml");
        Files.writeString(path, yaml);
        return path;
    }

    private static ConfigLoader.Override flag(String path, Object value) {
        return new ConfigLoader.Override(path, value, "--flag-for-" + path);
    }

    @Test
    void theEmbeddedDefaultsAreTheFileInConfig() throws Exception {
        // the pom copies config/sfu.yaml into the jar: this catches a build that stops doing so
        Path source = Path.of("..", "config", "sfu.yaml");
        try (InputStream embedded = getClass().getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
            assertThat(embedded).isNotNull();
            assertThat(new String(embedded.readAllBytes())).isEqualTo(Files.readString(source));
        }
    }

    @Test
    void theDefaultsMatchTheContract() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of());
        assertThat(config.http().host()).isEqualTo("127.0.0.1");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.media().host()).isEqualTo("0.0.0.0");
        assertThat(config.media().port()).isEqualTo(10000);
        assertThat(config.media().announce()).isEmpty();
        assertThat(config.devMode()).isTrue();
        assertThat(config.ice().consentTimeoutSeconds()).isEqualTo(30);
        assertThat(config.forwarding().effectiveWorkers()).isPositive();
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefaults() throws Exception {
        Path yaml = file("http:\n  port: 1111\nmedia:\n  port: 2222\n  announce: [192.0.2.1]\n"
            + "auth:\n  secret: from-file-0123456789-abcdefghijklmnop\n"
            + "rooms:\n  maxRooms: 7\n");
        Map<String, String> env = Map.of("SFU_HTTP_PORT", "3333", "SFU_MEDIA_PORT", "4444",
            "SFU_ANNOUNCE", "198.51.100.1, 198.51.100.2");

        SfuConfig config = ConfigLoader.load(yaml, env, List.of(flag("http.port", "5555")));

        assertThat(config.http().port()).isEqualTo(5555);
        assertThat(config.media().port()).isEqualTo(4444);
        assertThat(config.media().announce()).containsExactly("198.51.100.1", "198.51.100.2");
        assertThat(config.auth().secret()).isEqualTo("from-file-0123456789-abcdefghijklmnop");
        assertThat(config.rooms().maxRooms()).isEqualTo(7);
        assertThat(config.rooms().defaultMaxParticipants()).isEqualTo(50);
    }

    @Test
    void badValuesNameTheSettingTheValueAndItsSource() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("http.port", "70000"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("http.port").hasMessageContaining("70000").hasMessageContaining("--flag-for-http.port");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SFU_MEDIA_PORT", "abc"), List.of()))
            .hasMessageContaining("media.port").hasMessageContaining("'abc'").hasMessageContaining("SFU_MEDIA_PORT");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SFU_ANNOUNCE", "example.com"), List.of()))
            .hasMessageContaining("media.announce").hasMessageContaining("example.com");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("http.host", "not a host"))))
            .hasMessageContaining("http.host").hasMessageContaining("not a host");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("media.announce",
            List.of("300.1.1.1"))))).hasMessageContaining("300.1.1.1");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("media.tcpPort", "-2"))))
            .hasMessageContaining("media.tcpPort").hasMessageContaining("-2");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("turn.port", "65536"))))
            .hasMessageContaining("turn.port").hasMessageContaining("65536");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("turn.secret", "short"))))
            .hasMessageContaining("turn.secret").hasMessageNotContaining("short");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("turn.realm", " "))))
            .hasMessageContaining("turn.realm");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("turn.credentialTtlSeconds", "5"))))
            .hasMessageContaining("turn.credentialTtlSeconds");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("media.tcpMaxConnections", "0"))))
            .hasMessageContaining("media.tcpMaxConnections");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("media.tcpWriteBufferBytes",
            "1000")))).hasMessageContaining("media.tcpWriteBufferBytes").hasMessageContaining("1000");
    }

    @Test
    void badFileValuesAreRefused() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(file("rooms:\n  maxRooms: 0\n"), Map.of(), List.of()))
            .hasMessageContaining("rooms.maxRooms").hasMessageContaining("0").hasMessageContaining("sfu.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file("http:\n  prot: 1\n"), Map.of(), List.of()))
            .hasMessageContaining("unknown setting http.prot");
        assertThatThrownBy(() -> ConfigLoader.load(file("ice:\n  consentTimeoutSeconds: 2.5\n"), Map.of(), List.of()))
            .hasMessageContaining("ice.consentTimeoutSeconds");
        assertThatThrownBy(() -> ConfigLoader.load(file("http: 8080\n"), Map.of(), List.of()))
            .hasMessageContaining("http");
        assertThatThrownBy(() -> ConfigLoader.load(file("http:\n  port: [1\n"), Map.of(), List.of()))
            .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.load(file("rooms:\n  defaultMaxParticipants: 20\n"
            + "  maxParticipantsLimit: 10\n"), Map.of(), List.of()))
            .hasMessageContaining("rooms.defaultMaxParticipants").hasMessageContaining("20");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), List.of()))
            .hasMessageContaining("missing.yaml");
    }

    @Test
    void theMediaPlaneBoundsHaveDefaultsAndRefuseOneOverTheirRange() throws Exception {
        SfuConfig defaults = ConfigLoader.load(null, Map.of(), List.of());
        assertThat(defaults.dtls().maxConcurrentHandshakes()).isEqualTo(256);
        assertThat(defaults.forwarding().retransmitBudgetPercent()).isEqualTo(50);
        assertThat(defaults.forwarding().spreadRoomsFrom()).isEqualTo(8);
        SfuConfig highest = ConfigLoader.load(file("dtls:\n  maxConcurrentHandshakes: 4096\n"
            + "forwarding:\n  retransmitBudgetPercent: 1000\n"), Map.of(), List.of());
        assertThat(highest.dtls().maxConcurrentHandshakes()).isEqualTo(4096);
        assertThat(highest.forwarding().retransmitBudgetPercent()).isEqualTo(1000);

        assertThatThrownBy(() -> ConfigLoader.load(file("dtls:\n  maxConcurrentHandshakes: 4097\n"), Map.of(),
            List.of())).hasMessageContaining("dtls.maxConcurrentHandshakes").hasMessageContaining("4097");
        assertThatThrownBy(() -> ConfigLoader.load(file("dtls:\n  maxConcurrentHandshakes: 0\n"), Map.of(),
            List.of())).hasMessageContaining("dtls.maxConcurrentHandshakes");
        assertThatThrownBy(() -> ConfigLoader.load(file("forwarding:\n  retransmitBudgetPercent: 1001\n"), Map.of(),
            List.of())).hasMessageContaining("forwarding.retransmitBudgetPercent").hasMessageContaining("1001");
        assertThatThrownBy(() -> ConfigLoader.load(file("forwarding:\n  retransmitBudgetPercent: 0\n"), Map.of(),
            List.of())).hasMessageContaining("forwarding.retransmitBudgetPercent");
        assertThatThrownBy(() -> ConfigLoader.load(file("forwarding:\n  spreadRoomsFrom: -1\n"), Map.of(),
            List.of())).hasMessageContaining("forwarding.spreadRoomsFrom").hasMessageContaining("-1");
    }

    @Test
    void dataChannelSettingsHaveDefaultsAndRefuseOneOutsideTheirRange() throws Exception {
        SfuConfig.DataChannels defaults = ConfigLoader.load(null, Map.of(), List.of()).dataChannels();
        assertThat(defaults).isEqualTo(new SfuConfig.DataChannels(true, 64, 262_144, 4L << 20, 4L << 20, 8192));

        assertThatThrownBy(() -> ConfigLoader.load(file("dataChannels:\n  maxChannelsPerParticipant: 1025\n"),
            Map.of(), List.of())).hasMessageContaining("dataChannels.maxChannelsPerParticipant")
            .hasMessageContaining("1025");
        assertThatThrownBy(() -> ConfigLoader.load(file("dataChannels:\n  maxMessageBytes: 1023\n"), Map.of(),
            List.of())).hasMessageContaining("dataChannels.maxMessageBytes");
        assertThatThrownBy(() -> ConfigLoader.load(file("dataChannels:\n  sendBufferBytes: 262143\n"), Map.of(),
            List.of())).hasMessageContaining("dataChannels.sendBufferBytes").hasMessageContaining("262144");
        assertThatThrownBy(() -> ConfigLoader.load(file("dataChannels:\n  queuePackets: 63\n"), Map.of(),
            List.of())).hasMessageContaining("dataChannels.queuePackets");
        assertThatThrownBy(() -> ConfigLoader.load(file("dataChannels:\n  enabled: maybe\n"), Map.of(),
            List.of())).hasMessageContaining("dataChannels.enabled");
    }

    @Test
    void theSrtpProfilePreferenceIsASettingOfKnownDistinctNames() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of(), List.of()).dtls().srtpProfiles()).containsExactly(
            "SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_256_GCM", "SRTP_AES128_CM_HMAC_SHA1_80",
            "SRTP_AES128_CM_HMAC_SHA1_32");
        SfuConfig cmOnly = ConfigLoader.load(file("dtls:\n  srtpProfiles: [SRTP_AES128_CM_HMAC_SHA1_80]\n"), Map.of(),
            List.of());
        assertThat(cmOnly.dtls().srtpProfiles()).containsExactly("SRTP_AES128_CM_HMAC_SHA1_80");

        assertThatThrownBy(() -> ConfigLoader.load(file("dtls:\n  srtpProfiles: [SRTP_NULL_HMAC_SHA1_80]\n"),
            Map.of(), List.of())).hasMessageContaining("dtls.srtpProfiles")
            .hasMessageContaining("SRTP_NULL_HMAC_SHA1_80").hasMessageContaining("SRTP_AEAD_AES_128_GCM");
        assertThatThrownBy(() -> ConfigLoader.load(file("dtls:\n  srtpProfiles: []\n"), Map.of(), List.of()))
            .hasMessageContaining("dtls.srtpProfiles").hasMessageContaining("at least one");
        assertThatThrownBy(() -> ConfigLoader.load(file("dtls:\n  srtpProfiles: [SRTP_AEAD_AES_128_GCM, "
            + "SRTP_AEAD_AES_128_GCM]\n"), Map.of(), List.of())).hasMessageContaining("named twice");
    }

    @Test
    void negotiationLimitsHaveDefaultsAndAreValidatedAgainstTheTrackLimit() throws Exception {
        SfuConfig defaults = ConfigLoader.load(null, Map.of(), List.of());
        assertThat(defaults.negotiation().maxMediaSectionsPerOffer()).isEqualTo(32);
        assertThat(defaults.negotiation().maxRidsPerMediaSection()).isEqualTo(4);
        assertThat(defaults.rooms().maxTracksPerParticipant()).isEqualTo(16);
        assertThat(defaults.signaling().maxMessageBytes()).isEqualTo(256 * 1024);

        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("negotiation.maxRidsPerMediaSection",
            "17")))).hasMessageContaining("negotiation.maxRidsPerMediaSection").hasMessageContaining("between 1 and 16");
        assertThatThrownBy(() -> ConfigLoader.load(file("rooms:\n  maxTracksPerParticipant: 40\n"), Map.of(),
            List.of())).hasMessageContaining("negotiation.maxMediaSectionsPerOffer")
            .hasMessageContaining("between 40 and 256");
        assertThat(ConfigLoader.load(file("rooms:\n  maxTracksPerParticipant: 40\nnegotiation:\n"
            + "  maxMediaSectionsPerOffer: 40\n"), Map.of(), List.of()).negotiation().maxMediaSectionsPerOffer())
            .isEqualTo(40);
    }

    @Test
    void anEmptyFileChangesNothing() throws Exception {
        assertThat(ConfigLoader.load(file(""), Map.of(), List.of()).http().port()).isEqualTo(8080);
    }

    @Test
    void ipLiteralsAreRecognisedWithoutLookups() {
        assertThat(ConfigLoader.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(ConfigLoader.isIpLiteral("::1")).isTrue();
        assertThat(ConfigLoader.isIpLiteral("2001:db8::5")).isTrue();
        assertThat(ConfigLoader.isIpLiteral("256.0.0.1")).isFalse();
        assertThat(ConfigLoader.isIpLiteral("example.com")).isFalse();
        assertThat(ConfigLoader.isIpLiteral("1.2.3")).isFalse();
        assertThat(ConfigLoader.isIpLiteral("::g")).isFalse();
    }

    @Test
    void theSecretNeverShowsInTheConfigsText() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of("SFU_SECRET", "s3cret-value-0123456789-abcdefghijkl"),
            List.of());
        assertThat(config.devMode()).isFalse();
        assertThat(config.toString()).doesNotContain("s3cret-value");
    }

    @Test
    void aSecretShorterThan32CharactersIsRefusedWithoutShowingIt() throws Exception {
        String short31 = "a".repeat(30) + "Z";
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SFU_SECRET", short31), List.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("auth.secret").hasMessageContaining("SFU_SECRET")
            .hasMessageContaining("at least 32 characters").hasMessageNotContaining(short31);
        String exactly32 = "a".repeat(31) + "Z";
        assertThat(ConfigLoader.load(null, Map.of("SFU_SECRET", exactly32), List.of()).auth().secret())
            .isEqualTo(exactly32);
    }

    @Test
    void theNewBoundsHaveTheirDefaultsAndRanges() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of());
        assertThat(config.http().idleTimeoutSeconds()).isEqualTo(60);
        assertThat(config.http().maxConnections()).isEqualTo(10_000);
        assertThat(config.http().maxConnectionsPerAddress()).isEqualTo(256);
        assertThat(config.http().tls().enabled()).isFalse();
        assertThat(config.signaling().pingIntervalSeconds()).isEqualTo(15);
        assertThat(config.signaling().pongTimeoutSeconds()).isEqualTo(15);
        assertThat(config.signaling().negotiationTimeoutSeconds()).isEqualTo(30);
        assertThat(config.auth().audience()).isEqualTo("sfu");
        assertThat(config.auth().clockSkewSeconds()).isEqualTo(30);

        for (String[] bad : new String[][] {
            {"http.maxConnections", "0"}, {"http.maxConnectionsPerAddress", "0"}, {"http.idleTimeoutSeconds", "1"},
            {"http.idleTimeoutSeconds", "86401"}, {"signaling.pingIntervalSeconds", "0"},
            {"signaling.pongTimeoutSeconds", "3601"}, {"signaling.negotiationTimeoutSeconds", "0"},
            {"auth.clockSkewSeconds", "301"}, {"auth.clockSkewSeconds", "-1"}, {"auth.audience", " "},
            {"auth.audience", "x".repeat(257)}}) {
            assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag(bad[0], bad[1]))))
                .as("%s=%s", bad[0], bad[1]).isInstanceOf(ConfigException.class).hasMessageContaining(bad[0]);
        }
    }

    @Test
    void theIdleTimeoutMustExceedThePingInterval() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("http.idleTimeoutSeconds", "15"))))
            .hasMessageContaining("http.idleTimeoutSeconds").hasMessageContaining("signaling.pingIntervalSeconds");
        assertThat(ConfigLoader.load(null, Map.of(), List.of(flag("http.idleTimeoutSeconds", "16")))
            .http().idleTimeoutSeconds()).isEqualTo(16);
    }

    @Test
    void aTlsPairInEitherPemFormIsAccepted() throws Exception {
        for (String algorithm : List.of("EC", "RSA")) {
            SelfSignedCertificate certificate = SelfSignedCertificate.create(algorithm);
            Path cert = certificate.writeCertificate(dir.resolve(algorithm + "-cert.pem"));
            for (Path key : List.of(certificate.writePkcs8Key(dir.resolve(algorithm + "-pkcs8.pem")),
                certificate.writeTraditionalKey(dir.resolve(algorithm + "-traditional.pem")))) {
                SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(flag("http.tls.certificate",
                    cert.toString()), flag("http.tls.key", key.toString())));
                assertThat(config.http().tls().enabled()).isTrue();
                assertThat(TlsIdentity.read(config.http().tls(), s -> "").keyManagers().getKeyManagers()).isNotEmpty();
            }
        }
    }

    @Test
    void aBadTlsPairStopsTheServerNamingTheSetting() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("EC");
        Path cert = certificate.writeCertificate(dir.resolve("cert.pem"));
        Path key = certificate.writePkcs8Key(dir.resolve("key.pem"));
        Path otherKey = SelfSignedCertificate.create("EC").writePkcs8Key(dir.resolve("other-key.pem"));
        Path encrypted = certificate.writeEncryptedKey(dir.resolve("encrypted.pem"));
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");
        Path expired = SelfSignedCertificate.create("EC", Instant.now().minus(Duration.ofDays(2)),
            Instant.now().minus(Duration.ofDays(1))).writeCertificate(dir.resolve("expired.pem"));

        assertTls(cert.toString(), "", "http.tls.key", "needs both");
        assertTls("", key.toString(), "http.tls.certificate", "needs both");
        assertTls(dir.resolve("missing.pem").toString(), key.toString(), "http.tls.certificate", "no readable file");
        assertTls(cert.toString(), dir.resolve("missing.pem").toString(), "http.tls.key", "no readable file");
        assertTls(garbage.toString(), key.toString(), "http.tls.certificate", "no CERTIFICATE block");
        assertTls(cert.toString(), garbage.toString(), "http.tls.key", "no PRIVATE KEY");
        assertTls(cert.toString(), otherKey.toString(), "http.tls.key", "does not belong to the certificate");
        assertTls(cert.toString(), encrypted.toString(), "http.tls.key", "the key is encrypted");
        assertTls(expired.toString(), key.toString(), "http.tls.certificate", "not valid now");
    }

    @Test
    void turnOverTlsIsOnWithAGoodPairAndABadSettingStopsTheServerNamingIt() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("EC");
        String cert = certificate.writeCertificate(dir.resolve("turn-cert.pem")).toString();
        String key = certificate.writePkcs8Key(dir.resolve("turn-key.pem")).toString();
        String otherKey = SelfSignedCertificate.create("EC").writePkcs8Key(dir.resolve("other-key.pem")).toString();

        SfuConfig defaults = ConfigLoader.load(null, Map.of(), List.of());
        SfuConfig on = ConfigLoader.load(null, Map.of(), List.of(flag("turn.tlsCertificate", cert),
            flag("turn.tlsKey", key), flag("turn.tlsHost", "turn.example.org")));

        assertThat(defaults.turn().tls()).isFalse();
        assertThat(defaults.turn().tlsPort()).isEqualTo(5349);
        assertThat(on.turn().tls()).isTrue();
        assertThat(on.turn().tlsHost()).isEqualTo("turn.example.org");
        assertTurnTls(List.of(flag("turn.tlsCertificate", dir.resolve("missing.pem").toString()),
            flag("turn.tlsKey", key)), "turn.tlsCertificate", "no readable file");
        assertTurnTls(List.of(flag("turn.tlsCertificate", cert)), "turn.tlsKey", "needs both");
        assertTurnTls(List.of(flag("turn.tlsCertificate", cert), flag("turn.tlsKey", otherKey)), "turn.tlsKey",
            "does not belong to the certificate in turn.tlsCertificate");
        assertTurnTls(List.of(flag("turn.tlsPort", "3478")), "turn.tlsPort", "a TCP port of its own");
        assertTurnTls(List.of(flag("turn.tlsPort", "65536")), "turn.tlsPort", "65536");
        assertTurnTls(List.of(flag("turn.tlsHost", "not a host")), "turn.tlsHost", "a DNS name or an IP address");
    }

    private static void assertTurnTls(List<ConfigLoader.Override> flags, String setting, String rule) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), flags)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("invalid value for " + setting).hasMessageContaining(rule);
    }

    private static void assertTls(String cert, String key, String setting, String rule) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of(flag("http.tls.certificate", cert),
            flag("http.tls.key", key)))).isInstanceOf(ConfigException.class)
            .hasMessageContaining("invalid value for " + setting).hasMessageContaining(rule);
    }
}
