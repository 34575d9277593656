package io.sfu.core.sctp;

import org.junit.jupiter.api.Test;

import static io.sfu.core.sctp.SctpPair.MS;
import static org.assertj.core.api.Assertions.assertThat;

/** Everything a peer controls has a bound: one over each is dropped (or aborts) and is counted. */
class SctpBoundsTest {
    private static final long MS_ = MS;

    /** An established pair, with b's tag and the TSN a's next chunk would take, read off a's packets. */
    private static final class Spoofed {
        final SctpPair pair;
        final int bTag;
        final int aTag;
        int nextTsn;

        Spoofed(SctpConfig bConfig) {
            pair = new SctpPair(SctpConfig.defaults(), bConfig, 10 * MS_).established();
            pair.send(pair.a, 0, new byte[] {1});
            pair.link.runFor(() -> pair.bEvents.messages.size() == 1, 1000 * MS_);
            pair.link.advance(1000 * MS_);
            byte[] data = pair.link.sent(0).stream().filter(p -> SctpPackets.firstTsn(p) != null).findFirst()
                .orElseThrow();
            bTag = SctpPackets.tag(data);
            aTag = SctpPackets.tag(pair.link.sent(1).get(pair.link.sent(1).size() - 1));
            nextTsn = SctpPackets.firstTsn(data) + 1;
            pair.bEvents.messages.clear();
        }

        void toB(byte[] packet) {
            pair.b.receivePacket(packet, 0, packet.length, pair.now());
        }

        void toA(byte[] packet) {
            pair.a.receivePacket(packet, 0, packet.length, pair.now());
        }

        byte[] data(int tsn, int stream, int ssn, int flags, byte[] payload) {
            return SctpPackets.chunk(bTag, SctpPacket.DATA, flags,
                SctpPackets.dataValue(tsn, stream, ssn, 53, payload));
        }
    }

    @Test
    void dataOnAStreamBeyondTheNegotiatedCountIsAcknowledgedAndDropped() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int whole = SctpPackets.dataFlags(true, true, true);
        s.toB(s.data(s.nextTsn++, 1023, 0, whole, new byte[] {5}));
        s.toB(s.data(s.nextTsn++, 1024, 0, whole, new byte[] {6}));
        assertThat(s.pair.bEvents.messages).hasSize(1);
        assertThat(s.pair.b.counters().droppedChunksInvalidStream()).isEqualTo(1);
    }

    @Test
    void aChunkBeyondTheTsnWindowIsDroppedAndTheLastOneInsideIsTaken() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int whole = SctpPackets.dataFlags(true, true, true);
        int cum = s.nextTsn - 1;
        s.toB(s.data(cum + SctpReceiver.WINDOW, 0, 0, whole, new byte[] {1}));
        s.toB(s.data(cum + SctpReceiver.WINDOW + 1, 0, 0, whole, new byte[] {2}));
        assertThat(s.pair.bEvents.messages).hasSize(1);
        assertThat(s.pair.b.counters().droppedChunksOutsideWindow()).isEqualTo(1);
    }

    @Test
    void fragmentsBeyondTheReceiveBufferAreDroppedUntilTheGapIsFilled() {
        SctpConfig small = new SctpConfig(5000, 5000, 16, 1 << 20, 8 * BlockPool.LARGE, 64 << 10,
            1000 * MS_, 200 * MS_, 10_000 * MS_, 10, 8, 60_000 * MS_, 30_000 * MS_, 200 * MS_);
        Spoofed s = new Spoofed(small);
        int first = s.nextTsn;
        byte[] fragment = new byte[1000];
        // fragments 2..9 of a message whose first fragment is missing: only 8 blocks fit
        for (int i = 1; i < 10; i++) {
            s.toB(s.data(first + i, 0, 1, SctpPackets.dataFlags(false, false, i == 9), fragment));
        }
        assertThat(s.pair.b.counters().droppedChunksBufferFull()).isEqualTo(1);
        // the missing first fragment is taken over the bound (it advances the cumulative TSN)
        s.toB(s.data(first, 0, 1, SctpPackets.dataFlags(false, true, false), fragment));
        s.toB(s.data(first + 9, 0, 1, SctpPackets.dataFlags(false, false, true), fragment));
        assertThat(s.pair.bEvents.messages).singleElement()
            .satisfies(m -> assertThat(m.bytes()).hasSize(10_000));
    }

    @Test
    void aMessageLargerThanTheMessageBoundAbortsTheAssociation() {
        SctpConfig small = new SctpConfig(5000, 5000, 16, 1 << 20, 1 << 20, 4000,
            1000 * MS_, 200 * MS_, 10_000 * MS_, 10, 8, 60_000 * MS_, 30_000 * MS_, 200 * MS_);
        Spoofed s = new Spoofed(small);
        byte[] fragment = new byte[1000];
        for (int i = 0; i < 4; i++) {
            s.toB(s.data(s.nextTsn++, 0, 1, SctpPackets.dataFlags(false, i == 0, false), fragment));
        }
        assertThat(s.pair.b.isEnded()).isFalse();
        s.toB(s.data(s.nextTsn++, 0, 1, SctpPackets.dataFlags(false, false, false), new byte[1]));
        assertThat(s.pair.b.counters().oversizedMessages()).isEqualTo(1);
        assertThat(s.pair.bEvents.closedReason).contains("exceeds 4000 bytes");
        assertThat(s.pair.link.runFor(() -> s.pair.aEvents.closedReason != null, 1000 * MS_)).isTrue();
    }

    @Test
    void gapBlocksBeyondTheNumberReadPerSackAreIgnoredAndCounted() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int blocks = SctpSender.MAX_GAP_BLOCKS + 1;
        byte[] sack = new byte[12 + 4 * blocks];
        SctpBytes.put32(sack, 0, s.nextTsn - 1);
        SctpBytes.put32(sack, 4, 1 << 20);
        SctpBytes.put16(sack, 8, blocks);
        for (int b = 0; b < blocks; b++) {
            SctpBytes.put16(sack, 12 + 4 * b, 2 * b + 2);
            SctpBytes.put16(sack, 14 + 4 * b, 2 * b + 2);
        }
        s.toA(SctpPackets.chunk(s.aTag, SctpPacket.SACK, 0, sack));
        assertThat(s.pair.a.counters().ignoredGapBlocks()).isEqualTo(1);
        assertThat(s.pair.a.isEstablished()).isTrue();
    }

    @Test
    void packetsWithAWrongTagOrPortOrTooManyChunksAreDroppedAndCounted() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int whole = SctpPackets.dataFlags(false, true, true);
        byte[] wrongTag = SctpPackets.chunk(s.bTag + 1, SctpPacket.DATA, whole,
            SctpPackets.dataValue(s.nextTsn, 0, 1, 53, new byte[1]));
        s.toB(wrongTag);
        byte[] wrongPort = s.data(s.nextTsn, 0, 1, whole, new byte[1]);
        SctpBytes.put16(wrongPort, 2, 5001);
        new SctpPacket().sign(wrongPort, 0, wrongPort.length);
        s.toB(wrongPort);
        assertThat(s.pair.b.counters().wrongTagPackets()).isEqualTo(2);
        byte[] tooMany = SctpPacketTest.heartbeatAcks(SctpPacket.MAX_CHUNKS + 1);
        SctpBytes.put32(tooMany, 4, s.bTag);
        new SctpPacket().sign(tooMany, 0, tooMany.length);
        s.toB(tooMany);
        byte[] badCrc = s.data(s.nextTsn, 0, 1, whole, new byte[1]);
        badCrc[20]++;
        s.toB(badCrc);
        assertThat(s.pair.b.counters().malformedPackets()).isEqualTo(2);
        assertThat(s.pair.bEvents.messages).isEmpty();
    }

    @Test
    void unknownChunksAreSkippedOrStopThePacketByTheirUpperBitsAndReportedWhenAsked() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int whole = SctpPackets.dataFlags(false, true, true);
        int sentBefore = s.pair.link.sent(1).size();
        // 0xC1: skip and report; the DATA after it is read
        s.toB(SctpPackets.packet(s.bTag, new int[] {0xC1, SctpPacket.DATA}, new int[] {0, whole},
            new byte[][] {new byte[4], SctpPackets.dataValue(s.nextTsn++, 0, 1, 53, new byte[] {1})}));
        // 0x3F: stop, do not report; the DATA after it is not read
        s.toB(SctpPackets.packet(s.bTag, new int[] {0x3F, SctpPacket.DATA}, new int[] {0, whole},
            new byte[][] {new byte[4], SctpPackets.dataValue(s.nextTsn, 0, 2, 53, new byte[] {2})}));
        assertThat(s.pair.bEvents.messages).hasSize(1);
        assertThat(s.pair.b.counters().unknownChunks()).isEqualTo(2);
        assertThat(s.pair.link.sent(1).subList(sentBefore, s.pair.link.sent(1).size()))
            .anyMatch(p -> SctpPackets.find(p, SctpPacket.ERROR) > 0);
    }

    @Test
    void aDuplicateChunkIsCountedAndReportedInTheNextSack() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        byte[] data = s.data(s.nextTsn, 0, 1, SctpPackets.dataFlags(false, true, true), new byte[] {3});
        s.toB(data);
        int sentBefore = s.pair.link.sent(1).size();
        s.toB(data);
        assertThat(s.pair.b.counters().duplicateTsns()).isEqualTo(1);
        byte[] sack = s.pair.link.sent(1).get(sentBefore);
        int at = SctpPackets.find(sack, SctpPacket.SACK) + 4;
        assertThat(SctpBytes.u16(sack, at + 10)).as("duplicate TSNs").isEqualTo(1);
        assertThat(SctpBytes.i32(sack, at + 12)).isEqualTo(s.nextTsn);
        assertThat(s.pair.bEvents.messages).hasSize(1);
    }

    @Test
    void aSackWithGapBlocksReportsWhatArrivedAboveTheCumulativeTsn() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int cum = s.nextTsn - 1;
        int whole = SctpPackets.dataFlags(true, true, true);
        s.toB(s.data(cum + 2, 0, 0, whole, new byte[] {1}));
        s.toB(s.data(cum + 3, 0, 0, whole, new byte[] {1}));
        int sentBefore = s.pair.link.sent(1).size();
        s.toB(s.data(cum + 5, 0, 0, whole, new byte[] {1}));
        byte[] sack = s.pair.link.sent(1).get(sentBefore);
        int at = SctpPackets.find(sack, SctpPacket.SACK) + 4;
        assertThat(SctpBytes.i32(sack, at)).isEqualTo(cum);
        assertThat(SctpBytes.u16(sack, at + 8)).as("gap blocks").isEqualTo(2);
        assertThat(SctpBytes.u16(sack, at + 12)).isEqualTo(2);
        assertThat(SctpBytes.u16(sack, at + 14)).isEqualTo(3);
        assertThat(SctpBytes.u16(sack, at + 16)).isEqualTo(5);
        assertThat(SctpBytes.u16(sack, at + 18)).isEqualTo(5);
    }

    @Test
    void aForwardTsnFarAheadOfAKeptChunkDropsItAndTheStreamGoesOn() {
        Spoofed s = new Spoofed(SctpConfig.defaults());
        int cum = s.nextTsn - 1;
        // an ordered message out of sequence (SSN 5 while 1 is next), kept behind a missing TSN
        s.toB(s.data(cum + 2, 0, 5, SctpPackets.dataFlags(false, true, true), new byte[] {5}));
        byte[] forward = new byte[4];
        int newCum = cum + (1 << 30);
        SctpBytes.put32(forward, 0, newCum);
        s.toB(SctpPackets.chunk(s.bTag, SctpPacket.FORWARD_TSN, 0, forward));
        assertThat(s.pair.b.counters().droppedChunksSkipped()).isEqualTo(1);
        assertThat(s.pair.b.receiveBufferedBytes()).isZero();
        s.toB(s.data(newCum + 1, 0, 1, SctpPackets.dataFlags(false, true, true), new byte[] {6}));
        assertThat(s.pair.bEvents.messages).singleElement().satisfies(m -> assertThat(m.bytes()).containsExactly(6));
    }
}
