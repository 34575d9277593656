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
        assertThat(unprotectBytesPerRun(contexts[1], ring(profile, contexts[0], false), false)).isZero();
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
        assertThat(unprotectBytesPerRun(contexts[1], ring(profile, contexts[0], true), true)).isZero();
    }

    /** {@value #RING} protected packets of one SSRC, in sending order. */
    private static byte[][] ring(SrtpProfile profile, SrtpContext sender, boolean rtcp) {
        byte[][] ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            SplittableRandom random = new SplittableRandom(i);
            byte[] plain = rtcp ? Packets.rtcp(SSRC, random) : Packets.rtp(SSRC, i, 2, true, 1200, random);
            int overhead = rtcp ? profile.srtcpOverhead() : profile.rtpAuthTagLength();
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[plain.length + overhead]);
            buffer.putBytes(0, plain);
            int length = rtcp ? sender.protectRtcp(buffer, 0, plain.length) : sender.protectRtp(buffer, 0, plain.length);
            assertThat(length).isEqualTo(buffer.capacity());
            ring[i] = buffer.byteArray();
        }
        return ring;
    }

    /** Heap bytes per unprotect, cycling through the ring, each pass as a new stream. */
    private static double unprotectBytesPerRun(SrtpContext receiver, byte[][] ring, boolean rtcp) {
        UnsafeBuffer work = new UnsafeBuffer(new byte[ring[0].length]);
        int[] next = {0};
        return Allocations.bytesPerRun(() -> {
            int i = next[0]++ % RING;
            if (i == 0) {
                // start the ring over as a new stream: recycles the SSRC state instead of replaying
                receiver.removeSsrc(SSRC);
            }
            work.putBytes(0, ring[i]);
            int result = rtcp ? receiver.unprotectRtcp(work, 0, ring[i].length)
                : receiver.unprotectRtp(work, 0, ring[i].length);
            if (result < 0) {
                throw new AssertionError("unprotect failed at " + i + ": " + SrtpError.describe(result));
            }
        });
    }
}
