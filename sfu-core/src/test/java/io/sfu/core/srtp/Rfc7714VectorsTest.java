package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7714 §16 (SRTP) and §17 (SRTCP) AEAD vectors. They state session keys, so they drive the transform
 * directly; {@link LibsrtpReferencePacketsTest} covers the same transform behind key derivation.
 */
class Rfc7714VectorsTest {
    private static final TestVectors V = TestVectors.load("rfc7714-aead-vectors.txt");
    private static final int RTP_SSRC = 0x5501a0b2;
    private static final int RTCP_SSRC = 0x4d617273;
    private static final int SRTCP_INDEX = 0x5d4;
    private static final int RTP_HEADER = 12;

    private static AesGcmCipher cipher(String keyName) {
        return new AesGcmCipher(V.get("16", keyName), V.get("16", "salt"), new byte[AesCtr.CHUNK_BYTES],
            new byte[AesCtr.CHUNK_BYTES]);
    }

    private static String keyFor(String section) {
        return section.equals("16.1") || section.equals("17.1") || section.equals("17.3") ? "key_128" : "key_256";
    }

    @ParameterizedTest(name = "§{0}.1 encryption")
    @ValueSource(strings = {"16.1", "16.2"})
    void srtpEncryptionReproducesTheRfcPacket(String section) {
        byte[] rtp = V.get("16", "rtp");
        byte[] packet = Arrays.copyOf(rtp, rtp.length + AesGcmCipher.TAG_LENGTH);

        cipher(keyFor(section)).protectRtp(packet, 0, RTP_HEADER, rtp.length - RTP_HEADER, RTP_SSRC, 0xf17b);

        assertThat(TestVectors.hex(packet)).isEqualTo(TestVectors.hex(V.get(section, "srtp")));
    }

    @ParameterizedTest(name = "§{0}.2 decryption")
    @ValueSource(strings = {"16.1", "16.2"})
    void srtpDecryptionRecoversTheRfcPacket(String section) {
        byte[] packet = V.get(section, "srtp");
        int payload = packet.length - RTP_HEADER - AesGcmCipher.TAG_LENGTH;

        boolean authentic = cipher(keyFor(section)).unprotectRtp(packet, 0, RTP_HEADER, payload, RTP_SSRC, 0xf17b);

        assertThat(authentic).isTrue();
        assertThat(Arrays.copyOf(packet, RTP_HEADER + payload)).isEqualTo(V.get("16", "rtp"));
    }

    @ParameterizedTest(name = "§{0}: flipped bit at octet {1}")
    @CsvSource({"16.1, 3", "16.1, 12", "16.1, 40", "16.1, 65", "16.2, 11",
        "16.2, 49"})
    void srtpVectorWithAFlippedBitDoesNotVerifyAndStaysUnchanged(String section, int octet) {
        byte[] packet = V.get(section, "srtp");
        packet[octet] ^= 0x01;
        byte[] before = packet.clone();
        int payload = packet.length - RTP_HEADER - AesGcmCipher.TAG_LENGTH;

        assertThat(cipher(keyFor(section)).unprotectRtp(packet, 0, RTP_HEADER, payload, RTP_SSRC, 0xf17b)).isFalse();
        assertThat(packet).isEqualTo(before);
    }

    @Test
    void ivsAreTheOnesOfSections8And9() {
        // J0 = IV || 00000001, and the tag mask is E(K, J0): check the IVs by building J0 from the salt alone
        byte[] salt = V.get("16", "salt");
        byte[] rtpIv = V.get("16", "rtp_iv");
        byte[] rtcpIv = V.get("17", "rtcp_iv");
        byte[] expectedRtp = xor(salt, bytes(0, 0, 0x55, 0x01, 0xa0, 0xb2, 0, 0, 0, 0, 0xf1, 0x7b));
        byte[] expectedRtcp = xor(salt, bytes(0, 0, 0x4d, 0x61, 0x72, 0x73, 0, 0, 0, 0, 0x05, 0xd4));
        assertThat(rtpIv).isEqualTo(expectedRtp);
        assertThat(rtcpIv).isEqualTo(expectedRtcp);
        assertThat(SrtpCipher.srtcpIndexWord(SRTCP_INDEX, true)).isEqualTo(0x800005d4);
    }

    @ParameterizedTest(name = "§{0} encryption and tagging")
    @ValueSource(strings = {"17.1", "17.2"})
    void srtcpEncryptionReproducesTheRfcPacket(String section) {
        byte[] rtcp = V.get("17", "rtcp");
        byte[] packet = Arrays.copyOf(rtcp, rtcp.length + 20);

        int length = cipher(keyFor(section)).protectRtcp(packet, 0, rtcp.length, RTCP_SSRC, SRTCP_INDEX, true);

        assertThat(length).isEqualTo(packet.length);
        assertThat(TestVectors.hex(packet)).isEqualTo(TestVectors.hex(V.get(section, "srtcp")));
    }

    @ParameterizedTest(name = "§{0} verification and decryption")
    @ValueSource(strings = {"17.1", "17.2"})
    void srtcpDecryptionRecoversTheRfcPacket(String section) {
        byte[] packet = V.get(section, "srtcp");
        AesGcmCipher cipher = cipher(keyFor(section));
        int word = ByteArrays.getInt(packet, cipher.srtcpIndexPosition(packet.length));
        assertThat(word).isEqualTo(0x800005d4);

        assertThat(cipher.unprotectRtcp(packet, 0, packet.length, RTCP_SSRC, SRTCP_INDEX, true)).isTrue();
        assertThat(Arrays.copyOf(packet, packet.length - 20)).isEqualTo(V.get("17", "rtcp"));
    }

    @ParameterizedTest(name = "§{0} tagging only")
    @ValueSource(strings = {"17.3", "17.4"})
    void srtcpTaggingOnlyReproducesTheRfcPacket(String section) {
        byte[] rtcp = V.get("17", "rtcp");
        byte[] packet = Arrays.copyOf(rtcp, rtcp.length + 20);

        cipher(keyFor(section)).protectRtcp(packet, 0, rtcp.length, RTCP_SSRC, SRTCP_INDEX, false);

        assertThat(TestVectors.hex(packet)).isEqualTo(TestVectors.hex(V.get(section, "srtcp")));
    }

    @ParameterizedTest(name = "§{0} verification of an unencrypted packet")
    @ValueSource(strings = {"17.3", "17.4"})
    void srtcpTagOnlyPacketVerifiesAndIsLeftInTheClear(String section) {
        byte[] packet = V.get(section, "srtcp");
        assertThat(cipher(keyFor(section)).unprotectRtcp(packet, 0, packet.length, RTCP_SSRC, SRTCP_INDEX, false))
            .isTrue();
        assertThat(Arrays.copyOf(packet, packet.length - 20)).isEqualTo(V.get("17", "rtcp"));

        packet[packet.length - 21] ^= 0x40;
        assertThat(cipher(keyFor(section)).unprotectRtcp(packet, 0, packet.length, RTCP_SSRC, SRTCP_INDEX, false))
            .isFalse();
    }

    @Test
    void theSameVectorsPassThroughAReceivingContextsFraming() {
        // the §17.1 packet, read by the context code path that locates the E|index word itself
        byte[] packet = V.get("17.1", "srtcp");
        AesGcmCipher cipher = cipher("key_128");
        int word = ByteArrays.getInt(packet, cipher.srtcpIndexPosition(packet.length));
        assertThat(cipher.unprotectRtcp(packet, 0, packet.length, SrtpPackets.rtcpSsrc(packet, 0),
            word & 0x7FFF_FFFF, word < 0)).isTrue();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
