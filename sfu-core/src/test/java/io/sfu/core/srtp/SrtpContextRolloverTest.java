package io.sfu.core.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rollover counter across the 65535 → 0 wrap, on both sides, with packets reordered around it. */
class SrtpContextRolloverTest {
    private static final int SSRC = 0x0BAD_CAFE;

    private SrtpProfile profile;
    private SrtpContext sender;
    private SrtpContext receiver;
    private final Map<Integer, byte[]> plain = new HashMap<>();

    private void setUp(SrtpProfile profile) {
        this.profile = profile;
        SrtpContext[] contexts = Packets.contextPair(profile, new SplittableRandom(21));
        sender = contexts[0];
        receiver = contexts[1];
    }

    /** Sends sequence numbers in order, returning the protected packets by send order. */
    private byte[][] send(int firstSeq, int count) {
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            int seq = (firstSeq + i) & 0xFFFF;
            byte[] rtp = Packets.rtp(SSRC, seq, 0, false, 50, new SplittableRandom(i));
            plain.put(i, rtp);
            UnsafeBuffer buffer = new UnsafeBuffer(new byte[rtp.length + profile.rtpAuthTagLength()]);
            buffer.putBytes(0, rtp);
            assertThat(sender.protectRtp(buffer, 0, rtp.length)).isPositive();
            out[i] = buffer.byteArray();
        }
        return out;
    }

    private int receive(byte[] packet) {
        return receiver.unprotectRtp(new UnsafeBuffer(packet), 0, packet.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void bothSidesIncrementTheRocWhenTheSequenceWraps(SrtpProfile profile) {
        setUp(profile);
        byte[][] packets = send(65530, 12);
        assertThat(sender.rolloverCounter(SSRC)).isEqualTo(1);

        for (int i = 0; i < packets.length; i++) {
            assertThat(receive(packets[i])).as("packet %d", i).isPositive();
            assertThat(Arrays.copyOf(packets[i], plain.get(i).length)).isEqualTo(plain.get(i));
        }
        assertThat(receiver.rolloverCounter(SSRC)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetsReorderedAcrossTheWrapAllDecrypt(SrtpProfile profile) {
        setUp(profile);
        // send order: 65532, 65533, 65534, 65535, 0, 1, 2, 3
        byte[][] packets = send(65532, 8);
        int[] arrival = {0, 2, 5, 1, 3, 4, 7, 6};
        for (int i : arrival) {
            assertThat(receive(packets[i])).as("sent #%d", i).isEqualTo(plain.get(i).length);
            assertThat(Arrays.copyOf(packets[i], plain.get(i).length)).as("sent #%d", i).isEqualTo(plain.get(i));
        }
        assertThat(receiver.rolloverCounter(SSRC)).isEqualTo(1);
        assertThat(receiver.replaysRejected()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aLatePacketFromBeforeTheWrapIsStillDecryptedWithTheOldRoc(SrtpProfile profile) {
        setUp(profile);
        byte[][] packets = send(65500, 100);
        for (int i = 0; i < packets.length; i++) {
            if (i != 20) {
                assertThat(receive(packets[i])).isPositive();
            }
        }
        // 65520 arrives after 63 (ROC 1)
        assertThat(receive(packets[20])).isEqualTo(plain.get(20).length);
        assertThat(Arrays.copyOf(packets[20], plain.get(20).length)).isEqualTo(plain.get(20));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAcrossTheWrapAreCaught(SrtpProfile profile) {
        setUp(profile);
        byte[][] packets = send(65534, 4);
        byte[][] copies = new byte[4][];
        for (int i = 0; i < 4; i++) {
            copies[i] = packets[i].clone();
            assertThat(receive(packets[i])).isPositive();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(receive(copies[i])).isEqualTo(SrtpError.REPLAYED);
        }
        assertThat(receiver.replaysRejected()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aRetransmissionKeepsTheRocItWasFirstSentWith(SrtpProfile profile) {
        setUp(profile);
        byte[] original = Packets.rtp(SSRC, 65535, 0, false, 40, new SplittableRandom(1));
        send(65530, 10);
        // resend seq 65535 after the wrap: it must be protected with ROC 0 again
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[original.length + profile.rtpAuthTagLength()]);
        buffer.putBytes(0, original);
        int length = sender.protectRtp(buffer, 0, original.length);
        assertThat(sender.rolloverCounter(SSRC)).isEqualTo(1);

        // a receiver that has not seen ROC 1 yet decrypts it with ROC 0
        SrtpContext fresh = Packets.contextPair(profile, new SplittableRandom(21))[1];
        assertThat(fresh.unprotectRtp(buffer, 0, length)).isEqualTo(original.length);
        assertThat(Arrays.copyOf(buffer.byteArray(), original.length)).isEqualTo(original);
    }
}
