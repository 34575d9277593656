package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketHistoryTest {
    private static final long MS = 1_000_000L;

    private final long now = 42_000 * MS;

    private static byte[] packet(int seq, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seq * 31 + i);
        }
        return bytes;
    }

    @Test
    void storedPacketIsCopiedOutByteForByteIntoEitherKindOfDestination() {
        PacketHistory history = new PacketHistory(8);
        byte[] original = packet(7, 1200);
        UnsafeBuffer source = new UnsafeBuffer(new byte[1300]);
        source.putBytes(50, original);
        assertThat(history.store(7, source, 50, 1200, now)).isTrue();

        byte[] array = new byte[1500];
        assertThat(history.copyOut(7, now, array, 100)).isEqualTo(1200);
        assertThat(Arrays.copyOfRange(array, 100, 1300)).isEqualTo(original);
        assertThat(array[99]).isZero();
        assertThat(array[1300]).isZero();

        UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
        assertThat(history.copyOut(7, now, buffer, 12)).isEqualTo(1200);
        byte[] copied = new byte[1200];
        buffer.getBytes(12, copied);
        assertThat(copied).isEqualTo(original);
    }

    @Test
    void storeKeepsACopySoLaterChangesToTheSourceDoNotShow() {
        PacketHistory history = new PacketHistory(8);
        byte[] source = packet(3, 100);
        history.store(3, source, 0, 100, now);
        Arrays.fill(source, (byte) 0);
        byte[] out = new byte[1500];
        history.copyOut(3, now, out, 0);
        assertThat(Arrays.copyOf(out, 100)).isEqualTo(packet(3, 100));
    }

    @Test
    void packetNeverStoredIsAbsent() {
        PacketHistory history = new PacketHistory(8);
        history.store(3, packet(3, 100), 0, 100, now);
        assertThat(history.copyOut(4, now, new byte[1500], 0)).isEqualTo(PacketHistory.ABSENT);
        assertThat(history.copyOut(11, now, new byte[1500], 0)).as("same ring slot as 3").isEqualTo(-1);
        assertThat(history.missCount()).isEqualTo(2);
        assertThat(history.hitCount()).isZero();
    }

    @Test
    void packetOlderThanTheCapacityIsEvicted() {
        PacketHistory history = new PacketHistory(8);
        for (int seq = 0; seq <= 8; seq++) {
            history.store(seq, packet(seq, 100), 0, 100, now);
        }
        assertThat(history.contains(0, now)).isFalse();
        for (int seq = 1; seq <= 8; seq++) {
            assertThat(history.contains(seq, now)).as("seq %d", seq).isTrue();
        }
    }

    @Test
    void packetOlderThanMaxAgeIsAbsent() {
        PacketHistory history = new PacketHistory(8, 1500, 500 * MS);
        history.store(1, packet(1, 100), 0, 100, now);
        assertThat(history.copyOut(1, now + 500 * MS, new byte[1500], 0)).isEqualTo(100);
        assertThat(history.copyOut(1, now + 501 * MS, new byte[1500], 0)).isEqualTo(PacketHistory.ABSENT);
    }

    @Test
    void sequenceWrapKeepsBothSidesAvailable() {
        PacketHistory history = new PacketHistory(8);
        int[] seqs = {65534, 65535, 0, 1};
        for (int seq : seqs) {
            history.store(seq, packet(seq, 60), 0, 60, now);
        }
        byte[] out = new byte[1500];
        for (int seq : seqs) {
            assertThat(history.copyOut(seq, now, out, 0)).as("seq %d", seq).isEqualTo(60);
            assertThat(Arrays.copyOf(out, 60)).isEqualTo(packet(seq, 60));
        }
    }

    @Test
    void oversizedOrEmptyPacketIsRefused() {
        PacketHistory history = new PacketHistory(8, 1500, 1_000 * MS);
        assertThat(history.store(1, new byte[1501], 0, 1501, now)).isFalse();
        assertThat(history.store(2, new byte[10], 0, 0, now)).isFalse();
        assertThat(history.contains(1, now)).isFalse();
        assertThat(history.contains(2, now)).isFalse();
        assertThat(history.rejectedCount()).isEqualTo(2);
        assertThat(history.store(3, new byte[1500], 0, 1500, now)).isTrue();
    }

    @Test
    void latePacketTooFarBehindDoesNotEvictANewerOne() {
        PacketHistory history = new PacketHistory(8);
        for (int seq = 10; seq <= 17; seq++) {
            history.store(seq, packet(seq, 50), 0, 50, now);
        }
        assertThat(history.store(9, packet(9, 50), 0, 50, now)).isFalse();
        assertThat(history.contains(17, now)).isTrue();
        assertThat(history.store(12, packet(12, 50), 0, 50, now)).as("within the ring").isTrue();
    }

    @Test
    void sourceRangeOutsideThePacketIsACallerError() {
        PacketHistory history = new PacketHistory(8);
        assertThatThrownBy(() -> history.store(1, new byte[10], 5, 10, now))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(history.contains(1, now)).isFalse();
    }

    @Test
    void clearEmptiesTheHistory() {
        PacketHistory history = new PacketHistory(8);
        history.store(1, packet(1, 50), 0, 50, now);
        history.clear();
        assertThat(history.contains(1, now)).isFalse();
    }

    @Test
    void settingsAreValidatedByName() {
        assertThatThrownBy(() -> new PacketHistory(500)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new PacketHistory(8, 0, MS)).hasMessageContaining("maxPacketBytes");
        assertThatThrownBy(() -> new PacketHistory(8, 1500, 0)).hasMessageContaining("maxAgeNs");
    }

    @Test
    void storingAndCopyingOutAllocateNothing() {
        PacketHistory history = new PacketHistory(PacketHistory.DEFAULT_VIDEO_CAPACITY);
        UnsafeBuffer source = new UnsafeBuffer(packet(1, 1200));
        byte[] sourceArray = packet(2, 1200);
        UnsafeBuffer destination = new UnsafeBuffer(new byte[1500]);
        byte[] destinationArray = new byte[1500];
        int[] state = {0};
        long[] sink = new long[1];
        double bytes = Allocations.bytesPerRun(() -> {
            int seq = state[0]++ & 0xFFFF;
            if ((seq & 1) == 0) {
                history.store(seq, source, 0, 1200, now);
            } else {
                history.store(seq, sourceArray, 0, 1200, now);
            }
            sink[0] += history.copyOut(seq - 5, now, destination, 0)
                + history.copyOut(seq - 600, now, destinationArray, 0);
        });
        assertThat(bytes).isLessThan(0.01);
        assertThat(sink[0]).isPositive();
    }
}
