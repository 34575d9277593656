package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.testing.Allocations;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Protecting and unprotecting a known SSRC allocates nothing, for every profile. */
class SrtpContextAllocationTest {
    private static final int SSRC = 0x1234;
    private static final int RING = 1024;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectRtpAllocatesNothing(SrtpProfile profile) {
        SrtpContext sender = Packets.contextPair(profile, new SplittableRandom(1))[0];
        byte[] rtp = Packets.rtp(SSRC, 0, 2, true, 1200, new SplittableRandom(2));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtp.length + profile.rtpAuthTagLength()]);
        buffer.putBytes(0, rtp);
        int[] seq = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            buffer.putShort(2, (short) ++seq[0], ByteOrder.BIG_ENDIAN);
            if (sender.protectRtp(buffer, 0, rtp.length) < 0) {
                throw new AssertionError("protect failed");
            }
        });

        assertThat(bytes).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void unprotectRtpAllocatesNothing(SrtpProfile profile) {
        SrtpContext[] contexts = Packets.contextPair(profile, new SplittableRandom(1));
        byte[][] ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            byte[] rtp = Packets.rtp(SSRC, i, 2, true, 1200, new SplittableRandom(i));
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtp.length + profile.rtpAuthTagLength()]);
            buffer.putBytes(0, rtp);
            contexts[0].protectRtp(buffer, 0, rtp.length);
            ring[i] = buffer.byteArray();
        }
        UnsafeBuffer work = new UnsafeBuffer(new byte[ring[0].length]);
        int[] next = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            int i = next[0]++ % RING;
            if (i == 0) {
                // start the ring over as a new stream: recycles the SSRC state instead of replaying
                contexts[1].removeSsrc(SSRC);
            }
            work.putBytes(0, ring[i]);
            if (contexts[1].unprotectRtp(work, 0, ring[i].length) < 0) {
                throw new AssertionError("unprotect failed at " + i);
            }
        });

        assertThat(bytes).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectRtcpAllocatesNothing(SrtpProfile profile) {
        SrtpContext sender = Packets.contextPair(profile, new SplittableRandom(1))[0];
        byte[] rtcp = Packets.rtcp(SSRC, new SplittableRandom(3));
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);

        double bytes = Allocations.bytesPerRun(() -> {
            buffer.putBytes(0, rtcp);
            if (sender.protectRtcp(buffer, 0, rtcp.length) < 0) {
                throw new AssertionError("protect failed");
            }
        });

        assertThat(bytes).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void unprotectRtcpAllocatesNothing(SrtpProfile profile) {
        SrtpContext[] contexts = Packets.contextPair(profile, new SplittableRandom(1));
        byte[][] ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            byte[] rtcp = Packets.rtcp(SSRC, new SplittableRandom(i));
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);
            buffer.putBytes(0, rtcp);
            contexts[0].protectRtcp(buffer, 0, rtcp.length);
            ring[i] = buffer.byteArray();
        }
        UnsafeBuffer work = new UnsafeBuffer(new byte[ring[0].length]);
        int[] next = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            int i = next[0]++ % RING;
            if (i == 0) {
                contexts[1].removeSsrc(SSRC);
            }
            work.putBytes(0, ring[i]);
            if (contexts[1].unprotectRtcp(work, 0, ring[i].length) < 0) {
                throw new AssertionError("unprotect failed at " + i);
            }
        });

        assertThat(bytes).isZero();
    }
}
