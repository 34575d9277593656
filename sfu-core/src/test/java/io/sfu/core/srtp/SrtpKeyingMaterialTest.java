package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Splitting the RFC 5764 §4.2 exporter output. */
class SrtpKeyingMaterialTest {
    private static final SrtpProfile PROFILE = SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80;

    /** Octet i of the exporter output is i, so each part names where it came from. */
    private static byte[] exported(SrtpProfile profile) {
        byte[] out = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) i;
        }
        return out;
    }

    @Test
    void theClientProtectsWithTheClientWriteKeyAndSalt() {
        byte[] exported = exported(PROFILE);
        SrtpKeyingMaterial client = SrtpKeyingMaterial.fromExporter(PROFILE, exported, SrtpKeyingMaterial.Role.CLIENT);

        assertThat(client.localMasterKey()).isEqualTo(Arrays.copyOfRange(exported, 0, 16));
        assertThat(client.remoteMasterKey()).isEqualTo(Arrays.copyOfRange(exported, 16, 32));
        assertThat(client.localMasterSalt()).isEqualTo(Arrays.copyOfRange(exported, 32, 46));
        assertThat(client.remoteMasterSalt()).isEqualTo(Arrays.copyOfRange(exported, 46, 60));
    }

    @Test
    void theServerProtectsWithTheServerWriteKeyAndSalt() {
        byte[] exported = exported(SrtpProfile.SRTP_AEAD_AES_256_GCM);
        SrtpKeyingMaterial server = SrtpKeyingMaterial.fromExporter(SrtpProfile.SRTP_AEAD_AES_256_GCM, exported,
            SrtpKeyingMaterial.Role.SERVER);

        assertThat(server.localMasterKey()).isEqualTo(Arrays.copyOfRange(exported, 32, 64));
        assertThat(server.remoteMasterKey()).isEqualTo(Arrays.copyOfRange(exported, 0, 32));
        assertThat(server.localMasterSalt()).isEqualTo(Arrays.copyOfRange(exported, 76, 88));
        assertThat(server.remoteMasterSalt()).isEqualTo(Arrays.copyOfRange(exported, 64, 76));
    }

    @Test
    void whatTheClientSendsTheServerReceives() {
        byte[] exported = exported(PROFILE);
        SrtpContext clientSender = SrtpKeyingMaterial.fromExporter(PROFILE, exported, SrtpKeyingMaterial.Role.CLIENT)
            .newSendingContext(SrtpConfig.defaults());
        SrtpContext serverReceiver = SrtpKeyingMaterial
            .fromExporter(PROFILE, exported, SrtpKeyingMaterial.Role.SERVER).newReceivingContext(SrtpConfig.defaults());
        byte[] rtp = Packets.rtp(7, 1, 0, false, 100, new SplittableRandom(1));
        UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(rtp, rtp.length + 10));

        int length = clientSender.protectRtp(buffer, 0, rtp.length);

        assertThat(serverReceiver.unprotectRtp(buffer, 0, length)).isEqualTo(rtp.length);
        assertThat(Arrays.copyOf(buffer.byteArray(), rtp.length)).isEqualTo(rtp);
    }

    @Test
    void exporterOutputOfTheWrongLengthIsRejected() {
        assertThatThrownBy(() -> SrtpKeyingMaterial.fromExporter(PROFILE, new byte[59], SrtpKeyingMaterial.Role.CLIENT))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("60");
    }

    @Test
    void keysHandedOutAreCopies() {
        SrtpKeyingMaterial material = SrtpKeyingMaterial.fromExporter(PROFILE, exported(PROFILE),
            SrtpKeyingMaterial.Role.CLIENT);
        material.localMasterKey()[0] = 99;
        assertThat(material.localMasterKey()[0]).isZero();
    }
}
