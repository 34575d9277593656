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

    @Test
    void theInitAnnouncesOurTagWindowStreamsAndTheForwardTsnAndReconfigExtensions() {
        SctpPair pair = new SctpPair();
        pair.a.connect(pair.now());
        byte[] init = pair.link.sent(0).get(0);
        assertThat(SctpPackets.tag(init)).isZero();
        assertThat(SctpPackets.chunks(init)).containsExactly(12);
        assertThat(init[12]).isEqualTo((byte) SctpPacket.INIT);
        assertThat(SctpBytes.u16(init, 14)).isEqualTo(4 + InitChunk.LENGTH);
        int at = 16;
        assertThat(SctpBytes.i32(init, at)).isNotZero();
        assertThat(SctpBytes.u32(init, at + 4)).isEqualTo(1L << 20);
        assertThat(SctpBytes.u16(init, at + 8)).isEqualTo(1024);
        assertThat(SctpBytes.u16(init, at + 10)).isEqualTo(1024);
        // RFC 5061 §4.2.7 Supported Extensions: FORWARD TSN (192) and RE-CONFIG (130), padded
        assertThat(SctpBytes.u16(init, at + 16)).isEqualTo(0x8008);
        assertThat(SctpBytes.u16(init, at + 18)).isEqualTo(6);
        assertThat(init[at + 20] & 0xFF).isEqualTo(192);
        assertThat(init[at + 21] & 0xFF).isEqualTo(130);
        // RFC 3758 §3.1 Forward-TSN-Supported
        assertThat(SctpBytes.u16(init, at + 24)).isEqualTo(0xC000);
        assertThat(SctpBytes.u16(init, at + 26)).isEqualTo(4);

        pair.link.runFor(() -> pair.link.sent(1).size() == 1, 100 * MS);
        byte[] initAck = pair.link.sent(1).get(0);
        assertThat(SctpPackets.tag(initAck)).isEqualTo(SctpBytes.i32(init, at));
        assertThat(initAck[12]).isEqualTo((byte) SctpPacket.INIT_ACK);
        // the cookie: a parameter of type 7 after our parameters
        assertThat(SctpBytes.u16(initAck, 16 + InitChunk.LENGTH)).isEqualTo(7);
        assertThat(SctpBytes.u16(initAck, 18 + InitChunk.LENGTH)).isEqualTo(4 + StateCookie.LENGTH);
    }

    @Test
    void aTamperedCookieIsRefusedAndCounted() {
        SctpPair pair = new SctpPair();
        pair.link.fate((from, index, packet) -> {
            int echo = SctpPackets.find(packet, SctpPacket.COOKIE_ECHO);
            if (echo >= 0) {
                packet[echo + 4 + 20] ^= 1;
                new SctpPacket().sign(packet, 0, packet.length);
            }
            return 0;
        });
        pair.a.connect(pair.now());
        pair.link.runFor(() -> pair.b.counters().badCookies() >= 3, 30_000 * MS);
        assertThat(pair.b.counters().badCookies()).isGreaterThanOrEqualTo(3);
        assertThat(pair.b.isEstablished()).isFalse();
        assertThat(pair.a.isEstablished()).isFalse();
    }

    @Test
    void aCookieOlderThanItsLifetimeIsRefusedAsStale() {
        SctpPair pair = new SctpPair();
        pair.link.fate((from, index, packet) ->
            SctpPackets.find(packet, SctpPacket.COOKIE_ECHO) >= 0 ? 61_000 * MS : 0);
        pair.a.connect(pair.now());
        pair.link.runFor(() -> pair.b.counters().staleCookies() > 0, 120_000 * MS);
        assertThat(pair.b.counters().staleCookies()).isPositive();
        assertThat(pair.b.isEstablished()).isFalse();
    }

    @Test
    void aLostInitIsSentAgainAndAnUnansweredOneEndsTheAttempt() {
        SctpPair pair = new SctpPair();
        pair.link.fate((from, index, packet) -> from == 0 && index == 0 ? -1 : 0);
        pair.a.connect(pair.now());
        assertThat(pair.link.runFor(() -> pair.a.isEstablished() && pair.b.isEstablished(), 10_000 * MS)).isTrue();

        SctpPair silent = new SctpPair();
        silent.link.fate((from, index, packet) -> -1);
        silent.a.connect(silent.now());
        assertThat(silent.link.runFor(() -> silent.aEvents.closedReason != null, 600_000 * MS)).isTrue();
        assertThat(silent.aEvents.closedReason).isEqualTo("INIT not answered");
        assertThat(silent.link.sent(0)).hasSize(1 + SctpConfig.defaults().maxInitRetransmissions());
    }

    @Test
    void unorderedMessagesAreDeliveredAsTheyArriveAcrossLoss() {
        SctpPair pair = new SctpPair().established();
        // the first transmission of message 0 is lost: the others overtake its retransmission
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.dataMarks(packet).contains(0)
            && pair.a.counters().retransmittedChunks() == 0 ? -1 : 0);
        for (int i = 0; i < 5; i++) {
            assertThat(pair.a.send(4, 53, true, new byte[] {(byte) i}, 0, 1, -1, -1, pair.now())).isTrue();
        }
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 5, 10_000 * MS)).isTrue();
        assertThat(pair.bEvents.messages).allMatch(RecordingListener.Message::unordered);
        assertThat(pair.bEvents.messages.stream().map(m -> (int) m.bytes()[0]))
            .containsExactlyInAnyOrder(0, 1, 2, 3, 4)
            .last().isEqualTo(0);
    }

    @Test
    void orderedMessagesWaitForALostPredecessor() {
        SctpPair pair = new SctpPair().established();
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.dataMarks(packet).contains(0)
            && pair.a.counters().retransmittedChunks() == 0 ? -1 : 0);
        for (int i = 0; i < 5; i++) {
            assertThat(pair.send(pair.a, 4, new byte[] {(byte) i})).isTrue();
        }
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 5, 10_000 * MS)).isTrue();
        assertThat(pair.bEvents.messages.stream().map(m -> (int) m.bytes()[0])).containsExactly(0, 1, 2, 3, 4);
        assertThat(pair.a.counters().retransmittedChunks()).isPositive();
    }

    @Test
    void aPeerThatNeverAcknowledgesIsRetriedWithBackoffThenTheAssociationFails() {
        SctpPair pair = new SctpPair().established();
        pair.link.fate((from, index, packet) -> from == 1 ? -1 : 0);
        long start = pair.now();
        assertThat(pair.send(pair.a, 1, new byte[100])).isTrue();
        assertThat(pair.link.runFor(() -> pair.aEvents.closedReason != null, 3_600_000 * MS)).isTrue();
        int maxRetrans = SctpConfig.defaults().maxRetransmissions();
        assertThat(pair.aEvents.closedReason).contains("after " + maxRetrans + " retransmissions");
        assertThat(pair.a.counters().t3Expirations()).isEqualTo(maxRetrans + 1);
        assertThat(pair.a.counters().retransmittedChunks()).isEqualTo(maxRetrans);
        // backoff: 1 s, 2, 4, 8, then RTO.Max (10 s) for the rest
        assertThat(pair.now() - start).isGreaterThanOrEqualTo((1 + 2 + 4 + 8 + 10L * (maxRetrans - 3)) * 1000 * MS);
        assertThat(pair.a.state()).isEqualTo(SctpAssociation.State.CLOSED);
        // the last word is an ABORT the peer reads (through the link, were it up)
        byte[] last = pair.link.sent(0).get(pair.link.sent(0).size() - 1);
        assertThat(SctpPackets.find(last, SctpPacket.ABORT)).isPositive();
    }

    @Test
    void anIdleAssociationSendsHeartbeatsAndTheirAcksMeasureTheRoundTrip() {
        SctpPair pair = new SctpPair(SctpConfig.defaults(), SctpConfig.defaults(), 50 * MS).established();
        pair.link.advance(100_000 * MS);
        // every 30 s + RTO on each side
        for (int side = 0; side < 2; side++) {
            assertThat(pair.link.sent(side).stream().filter(p -> SctpPackets.find(p, SctpPacket.HEARTBEAT) > 0))
                .hasSizeBetween(2, 3);
            assertThat(pair.link.sent(side).stream().filter(p -> SctpPackets.find(p, SctpPacket.HEARTBEAT_ACK) > 0))
                .hasSizeBetween(2, 3);
        }
        // RTO from the 100 ms round trips: SRTT + 4 RTTVAR, floored at RTO.Min
        assertThat(pair.a.rtoNanos()).isBetween(200 * MS, 400 * MS);
        assertThat(pair.a.isEstablished()).isTrue();
    }

    @Test
    void aGracefulShutdownDeliversWhatWasQueuedThenClosesBothSides() {
        SctpPair pair = new SctpPair().established();
        pair.send(pair.a, 0, new byte[3000]);
        pair.a.shutdown(pair.now());
        assertThat(pair.link.runFor(() -> pair.aEvents.closedReason != null && pair.bEvents.closedReason != null,
            10_000 * MS)).isTrue();
        assertThat(pair.bEvents.messages).hasSize(1);
        assertThat(pair.aEvents.closedReason).isEqualTo("shut down");
        assertThat(pair.bEvents.closedReason).isEqualTo("shut down");
        assertThat(pair.send(pair.a, 0, new byte[1])).isFalse();
    }

    @Test
    void anAbortEndsThePeerToo() {
        SctpPair pair = new SctpPair().established();
        pair.a.abort("bye", pair.now());
        assertThat(pair.link.runFor(() -> pair.bEvents.closedReason != null, 1000 * MS)).isTrue();
        assertThat(pair.aEvents.closedReason).isEqualTo("bye");
        assertThat(pair.bEvents.closedReason).startsWith("aborted by the peer");
    }

    @Test
    void aBulkTransferGrowsTheCongestionWindowFromItsInitialValue() {
        SctpPair pair = new SctpPair().established();
        long initial = pair.a.congestionWindowBytes();
        for (int i = 0; i < 100; i++) {
            pair.send(pair.a, 0, new byte[10_000]);
        }
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 100, 60_000 * MS)).isTrue();
        assertThat(pair.a.congestionWindowBytes()).isGreaterThan(initial * 4);
    }

    @Test
    void aStreamResetWaitsForTheDataSentBeforeItAndRestartsTheSequenceNumbers() {
        SctpPair pair = new SctpPair().established();
        // the first transmission of the data is lost: the peer answers the reset "in progress" until it arrives
        pair.link.fate((from, index, packet) -> from == 0 && SctpPackets.dataMarks(packet).contains(1)
            && pair.a.counters().retransmittedChunks() == 0 ? -1 : 0);
        pair.send(pair.a, 6, new byte[] {1});
        pair.send(pair.a, 6, new byte[] {2});
        pair.a.resetStream(6, pair.now());
        assertThat(pair.link.runFor(() -> !pair.aEvents.outgoingResets.isEmpty(), 10_000 * MS)).isTrue();
        assertThat(pair.bEvents.incomingResets).containsExactly(6);
        assertThat(pair.bEvents.messages.stream().map(m -> (int) m.bytes()[0])).containsExactly(1, 2);
        assertThat(pair.b.counters().streamResetsRequested()).isGreaterThan(1);
        // RFC 6525 §4.1: Outgoing SSN Reset Request, sequence number starting at our initial TSN, the last TSN
        // assigned (the two messages), stream 6; §4.4: the responses, "in progress" (6) then "performed" (1)
        int firstTsn = pair.link.sent(0).stream().map(SctpPackets::firstTsn).filter(t -> t != null).findFirst()
            .orElseThrow();
        byte[] request = pair.link.sent(0).stream().filter(p -> SctpPackets.find(p, SctpPacket.RE_CONFIG) > 0)
            .findFirst().orElseThrow();
        int at = SctpPackets.find(request, SctpPacket.RE_CONFIG);
        assertThat(SctpBytes.u16(request, at + 2)).isEqualTo(4 + 18);
        assertThat(SctpBytes.u16(request, at + 4)).isEqualTo(13);
        assertThat(SctpBytes.u16(request, at + 6)).isEqualTo(18);
        assertThat(SctpBytes.i32(request, at + 8)).isEqualTo(firstTsn);
        assertThat(SctpBytes.i32(request, at + 16)).isEqualTo(firstTsn + 1);
        assertThat(SctpBytes.u16(request, at + 20)).isEqualTo(6);
        java.util.List<Integer> results = new java.util.ArrayList<>();
        for (byte[] p : pair.link.sent(1)) {
            int r = SctpPackets.find(p, SctpPacket.RE_CONFIG);
            if (r > 0) {
                assertThat(SctpBytes.u16(p, r + 4)).isEqualTo(16);
                assertThat(SctpBytes.u16(p, r + 6)).isEqualTo(12);
                assertThat(SctpBytes.i32(p, r + 8)).isEqualTo(firstTsn);
                results.add(SctpBytes.i32(p, r + 12));
            }
        }
        assertThat(results).startsWith(6).endsWith(1);
        // after the reset the stream starts at SSN 0 again and the peer takes it
        pair.send(pair.a, 6, new byte[] {3});
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 3, 1000 * MS)).isTrue();
    }

    @Test
    void aSackWaitsForASecondPacketOrTheDelayedAckTimer() {
        SctpPair pair = new SctpPair().established();
        int before = pair.link.sent(1).size();
        pair.send(pair.a, 0, new byte[] {1});
        pair.link.runFor(() -> pair.bEvents.messages.size() == 1, 1000 * MS);
        long delivered = pair.now();
        assertThat(pair.link.sent(1)).hasSize(before);
        assertThat(pair.link.runFor(() -> pair.link.sent(1).size() > before, 1000 * MS)).isTrue();
        assertThat(pair.now() - delivered).isEqualTo(200 * MS);
        // two packets: the SACK goes at once
        pair.link.advance(1000 * MS);
        int sacks = pair.link.sent(1).size();
        pair.send(pair.a, 0, new byte[] {2});
        pair.send(pair.a, 0, new byte[] {3});
        long sent = pair.now();
        pair.link.runFor(() -> pair.link.sent(1).size() > sacks, 1000 * MS);
        assertThat(pair.now() - sent).isLessThan(20 * MS + 1);
    }

    @Test
    void theCumulativeAckOfAShutdownAcknowledgesDataWhoseSackWasLost() {
        SctpPair pair = new SctpPair().established();
        pair.link.fate((from, index, packet) -> from == 1 && SctpPackets.find(packet, SctpPacket.SACK) > 0 ? -1 : 0);
        pair.send(pair.a, 0, new byte[] {1});
        assertThat(pair.link.runFor(() -> pair.bEvents.messages.size() == 1, 100 * MS)).isTrue();
        pair.b.shutdown(pair.now());
        assertThat(pair.link.runFor(() -> pair.aEvents.closedReason != null && pair.bEvents.closedReason != null,
            5000 * MS)).isTrue();
        assertThat(pair.a.counters().retransmittedChunks()).isZero();
        assertThat(pair.aEvents.closedReason).isEqualTo("shut down");
    }
}
