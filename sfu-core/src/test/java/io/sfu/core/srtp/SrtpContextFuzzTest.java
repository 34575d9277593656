package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded mutation and garbage tests: whatever arrives, unprotecting returns a negative {@link SrtpError} without
 * throwing, and no mutated packet is ever accepted.
 */
class SrtpContextFuzzTest {
    private static final long SEED = 0xF022_3711L;
    private static final int RUNS = 4000;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void mutatedSrtpAndSrtcpPacketsAreRejectedWithoutThrowing(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(SEED);
        SrtpContext[] contexts = Packets.contextPair(profile, random);
        for (int run = 0; run < RUNS; run++) {
            boolean rtcp = random.nextBoolean();
            byte[] packet = rtcp ? protectRtcp(contexts[0], profile, random) : protectRtp(contexts[0], profile, run,
                random);
            byte[] original = packet.clone();
            int length = mutate(packet, random);
            if (length == original.length && Arrays.equals(packet, original)) {
                continue;
            }
            String as = String.format("seed %x run %d", SEED, run);
            UnsafeBuffer buffer = new UnsafeBuffer(packet);
            int result = rtcp ? contexts[1].unprotectRtcp(buffer, 0, length) : contexts[1].unprotectRtp(buffer, 0,
                length);
            assertThat(result).as(as).isNegative();
        }
        assertThat(contexts[1].ssrcCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomBytesAreRejectedWithoutThrowing(SrtpProfile profile) {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        SrtpContext[] contexts = Packets.contextPair(profile, random);
        for (int run = 0; run < RUNS; run++) {
            byte[] packet = new byte[random.nextInt(400)];
            for (int i = 0; i < packet.length; i++) {
                packet[i] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean() && packet.length > 0) {
                // mostly version 2, so the checks past the version are reached
                packet[0] = (byte) (0x80 | (packet[0] & 0x3F));
            }
            String as = String.format("seed %x run %d", SEED + 1, run);
            assertThat(contexts[1].unprotectRtp(new UnsafeBuffer(packet.clone()), 0, packet.length)).as(as)
                .isNegative();
            assertThat(contexts[1].unprotectRtcp(new UnsafeBuffer(packet.clone()), 0, packet.length)).as(as)
                .isNegative();
            // the sending side takes any bytes it is handed without throwing either
            UnsafeBuffer room = new UnsafeBuffer(Arrays.copyOf(packet, packet.length + 20));
            contexts[0].protectRtp(room, 0, packet.length);
            room.putBytes(0, packet);
            contexts[0].protectRtcp(room, 0, packet.length);
        }
    }

    private static byte[] protectRtp(SrtpContext sender, SrtpProfile profile, int seq, SplittableRandom random) {
        byte[] rtp = Packets.rtp(random.nextInt(4), seq, random.nextInt(4), random.nextBoolean(), random.nextInt(300),
            random);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtp.length + profile.rtpAuthTagLength()]);
        buffer.putBytes(0, rtp);
        assertThat(sender.protectRtp(buffer, 0, rtp.length)).isPositive();
        return buffer.byteArray();
    }

    private static byte[] protectRtcp(SrtpContext sender, SrtpProfile profile, SplittableRandom random) {
        byte[] rtcp = Packets.rtcp(random.nextInt(4), random);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtcp.length + profile.srtcpOverhead()]);
        buffer.putBytes(0, rtcp);
        assertThat(sender.protectRtcp(buffer, 0, rtcp.length)).isPositive();
        return buffer.byteArray();
    }

    /** Flips bits, overwrites a run of octets, or truncates; returns the length to present. */
    private static int mutate(byte[] packet, SplittableRandom random) {
        switch (random.nextInt(4)) {
            case 0:
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return packet.length;
            case 1:
                int from = random.nextInt(packet.length);
                for (int i = from; i < Math.min(packet.length, from + 1 + random.nextInt(8)); i++) {
                    packet[i] = (byte) random.nextInt(256);
                }
                return packet.length;
            case 2:
                return random.nextInt(packet.length);
            default:
                // the header's own length fields: CC, X and the extension length
                packet[0] = (byte) (0x80 | random.nextInt(0x40));
                if (packet.length > 16) {
                    packet[14 + 4 * (packet[0] & 0x0F) % Math.max(1, packet.length - 16)] = (byte) random.nextInt(256);
                }
                return packet.length;
        }
    }
}
