package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The profile parameters of RFC 5764 §4.1.2 and RFC 7714 §14.2. */
class SrtpProfileTest {

    @Test
    void aesCmProfilesHave128BitKeys112BitSaltsAnd80BitSrtcpTags() {
        assertThat(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80)
            .extracting(SrtpProfile::id, SrtpProfile::masterKeyLength, SrtpProfile::masterSaltLength,
                SrtpProfile::rtpAuthTagLength, SrtpProfile::rtcpAuthTagLength, SrtpProfile::isAead)
            .containsExactly(0x0001, 16, 14, 10, 10, false);
        assertThat(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_32)
            .extracting(SrtpProfile::id, SrtpProfile::masterKeyLength, SrtpProfile::masterSaltLength,
                SrtpProfile::rtpAuthTagLength, SrtpProfile::rtcpAuthTagLength, SrtpProfile::isAead)
            .containsExactly(0x0002, 16, 14, 4, 10, false);
    }

    @Test
    void aeadProfilesHave96BitSaltsAnd16OctetTags() {
        assertThat(SrtpProfile.SRTP_AEAD_AES_128_GCM)
            .extracting(SrtpProfile::id, SrtpProfile::masterKeyLength, SrtpProfile::masterSaltLength,
                SrtpProfile::rtpAuthTagLength, SrtpProfile::rtcpAuthTagLength, SrtpProfile::isAead)
            .containsExactly(0x0007, 16, 12, 16, 16, true);
        assertThat(SrtpProfile.SRTP_AEAD_AES_256_GCM)
            .extracting(SrtpProfile::id, SrtpProfile::masterKeyLength, SrtpProfile::masterSaltLength,
                SrtpProfile::rtpAuthTagLength, SrtpProfile::rtcpAuthTagLength, SrtpProfile::isAead)
            .containsExactly(0x0008, 32, 12, 16, 16, true);
    }

    @Test
    void keyingMaterialAndSrtcpOverheadFollowFromTheLengths() {
        assertThat(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80.keyingMaterialLength()).isEqualTo(60);
        assertThat(SrtpProfile.SRTP_AEAD_AES_128_GCM.keyingMaterialLength()).isEqualTo(56);
        assertThat(SrtpProfile.SRTP_AEAD_AES_256_GCM.keyingMaterialLength()).isEqualTo(88);
        assertThat(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_32.srtcpOverhead()).isEqualTo(14);
        assertThat(SrtpProfile.SRTP_AEAD_AES_256_GCM.srtcpOverhead()).isEqualTo(20);
    }

    @Test
    void fromIdFindsEachProfileAndRejectsOthers() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            assertThat(SrtpProfile.fromId(profile.id())).isSameAs(profile);
            assertThat(SrtpProfile.isSupported(profile.id())).isTrue();
        }
        assertThat(SrtpProfile.isSupported(0x0005)).isFalse();
        assertThatThrownBy(() -> SrtpProfile.fromId(0x0005))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x0005");
    }
}
