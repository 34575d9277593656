package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end through {@link SrtpContext}: master key → RFC 3711 §4.3 key derivation → protected packet, against
 * libSRTP's reference packets. For the AEAD profile this is the check of the RFC 7714 §11 key derivation with a
 * 96-bit master salt, which no RFC publishes a vector for.
 */
class LibsrtpReferencePacketsTest {
    private static final TestVectors V = TestVectors.load("libsrtp-reference-packets.txt");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes_cm_128_hmac_sha1_80, SRTP_AES128_CM_HMAC_SHA1_80",
        "aead_aes_128_gcm, SRTP_AEAD_AES_128_GCM"})
    void protectingTheReferenceRtpPacketGivesTheReferenceSrtpPacket(String section, SrtpProfile profile) {
        SrtpContext sender = SrtpContext.forSending(profile, V.get(section, "master_key"),
            V.get(section, "master_salt"));
        byte[] rtp = V.get(section, "rtp");
        UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(rtp, rtp.length + profile.rtpAuthTagLength()));

        int length = sender.protectRtp(buffer, 0, rtp.length);

        assertThat(length).isEqualTo(rtp.length + profile.rtpAuthTagLength());
        assertThat(TestVectors.hex(buffer.byteArray())).isEqualTo(TestVectors.hex(V.get(section, "srtp")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes_cm_128_hmac_sha1_80, SRTP_AES128_CM_HMAC_SHA1_80",
        "aead_aes_128_gcm, SRTP_AEAD_AES_128_GCM"})
    void unprotectingTheReferenceSrtpPacketGivesTheReferenceRtpPacket(String section, SrtpProfile profile) {
        SrtpContext receiver = SrtpContext.forReceiving(profile, V.get(section, "master_key"),
            V.get(section, "master_salt"));
        byte[] srtp = V.get(section, "srtp");
        UnsafeBuffer buffer = new UnsafeBuffer(srtp);

        int length = receiver.unprotectRtp(buffer, 0, srtp.length);

        assertThat(length).isEqualTo(V.get(section, "rtp").length);
        assertThat(Arrays.copyOf(srtp, length)).isEqualTo(V.get(section, "rtp"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes_cm_128_hmac_sha1_80, SRTP_AES128_CM_HMAC_SHA1_80",
        "aead_aes_128_gcm, SRTP_AEAD_AES_128_GCM"})
    void theSecondRtcpPacketSentGivesTheReferenceSrtcpPacket(String section, SrtpProfile profile) {
        SrtpContext sender = SrtpContext.forSending(profile, V.get(section, "master_key"),
            V.get(section, "master_salt"));
        byte[] rtcp = V.get(section, "rtcp");
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);

        // RFC 3711 §3.4 starts the SRTCP index at 0; libSRTP's reference packet carries index 1
        buffer.putBytes(0, rtcp);
        assertThat(sender.protectRtcp(buffer, 0, rtcp.length)).isEqualTo(rtcp.length + profile.srtcpOverhead());
        buffer.putBytes(0, rtcp);
        int length = sender.protectRtcp(buffer, 0, rtcp.length);

        assertThat(length).isEqualTo(rtcp.length + profile.srtcpOverhead());
        assertThat(TestVectors.hex(buffer.byteArray())).isEqualTo(TestVectors.hex(V.get(section, "srtcp")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"aes_cm_128_hmac_sha1_80, SRTP_AES128_CM_HMAC_SHA1_80",
        "aead_aes_128_gcm, SRTP_AEAD_AES_128_GCM"})
    void unprotectingTheReferenceSrtcpPacketGivesTheReferenceRtcpPacket(String section, SrtpProfile profile) {
        SrtpContext receiver = SrtpContext.forReceiving(profile, V.get(section, "master_key"),
            V.get(section, "master_salt"));
        byte[] srtcp = V.get(section, "srtcp");

        int length = receiver.unprotectRtcp(new UnsafeBuffer(srtcp), 0, srtcp.length);

        assertThat(length).isEqualTo(V.get(section, "rtcp").length);
        assertThat(Arrays.copyOf(srtcp, length)).isEqualTo(V.get(section, "rtcp"));
    }
}
