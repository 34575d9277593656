package io.sfu.core.sctp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.sfu.core.sctp.SctpPair.MS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both directions at once over a link that loses, reorders and duplicates packets, with reliable ordered, reliable
 * unordered and partially reliable streams mixed: every reliable message arrives exactly once and intact, ordered
 * streams in order, partially reliable ones at most once and in order; nothing stays buffered.
 */
class SctpLossyLinkTest {
    private static final int RELIABLE_ORDERED = 0;
    private static final int RELIABLE_UNORDERED = 1;
    private static final int NO_RETRANSMITS = 2;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void everyReliableMessageArrivesOnceAndInOrderWhateverTheLinkDoes(long seed) {
        SctpPair pair = new SctpPair().established();
        Random random = new Random(seed);
        pair.link.fate((from, index, packet) -> {
            int roll = random.nextInt(100);
            return roll < 8 ? -1 : roll < 20 ? random.nextInt(50) * MS : 0;
        });
        pair.link.duplicateAll(seed % 2 == 0);
        Map<Integer, List<byte[]>> sentByA = new HashMap<>();
        Map<Integer, List<byte[]>> sentByB = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            send(pair, pair.a, random, sentByA, i);
            send(pair, pair.b, random, sentByB, i);
            if (i % 20 == 0) {
                pair.link.advance(random.nextInt(100) * MS);
            }
        }
        assertThat(pair.link.runFor(() -> pair.a.bufferedBytes() == 0 && pair.b.bufferedBytes() == 0,
            600_000 * MS)).isTrue();
        pair.link.advance(1000 * MS);
        check(sentByA, pair.bEvents);
        check(sentByB, pair.aEvents);
        assertThat(pair.a.isEstablished() && pair.b.isEstablished()).isTrue();
        assertThat(pair.a.receiveBufferedBytes()).isZero();
        assertThat(pair.b.receiveBufferedBytes()).isZero();
    }

    private static void send(SctpPair pair, SctpAssociation from, Random random, Map<Integer, List<byte[]>> sent,
                             int index) {
        int stream = random.nextInt(3);
        int size = random.nextInt(10) == 0 ? 1 + random.nextInt(20_000) : 1 + random.nextInt(1500);
        byte[] message = new byte[size];
        random.nextBytes(message);
        message[0] = (byte) stream;
        if (size > 4) {
            message[1] = (byte) (index >>> 8);
            message[2] = (byte) index;
        }
        boolean unordered = stream == RELIABLE_UNORDERED;
        int maxRetransmits = stream == NO_RETRANSMITS ? 0 : -1;
        if (from.send(stream, 53, unordered, message, 0, size, maxRetransmits, -1, pair.now())) {
            sent.computeIfAbsent(stream, s -> new ArrayList<>()).add(message);
        }
    }

    private static void check(Map<Integer, List<byte[]>> sent, RecordingListener received) {
        Map<Integer, List<byte[]>> got = new HashMap<>();
        for (RecordingListener.Message m : received.messages) {
            got.computeIfAbsent(m.streamId(), s -> new ArrayList<>()).add(m.bytes());
        }
        List<byte[]> ordered = got.getOrDefault(RELIABLE_ORDERED, List.of());
        assertThat(ordered).as("reliable ordered").containsExactlyElementsOf(sent.get(RELIABLE_ORDERED));
        List<byte[]> unordered = got.getOrDefault(RELIABLE_UNORDERED, List.of());
        assertThat(unordered).as("reliable unordered")
            .containsExactlyInAnyOrderElementsOf(sent.get(RELIABLE_UNORDERED));
        // partially reliable: a subsequence of what was sent, in order
        List<byte[]> partial = got.getOrDefault(NO_RETRANSMITS, List.of());
        List<byte[]> offered = sent.getOrDefault(NO_RETRANSMITS, List.of());
        int at = 0;
        for (byte[] message : partial) {
            while (at < offered.size() && offered.get(at) != message
                && !java.util.Arrays.equals(offered.get(at), message)) {
                at++;
            }
            assertThat(at).as("a partially reliable message out of order or unknown").isLessThan(offered.size());
            at++;
        }
    }
}
