package io.sfu.core.sctp;

import org.junit.jupiter.api.Test;

import static io.sfu.core.sctp.SctpPair.MS;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 3758: messages abandoned past their retransmission count or lifetime, and FORWARD TSN. */
class SctpPartialReliabilityTest {

    private static boolean sendMarked(SctpPair pair, int mark, int maxRetransmits, long lifetimeNanos) {
        return pair.a.send(2, 53, false, new byte[] {(byte) mark, 0, 0}, 0, 3, maxRetransmits, lifetimeNanos,
            pair.now());
    }

    private static int[] marks(RecordingListener events) {
        return events.messages.stream().mapToInt(m -> m.bytes()[0]).toArray();
    }

    @Test
    void withNoRetransmissionsALostMessageIsAbandonedAndTheNextOnesArriveInOrder() {
        SctpPair pair = new SctpPair().established();
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.dataMarks(packet).contains(2) ? -1 : 0);
        for (int mark = 1; mark <= 4; mark++) {
            assertThat(sendMarked(pair, mark, 0, -1)).isTrue();
        }
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 3 && pair.a.bufferedBytes() == 0,
            10_000 * MS)).isTrue();
        assertThat(marks(pair.bEvents)).containsExactly(1, 3, 4);
        assertThat(pair.a.counters().abandonedMessages()).isEqualTo(1);
        assertThat(pair.a.counters().forwardTsnsSent()).isPositive();
        assertThat(pair.a.counters().retransmittedChunks()).isZero();
        // RFC 3758 §3.2: the new cumulative TSN is the abandoned chunk's, with the stream and SSN it skips
        byte[] dropped = pair.link.sent(0).stream().filter(p -> SctpPackets.dataMarks(p).contains(2)).findFirst()
            .orElseThrow();
        byte[] forward = pair.link.sent(0).stream().filter(p -> SctpPackets.find(p, SctpPacket.FORWARD_TSN) > 0)
            .findFirst().orElseThrow();
        int at = SctpPackets.find(forward, SctpPacket.FORWARD_TSN);
        assertThat(SctpBytes.u16(forward, at + 2)).isEqualTo(4 + 4 + 4);
        assertThat(SctpBytes.i32(forward, at + 4)).isEqualTo(SctpPackets.firstTsn(dropped));
        assertThat(SctpBytes.u16(forward, at + 8)).as("stream").isEqualTo(2);
        assertThat(SctpBytes.u16(forward, at + 10)).as("SSN of the second message").isEqualTo(1);
        // the stream goes on after the skipped sequence number
        assertThat(sendMarked(pair, 5, 0, -1)).isTrue();
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 4, 10_000 * MS)).isTrue();
        assertThat(marks(pair.bEvents)).containsExactly(1, 3, 4, 5);
    }

    @Test
    void aLostFragmentAbandonsTheWholeMessageAndTheRestOfTheStreamArrives() {
        SctpPair pair = new SctpPair().established();
        byte[] big = new byte[5000];
        big[0] = 7;
        // drop the second fragment of the big message (a DATA chunk without B whose TSN follows the first)
        int[] dataPackets = {0};
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.find(packet, SctpPacket.DATA) >= 0
            && ++dataPackets[0] == 2 ? -1 : 0);
        assertThat(pair.a.send(2, 53, false, big, 0, big.length, 0, -1, pair.now())).isTrue();
        assertThat(sendMarked(pair, 8, 0, -1)).isTrue();
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 1 && pair.a.bufferedBytes() == 0,
            10_000 * MS)).isTrue();
        assertThat(marks(pair.bEvents)).containsExactly(8);
        assertThat(pair.b.counters().droppedChunksBufferFull()).isZero();
    }

    @Test
    void aMessagePastItsLifetimeIsAbandonedWhileRetransmissionsFail() {
        SctpPair pair = new SctpPair().established();
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.dataMarks(packet).contains(2) ? -1 : 0);
        assertThat(sendMarked(pair, 1, -1, 3000 * MS)).isTrue();
        assertThat(sendMarked(pair, 2, -1, 3000 * MS)).isTrue();
        assertThat(sendMarked(pair, 3, -1, 3000 * MS)).isTrue();
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 2 && pair.a.bufferedBytes() == 0,
            20_000 * MS)).isTrue();
        assertThat(marks(pair.bEvents)).containsExactly(1, 3);
        assertThat(pair.a.counters().retransmittedChunks()).isPositive();
        assertThat(pair.a.counters().abandonedMessages()).isEqualTo(1);
        assertThat(pair.a.isEstablished()).isTrue();
    }

    @Test
    void aMessageStillQueuedPastItsLifetimeIsDroppedUnsent() {
        SctpPair pair = new SctpPair().established();
        // fill the window with reliable data the peer cannot acknowledge for a while
        pair.link.fate((from, index, packet) -> from == 1 && pair.now() < SctpLink.START_NANOS + 4000 * MS ? -1 : 0);
        for (int i = 0; i < 10; i++) {
            pair.a.send(1, 53, false, new byte[1000], 0, 1000, -1, -1, pair.now());
        }
        assertThat(sendMarked(pair, 9, -1, 100 * MS)).isTrue();
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 10 && pair.a.bufferedBytes() == 0,
            30_000 * MS)).isTrue();
        assertThat(pair.bEvents.messages).noneMatch(m -> m.streamId() == 2);
        assertThat(pair.a.counters().abandonedMessages()).isEqualTo(1);
    }

    @Test
    void unorderedPartiallyReliableMessagesSkipTheLostOneWithoutWaiting() {
        SctpPair pair = new SctpPair().established();
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.dataMarks(packet).contains(1) ? -1 : 0);
        for (int mark = 1; mark <= 3; mark++) {
            assertThat(pair.a.send(2, 53, true, new byte[] {(byte) mark}, 0, 1, 0, -1, pair.now())).isTrue();
        }
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 2 && pair.a.bufferedBytes() == 0,
            10_000 * MS)).isTrue();
        assertThat(marks(pair.bEvents)).containsExactly(2, 3);
    }
}
