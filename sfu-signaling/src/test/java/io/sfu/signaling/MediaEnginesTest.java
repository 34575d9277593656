package io.sfu.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.session.MediaEngineConfig;
import io.sfu.signaling.config.ConfigLoader;
import io.sfu.signaling.config.SfuConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaEnginesTest {

    @Test
    void theEngineGetsTheMediaSettingsOfTheConfiguration() throws Exception {
        SfuConfig config = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("dtls.srtpProfiles", List.of("SRTP_AES128_CM_HMAC_SHA1_80"), "test"),
            new ConfigLoader.Override("forwarding.retransmitBudgetPercent", "20", "test"),
            new ConfigLoader.Override("forwarding.spreadRoomsFrom", "3", "test"),
            new ConfigLoader.Override("dtls.maxConcurrentHandshakes", "12", "test"),
            new ConfigLoader.Override("media.tcpMaxConnections", "5", "test"),
            new ConfigLoader.Override("media.tcpWriteBufferBytes", "65536", "test")));

        MediaEngineConfig engine = MediaEngines.engineConfig(config);

        assertThat(engine.srtpProfiles()).containsExactly("SRTP_AES128_CM_HMAC_SHA1_80");
        assertThat(engine.retransmitBudgetPercent()).isEqualTo(20);
        assertThat(engine.spreadRoomsFrom()).isEqualTo(3);
        assertThat(engine.dtlsMaxConcurrentHandshakes()).isEqualTo(12);
        assertThat(engine.iceTcp()).isEqualTo(new MediaEngineConfig.IceTcp(0, 5, 65536));
    }

    @Test
    void iceTcpIsOnByDefaultOnTheMediaPortsNumberAndOffWithPortMinusOne() throws Exception {
        MediaEngineConfig defaults = MediaEngines.engineConfig(ConfigLoader.load(null, Map.of(), List.of()));
        MediaEngineConfig off = MediaEngines.engineConfig(ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("media.tcpPort", "-1", "test"))));

        assertThat(defaults.iceTcp()).isEqualTo(MediaEngineConfig.IceTcp.DEFAULT);
        assertThat(defaults.iceTcp().enabled()).isTrue();
        assertThat(off.iceTcp().enabled()).isFalse();
    }

    @Test
    void turnIsOffByDefaultAndOnGetsItsSettingsWithASecretMadeAtStartWhenNoneIsSet() throws Exception {
        MediaEngineConfig defaults = MediaEngines.engineConfig(ConfigLoader.load(null, Map.of(), List.of()));
        MediaEngineConfig on = MediaEngines.engineConfig(ConfigLoader.load(null, Map.of(), List.of(
            new ConfigLoader.Override("turn.enabled", "true", "test"),
            new ConfigLoader.Override("turn.port", "3479", "test"),
            new ConfigLoader.Override("turn.credentialTtlSeconds", "600", "test"))));

        assertThat(defaults.turn().enabled()).isFalse();
        assertThat(on.turn().port()).isEqualTo(3479);
        assertThat(on.turn().realm()).isEqualTo("sfu");
        assertThat(on.turn().credentialTtl()).hasSeconds(600);
        assertThat(on.turn().secret()).hasSize(32);
    }
}
