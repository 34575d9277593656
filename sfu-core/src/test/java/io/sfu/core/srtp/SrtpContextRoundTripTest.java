package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Protect then unprotect, for every profile, RTP (with CSRCs and header extensions) and RTCP. */
class SrtpContextRoundTripTest {

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpWithCsrcsAndHeaderExtensionRoundTripsWithTheHeaderInTheClear(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(11);
        SrtpContext[] contexts = Packets.contextPair(profile, random);
        int seq = 0;
        for (int csrcs : new int[] {0, 1, 15}) {
            for (boolean extension : new boolean[] {false, true}) {
                for (int payload : new int[] {0, 1, 15, 16, 17, 160, 1200, 5000}) {
                    byte[] rtp = Packets.rtp(0xCAFE, seq++, csrcs, extension, payload, random);
                    int header = Packets.headerLength(rtp);
                    UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtp.length + profile.rtpAuthTagLength()]);
                    buffer.putBytes(0, rtp);

                    int protectedLength = contexts[0].protectRtp(buffer, 0, rtp.length);

                    String as = profile + " csrcs " + csrcs + " extension " + extension + " payload " + payload;
                    assertThat(protectedLength).as(as).isEqualTo(rtp.length + profile.rtpAuthTagLength());
                    byte[] wire = buffer.byteArray().clone();
                    assertThat(Arrays.copyOf(wire, header)).as(as).isEqualTo(Arrays.copyOf(rtp, header));
                    if (payload >= 8) {
                        assertThat(Arrays.copyOfRange(wire, header, rtp.length)).as(as)
                            .isNotEqualTo(Arrays.copyOfRange(rtp, header, rtp.length));
                    }

                    assertThat(contexts[1].unprotectRtp(buffer, 0, protectedLength)).as(as).isEqualTo(rtp.length);
                    assertThat(Arrays.copyOf(buffer.byteArray(), rtp.length)).as(as).isEqualTo(rtp);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void compoundRtcpRoundTripsWithTheFirstEightOctetsInTheClear(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(12);
        SrtpContext[] contexts = Packets.contextPair(profile, random);
        for (int i = 0; i < 5; i++) {
            byte[] rtcp = Packets.rtcp(0xBEEF, random);
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);
            buffer.putBytes(0, rtcp);

            int protectedLength = contexts[0].protectRtcp(buffer, 0, rtcp.length);

            assertThat(protectedLength).isEqualTo(rtcp.length + profile.srtcpOverhead());
            assertThat(Arrays.copyOf(buffer.byteArray(), 8)).isEqualTo(Arrays.copyOf(rtcp, 8));
            assertThat(Arrays.copyOfRange(buffer.byteArray(), 8, rtcp.length))
                .isNotEqualTo(Arrays.copyOfRange(rtcp, 8, rtcp.length));
            assertThat(contexts[1].unprotectRtcp(buffer, 0, protectedLength)).isEqualTo(rtcp.length);
            assertThat(Arrays.copyOf(buffer.byteArray(), rtcp.length)).isEqualTo(rtcp);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpIndexesCountUpFromZeroWithTheEncryptedFlag(SrtpProfile profile) {
        SrtpContext sender = Packets.contextPair(profile, new SplittableRandom(13))[0];
        byte[] rtcp = Packets.rtcp(0x1111, new SplittableRandom(1));
        for (int expected = 0; expected < 3; expected++) {
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);
            buffer.putBytes(0, rtcp);
            int length = sender.protectRtcp(buffer, 0, rtcp.length);
            int at = profile.isAead() ? length - 4 : length - profile.rtcpAuthTagLength() - 4;
            assertThat(ByteArrays.getInt(buffer.byteArray(), at)).isEqualTo(0x8000_0000 | expected);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetsInsideALargerArrayAndExpandableBuffersWork(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(14);
        SrtpContext[] contexts = Packets.contextPair(profile, random);
        byte[] rtp = Packets.rtp(5, 9, 2, true, 300, random);
        byte[] backing = new byte[1000];
        Arrays.fill(backing, (byte) 0x5A);
        // the buffer starts 37 octets into the array and the packet 11 octets into the buffer
        MutableDirectBuffer window = new UnsafeBuffer(backing, 37, 700);
        window.putBytes(11, rtp);

        int length = contexts[0].protectRtp(window, 11, rtp.length);
        assertThat(contexts[1].unprotectRtp(window, 11, length)).isEqualTo(rtp.length);

        byte[] out = new byte[rtp.length];
        window.getBytes(11, out);
        assertThat(out).isEqualTo(rtp);
        assertThat(backing[37 + 10]).isEqualTo((byte) 0x5A);
        assertThat(backing[37 + 11 + length]).isEqualTo((byte) 0x5A);

        ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(2048);
        expandable.putBytes(3, rtp);
        Packets.setSequence(rtp, 10);
        expandable.putBytes(3, rtp);
        length = contexts[0].protectRtp(expandable, 3, rtp.length);
        assertThat(contexts[1].unprotectRtp(expandable, 3, length)).isEqualTo(rtp.length);
    }
}
