package io.sfu.core.dtls;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtlsConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        DtlsConfig config = DtlsConfig.defaults();

        assertThat(config.mtuBytes()).isEqualTo(1200);
        assertThat(config.maxReceiveDatagramBytes()).isEqualTo(1500);
        assertThat(config.receiveQueueCapacity()).isEqualTo(32);
        assertThat(config.handshakeTimeoutNs()).isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(config.initialRetransmitMillis()).isEqualTo(1000);
        assertThat(config.srtpProfiles()).containsExactly(DtlsSrtpProfiles.AEAD_AES_128_GCM,
            DtlsSrtpProfiles.AEAD_AES_256_GCM, DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80,
            DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_32);
        assertThat(config.requireExtendedMasterSecret()).isTrue();
    }

    @Test
    void invalidSettingsAreRejectedWithTheSettingsName() {
        assertThatThrownBy(() -> DtlsConfig.builder().mtuBytes(100).build()).hasMessageContaining("dtls.mtuBytes");
        assertThatThrownBy(() -> DtlsConfig.builder().maxReceiveDatagramBytes(70000).build())
            .hasMessageContaining("dtls.maxReceiveDatagramBytes");
        assertThatThrownBy(() -> DtlsConfig.builder().receiveQueueCapacity(0).build())
            .hasMessageContaining("dtls.receiveQueueCapacity");
        assertThatThrownBy(() -> DtlsConfig.builder().handshakeTimeout(Duration.ZERO).build())
            .hasMessageContaining("dtls.handshakeTimeout");
        assertThatThrownBy(() -> DtlsConfig.builder().initialRetransmitMillis(1).build())
            .hasMessageContaining("dtls.initialRetransmitMillis");
        assertThatThrownBy(() -> DtlsConfig.builder().srtpProfiles().build())
            .hasMessageContaining("dtls.srtpProfiles");
        assertThatThrownBy(() -> DtlsConfig.builder().srtpProfiles(0x0005).build())
            .hasMessageContaining("dtls.srtpProfiles");
        assertThatThrownBy(() -> DtlsConfig.builder().srtpProfiles(7, 1, 7).build())
            .hasMessageContaining("dtls.srtpProfiles");
        assertThatThrownBy(() -> DtlsConfig.builder().clock(null).build()).hasMessageContaining("dtls.clock");
    }

    @Test
    void profileListIsCopiedBothWays() {
        int[] profiles = {DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80};
        DtlsConfig config = DtlsConfig.builder().srtpProfiles(profiles).build();
        profiles[0] = DtlsSrtpProfiles.AEAD_AES_128_GCM;
        config.srtpProfiles()[0] = DtlsSrtpProfiles.AEAD_AES_256_GCM;

        assertThat(config.srtpProfiles()).containsExactly(DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80);
    }

    @Test
    void srtpProfileLengthsFollowRfc5764AndRfc7714() {
        assertThat(DtlsSrtpProfiles.keyingMaterialLength(DtlsSrtpProfiles.AEAD_AES_128_GCM)).isEqualTo(2 * (16 + 12));
        assertThat(DtlsSrtpProfiles.keyingMaterialLength(DtlsSrtpProfiles.AEAD_AES_256_GCM)).isEqualTo(2 * (32 + 12));
        assertThat(DtlsSrtpProfiles.keyingMaterialLength(DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_80)).isEqualTo(2 * (16 + 14));
        assertThat(DtlsSrtpProfiles.keyingMaterialLength(DtlsSrtpProfiles.AES128_CM_HMAC_SHA1_32)).isEqualTo(2 * (16 + 14));
        assertThat(DtlsSrtpProfiles.isSupported(0x0005)).isFalse();
        assertThatThrownBy(() -> DtlsSrtpProfiles.keyLength(0x0005)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DtlsSrtpProfiles.name(DtlsSrtpProfiles.AEAD_AES_128_GCM)).isEqualTo("SRTP_AEAD_AES_128_GCM");
    }

    @Test
    void roleFollowsTheNegotiatedSetupAttribute() {
        assertThat(DtlsRole.ofLocalSetup("passive")).isEqualTo(DtlsRole.SERVER);
        assertThat(DtlsRole.ofLocalSetup("ACTIVE")).isEqualTo(DtlsRole.CLIENT);
        assertThatThrownBy(() -> DtlsRole.ofLocalSetup("actpass")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsRole.ofLocalSetup(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
