package io.sfu.core.rtcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.sfu.core.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 4585 §6.2.1. */
class GenericNackTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final GenericNack nack = new GenericNack();

    private List<Integer> lost() {
        List<Integer> out = new ArrayList<>();
        int count = nack.forEachLost(out::add);
        assertThat(count).isEqualTo(out.size());
        return out;
    }

    @Test
    void expandsPidAndBitmaskIntoLostSequenceNumbers() {
        // PID 100, BLP bits 0 and 15: 100, 101, 116; PID 65535, BLP bit 1: 65535, 1
        byte[] bytes = hex("81 cd 00 04  00 00 00 01  00 00 00 02  00 64 80 01  ff ff 00 02");

        assertThat(nack.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(nack.senderSsrc()).isEqualTo(1);
        assertThat(nack.mediaSsrc()).isEqualTo(2);
        assertThat(nack.entryCount()).isEqualTo(2);
        assertThat(nack.packetId(0)).isEqualTo(100);
        assertThat(nack.lostBitmask(0)).isEqualTo(0x8001);
        assertThat(lost()).containsExactly(100, 101, 116, 65535, 1);
    }

    @Test
    void packsNearbyNumbersIntoOneEntryAcrossTheWrap() {
        int[] lost = {65534, 65535, 0, 14, 40, 41};

        int length = GenericNack.write(buffer, 0, 7, 9, lost, lost.length);

        assertThat(length).isEqualTo(12 + 2 * 4);
        assertThat(nack.wrap(buffer, 0, length)).isTrue();
        assertThat(nack.entryCount()).isEqualTo(2);
        assertThat(nack.packetId(0)).isEqualTo(65534);
        assertThat(nack.packetId(1)).isEqualTo(40);
        assertThat(lost()).containsExactly(65534, 65535, 0, 14, 40, 41);
    }

    @Test
    void startsANewEntryForAnOutOfOrderNumberAndSkipsRepeats() {
        int[] lost = {500, 500, 499, 501};

        int length = GenericNack.write(buffer, 0, 7, 9, lost, lost.length);

        assertThat(nack.wrap(buffer, 0, length)).isTrue();
        assertThat(nack.entryCount()).isEqualTo(2);
        assertThat(lost()).containsExactly(500, 499, 501);
        assertThat(length).isLessThanOrEqualTo(GenericNack.maxLength(lost.length));
    }

    @Test
    void rejectsANackWithoutEntriesOrWithAnotherFormat() {
        byte[] empty = hex("81 cd 00 02  00 00 00 01  00 00 00 02");
        byte[] otherFormat = hex("82 cd 00 03  00 00 00 01  00 00 00 02  00 64 00 00");
        byte[] payloadFeedback = hex("81 ce 00 03  00 00 00 01  00 00 00 02  00 64 00 00");

        assertThat(nack.wrap(new UnsafeBuffer(empty), 0, empty.length)).isFalse();
        assertThat(nack.wrap(new UnsafeBuffer(otherFormat), 0, otherFormat.length)).isFalse();
        assertThat(nack.wrap(new UnsafeBuffer(payloadFeedback), 0, payloadFeedback.length)).isFalse();
    }

    @Test
    void refusesToWriteAnEmptyNack() {
        assertThatThrownBy(() -> GenericNack.write(buffer, 0, 1, 2, new int[0], 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesReadyMadeEntriesAsGiven() {
        int[] words = {(100 << 16) | 0x8001, (65535 << 16) | 0x0002};

        int length = GenericNack.writeEntries(buffer, 0, 1, 2, words, words.length);

        assertThat(length).isEqualTo(20);
        assertThat(nack.wrap(buffer, 0, length)).isTrue();
        assertThat(nack.senderSsrc()).isEqualTo(1);
        assertThat(nack.mediaSsrc()).isEqualTo(2);
        assertThat(lost()).containsExactly(100, 101, 116, 65535, 1);
        assertThatThrownBy(() -> GenericNack.writeEntries(buffer, 0, 1, 2, words, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
