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
            new ConfigLoader.Override("dtls.maxConcurrentHandshakes", "12", "test")));

        MediaEngineConfig engine = MediaEngines.engineConfig(config);

        assertThat(engine.srtpProfiles()).containsExactly("SRTP_AES128_CM_HMAC_SHA1_80");
        assertThat(engine.retransmitBudgetPercent()).isEqualTo(20);
        assertThat(engine.dtlsMaxConcurrentHandshakes()).isEqualTo(12);
    }
}
