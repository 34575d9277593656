package io.sfu.core.sctp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.sfu.core.sctp.SctpPair.MS;
import static org.assertj.core.api.Assertions.assertThat;

class SctpAssociationTest {

    @Test
    void anInitiatorAndAResponderEstablishAndExchangeMessagesBothWays() {
        SctpPair pair = new SctpPair().established();
        assertThat(pair.aEvents.established).isTrue();
        assertThat(pair.bEvents.established).isTrue();
        assertThat(pair.a.outboundStreams()).isEqualTo(1024);

        assertThat(pair.send(pair.a, 1, new byte[] {1, 2, 3})).isTrue();
        assertThat(pair.send(pair.b, 2, new byte[] {4, 5})).isTrue();
        pair.link.runFor(() -> pair.aEvents.messages.size() == 1 && pair.bEvents.messages.size() == 1, 1000 * MS);

        assertThat(pair.bEvents.messages).singleElement().satisfies(m -> {
            assertThat(m.streamId()).isEqualTo(1);
            assertThat(m.ppid()).isEqualTo(53);
            assertThat(m.bytes()).containsExactly(1, 2, 3);
        });
        assertThat(pair.aEvents.messages.get(0).bytes()).containsExactly(4, 5);
        pair.link.advance(1000 * MS);
        assertThat(pair.a.bufferedBytes()).isZero();
        assertThat(pair.b.bufferedBytes()).isZero();
    }

    @Test
    void bothSidesSendingInitAtOnceEstablishOneAssociation() {
        SctpPair pair = new SctpPair();
        pair.a.connect(pair.now());
        pair.b.connect(pair.now());
        assertThat(pair.link.runFor(() -> pair.a.isEstablished() && pair.b.isEstablished(), 5000 * MS)).isTrue();
        assertThat(pair.send(pair.a, 0, new byte[] {7})).isTrue();
        assertThat(pair.send(pair.b, 0, new byte[] {8})).isTrue();
        assertThat(pair.link.runFor(() -> pair.aEvents.messages.size() == 1 && pair.bEvents.messages.size() == 1,
            1000 * MS)).isTrue();
        assertThat(pair.a.counters().wrongTagPackets()).isZero();
        assertThat(pair.b.counters().wrongTagPackets()).isZero();
    }

    @Test
    void orderedMessagesOfManySizesArriveInOrderAcrossLossReorderingAndDuplicates() {
        SctpPair pair = new SctpPair().established();
        Random random = new Random(7);
        pair.link.fate((from, index, packet) -> random.nextInt(10) == 0 ? -1 : random.nextInt(5) == 0 ? 30 * MS : 0);
        pair.link.duplicateAll(true);
        byte[][] sent = new byte[200][];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = new byte[1 + random.nextInt(5000)];
            random.nextBytes(sent[i]);
            assertThat(pair.send(pair.a, 3, sent[i])).isTrue();
        }
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == sent.length, 120_000 * MS)).isTrue();
        for (int i = 0; i < sent.length; i++) {
            assertThat(pair.bEvents.messages.get(i).bytes()).as("message " + i).isEqualTo(sent[i]);
        }
        assertThat(pair.b.counters().duplicateTsns()).isPositive();
        assertThat(pair.a.counters().retransmittedChunks()).isPositive();
    }
}
