package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replayed, tampered, truncated and over-the-bound packets are rejected with their code and counted. */
class SrtpContextRejectionTest {

    private SrtpContext sender;
    private SrtpContext receiver;
    private SrtpProfile profile;
    private byte[] key;
    private byte[] salt;

    private void setUp(SrtpProfile profile, SrtpConfig config) {
        this.profile = profile;
        key = new byte[profile.masterKeyLength()];
        salt = new byte[profile.masterSaltLength()];
        Arrays.fill(key, (byte) 3);
        Arrays.fill(salt, (byte) 4);
        // the bound under test is the receiver's; the sender's is checked on its own
        sender = SrtpContext.forSending(profile, key, salt);
        receiver = SrtpContext.forReceiving(profile, key, salt, config);
    }

    private byte[] srtp(int ssrc, int seq) {
        byte[] rtp = Packets.rtp(ssrc, seq, 1, true, 100, new SplittableRandom(seq));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtp.length + profile.rtpAuthTagLength()]);
        buffer.putBytes(0, rtp);
        assertThat(sender.protectRtp(buffer, 0, rtp.length)).isPositive();
        return buffer.byteArray();
    }

    private byte[] srtcp(int ssrc) {
        byte[] rtcp = Packets.rtcp(ssrc, new SplittableRandom(ssrc));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);
        buffer.putBytes(0, rtcp);
        assertThat(sender.protectRtcp(buffer, 0, rtcp.length)).isPositive();
        return buffer.byteArray();
    }

    private int unprotectRtp(byte[] packet) {
        return receiver.unprotectRtp(new UnsafeBuffer(packet.clone()), 0, packet.length);
    }

    private int unprotectRtcp(byte[] packet) {
        return receiver.unprotectRtcp(new UnsafeBuffer(packet.clone()), 0, packet.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedRtpPacketIsRejectedAndCounted(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] packet = srtp(1, 100);
        assertThat(unprotectRtp(packet)).isPositive();

        assertThat(unprotectRtp(packet)).isEqualTo(SrtpError.REPLAYED);
        assertThat(receiver.replaysRejected()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedRtcpPacketIsRejectedAndCounted(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] packet = srtcp(1);
        assertThat(unprotectRtcp(packet)).isPositive();

        assertThat(unprotectRtcp(packet)).isEqualTo(SrtpError.REPLAYED);
        assertThat(receiver.replaysRejected()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aPacketOlderThanTheReplayWindowIsRejectedAndCounted(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults().withReplayWindowBits(64));
        byte[] old = srtp(1, 100);
        byte[] edge = srtp(1, 101);
        for (int seq = 102; seq <= 164; seq++) {
            srtp(1, seq);
        }
        assertThat(unprotectRtp(srtp(1, 165))).isPositive();

        // 165 - 101 = 64 is one too far back for a 64-packet window, 165 - 102 would still be inside
        assertThat(unprotectRtp(old)).isEqualTo(SrtpError.REPLAYED);
        assertThat(unprotectRtp(edge)).isEqualTo(SrtpError.REPLAYED);
        assertThat(receiver.replaysRejected()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aFlippedBitInTheHeaderPayloadOrTagFailsAuthenticationAndLeavesThePacket(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] packet = srtp(1, 100);
        int header = Packets.headerLength(packet);
        // timestamp, CSRC, extension, first and last payload octet, first and last tag octet
        int[] positions = {5, 13, 20, header, packet.length - profile.rtpAuthTagLength() - 1,
            packet.length - profile.rtpAuthTagLength(), packet.length - 1};
        for (int position : positions) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = packet.clone();
                tampered[position] ^= (byte) (1 << bit);
                UnsafeBuffer buffer = new UnsafeBuffer(tampered);
                assertThat(receiver.unprotectRtp(buffer, 0, tampered.length))
                    .as("octet %d bit %d", position, bit).isEqualTo(SrtpError.AUTHENTICATION_FAILED);
                assertThat(buffer.byteArray()[header]).isEqualTo(tampered[header]);
            }
        }
        assertThat(receiver.authenticationFailures()).isEqualTo(positions.length * 8L);
        // the genuine packet still goes through: failures changed no state
        assertThat(unprotectRtp(packet)).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aTamperedRtcpPacketFailsAuthentication(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] packet = srtcp(1);
        for (int position : new int[] {1, 9, 40, packet.length - 1}) {
            byte[] tampered = packet.clone();
            tampered[position] ^= 0x10;
            assertThat(unprotectRtcp(tampered)).as("octet %d", position).isEqualTo(SrtpError.AUTHENTICATION_FAILED);
        }
        // the E flag and the SRTCP index are authenticated too
        int word = profile.isAead() ? packet.length - 4 : packet.length - profile.rtcpAuthTagLength() - 4;
        byte[] clearedFlag = packet.clone();
        clearedFlag[word] &= 0x7F;
        assertThat(unprotectRtcp(clearedFlag)).isEqualTo(SrtpError.AUTHENTICATION_FAILED);
        byte[] otherIndex = packet.clone();
        otherIndex[word + 3] ^= 1;
        assertThat(unprotectRtcp(otherIndex)).isEqualTo(SrtpError.AUTHENTICATION_FAILED);
        assertThat(receiver.authenticationFailures()).isEqualTo(6);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedPacketsAreMalformedOrFailAuthentication(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] packet = srtp(1, 100);
        int header = Packets.headerLength(packet);
        long malformed = 0;
        for (int length = 0; length < packet.length; length++) {
            int result = receiver.unprotectRtp(new UnsafeBuffer(packet.clone()), 0, length);
            if (length < header + profile.rtpAuthTagLength()) {
                assertThat(result).as("length %d", length).isEqualTo(SrtpError.MALFORMED);
                malformed++;
            } else {
                assertThat(result).as("length %d", length).isEqualTo(SrtpError.AUTHENTICATION_FAILED);
            }
        }
        assertThat(receiver.malformedPackets()).isEqualTo(malformed);

        byte[] rtcp = srtcp(2);
        for (int length = 0; length < 8 + profile.srtcpOverhead(); length++) {
            assertThat(receiver.unprotectRtcp(new UnsafeBuffer(rtcp.clone()), 0, length)).isEqualTo(SrtpError.MALFORMED);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aPacketThatIsNotVersion2IsMalformed(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] packet = srtp(1, 100);
        packet[0] = (byte) (packet[0] & 0x3F);
        assertThat(unprotectRtp(packet)).isEqualTo(SrtpError.MALFORMED);
        byte[] rtcp = srtcp(1);
        rtcp[0] = (byte) 0x41;
        assertThat(unprotectRtcp(rtcp)).isEqualTo(SrtpError.MALFORMED);
        assertThat(receiver.malformedPackets()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void newSsrcsBeyondTheBoundAreRejectedAndCountedUntilOneIsRemoved(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults().withMaxSsrcs(2));
        assertThat(unprotectRtp(srtp(1, 1))).isPositive();
        assertThat(unprotectRtcp(srtcp(2))).isPositive();

        assertThat(unprotectRtp(srtp(3, 1))).isEqualTo(SrtpError.SSRC_LIMIT);
        assertThat(unprotectRtcp(srtcp(1))).isPositive();
        assertThat(receiver.ssrcLimitRejections()).isEqualTo(1);
        assertThat(receiver.ssrcCount()).isEqualTo(2);

        assertThat(receiver.removeSsrc(2)).isTrue();
        assertThat(receiver.removeSsrc(2)).isFalse();
        assertThat(unprotectRtp(srtp(3, 2))).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aSenderRejectsAndCountsNewSsrcsBeyondItsBound(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        SrtpContext bounded = SrtpContext.forSending(profile, key, salt, SrtpConfig.defaults().withMaxSsrcs(1));
        byte[] rtp = Packets.rtp(1, 1, 0, false, 20, new SplittableRandom(1));
        byte[] rtcp = Packets.rtcp(2, new SplittableRandom(1));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);

        buffer.putBytes(0, rtp);
        assertThat(bounded.protectRtp(buffer, 0, rtp.length)).isPositive();
        buffer.putBytes(0, rtcp);
        assertThat(bounded.protectRtcp(buffer, 0, rtcp.length)).isEqualTo(SrtpError.SSRC_LIMIT);
        Packets.setSequence(rtp, 2);
        ByteArrays.putInt(rtp, 8, 3);
        buffer.putBytes(0, rtp);
        assertThat(bounded.protectRtp(buffer, 0, rtp.length)).isEqualTo(SrtpError.SSRC_LIMIT);
        assertThat(bounded.ssrcLimitRejections()).isEqualTo(2);
        assertThat(bounded.ssrcCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forgedPacketsOfNewSsrcsDoNotTakeRoomUnderTheBound(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults().withMaxSsrcs(1));
        for (int ssrc = 100; ssrc < 120; ssrc++) {
            byte[] forged = srtp(ssrc, 1);
            forged[forged.length - 1] ^= 1;
            assertThat(unprotectRtp(forged)).isEqualTo(SrtpError.AUTHENTICATION_FAILED);
        }
        assertThat(receiver.ssrcCount()).isZero();
        assertThat(unprotectRtp(srtp(7, 1))).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectingNeedsRoomForTheTagAndAHeapBuffer(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        byte[] rtp = Packets.rtp(1, 1, 0, false, 20, new SplittableRandom(1));
        UnsafeBuffer exact = new UnsafeBuffer(rtp.clone());
        assertThat(sender.protectRtp(exact, 0, rtp.length)).isEqualTo(SrtpError.NO_CAPACITY);
        assertThat(exact.byteArray()).isEqualTo(rtp);
        byte[] rtcp = Packets.rtcp(1, new SplittableRandom(1));
        assertThat(sender.protectRtcp(new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead() - 1]), 0,
            rtcp.length)).isEqualTo(SrtpError.NO_CAPACITY);

        UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        direct.putBytes(0, rtp);
        assertThat(sender.protectRtp(direct, 0, rtp.length)).isEqualTo(SrtpError.NOT_HEAP_BUFFER);
        assertThat(receiver.unprotectRtp(direct, 0, rtp.length)).isEqualTo(SrtpError.NOT_HEAP_BUFFER);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void offsetsAndLengthsOutsideTheBufferAreMalformed(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        assertThat(receiver.unprotectRtp(buffer, -1, 50)).isEqualTo(SrtpError.MALFORMED);
        assertThat(receiver.unprotectRtp(buffer, 60, 50)).isEqualTo(SrtpError.MALFORMED);
        assertThat(receiver.unprotectRtcp(buffer, 0, -5)).isEqualTo(SrtpError.MALFORMED);
        assertThat(receiver.unprotectRtcp(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(SrtpError.MALFORMED);
        assertThat(sender.protectRtp(buffer, 90, 20)).isEqualTo(SrtpError.MALFORMED);
        assertThat(receiver.malformedPackets()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void eachContextWorksInItsOwnDirectionOnly(SrtpProfile profile) {
        setUp(profile, SrtpConfig.defaults());
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        assertThatThrownBy(() -> sender.unprotectRtp(buffer, 0, 50)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sender.unprotectRtcp(buffer, 0, 50)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> receiver.protectRtp(buffer, 0, 50)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> receiver.protectRtcp(buffer, 0, 50)).isInstanceOf(IllegalStateException.class);
        assertThat(sender.isSending()).isTrue();
        assertThat(receiver.isSending()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_32"})
    void anUnencryptedSrtcpPacketIsAcceptedAsItIs(SrtpProfile profile) {
        // a peer may clear the E flag (RFC 3711 §3.4); build one with the SRTCP cipher the context derives
        setUp(profile, SrtpConfig.defaults());
        SrtpCipher rtcpCipher = SrtpCipher.create(profile, key, salt, true, new byte[AesCtr.CHUNK_BYTES],
            new byte[AesCtr.CHUNK_BYTES]);
        byte[] rtcp = Packets.rtcp(9, new SplittableRandom(2));
        byte[] packet = Arrays.copyOf(rtcp, rtcp.length + profile.srtcpOverhead());
        rtcpCipher.protectRtcp(packet, 0, rtcp.length, 9, 0, false);
        assertThat(Arrays.copyOf(packet, rtcp.length)).isEqualTo(rtcp);

        UnsafeBuffer buffer = new UnsafeBuffer(packet);
        assertThat(receiver.unprotectRtcp(buffer, 0, packet.length)).isEqualTo(rtcp.length);
        assertThat(Arrays.copyOf(packet, rtcp.length)).isEqualTo(rtcp);
    }
}
