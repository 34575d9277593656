package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingAgentTest {
    private static final int RTP = io.sfu.core.net.DatagramKind.RTP.ordinal();

    private final ForwardingFixture fixture = new ForwardingFixture();

    /** The publisher's retransmission of packet {@code seq} on its RTX stream: the original number, the payload. */
    private void retransmit(Peer publisher, int rtxSequence, int seq) {
        byte[] original = ForwardingFixture.vp8Payload(false, 900, seq);
        byte[] payload = new byte[original.length + 2];
        payload[0] = (byte) (seq >> 8);
        payload[1] = (byte) seq;
        System.arraycopy(original, 0, payload, 2, original.length);
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_RTX_SSRC, 97, rtxSequence, 3000L * seq, payload);
    }

    @Test
    void aPacketReceivedAgainIsForwardedOnlyTheFirstTime() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 100, 2);
        fixture.sendFrames(publisher, 103, 1);
        assertThat(fixture.rtpTo(subscriber)).hasSize(3);

        // libwebrtc probes its uplink with copies of recent packets on the RTX stream: 101 again is no news (a plain
        // copy of 103 never gets this far: SRTP's replay check refuses it)
        retransmit(publisher, 7, 101);
        fixture.sendFrames(publisher, 103, 1);
        assertThat(fixture.rtpTo(subscriber)).as("neither the retransmitted copy nor the duplicate").hasSize(3);
        // 102 was lost on the way in: its retransmission is forwarded, once
        retransmit(publisher, 8, 102);
        retransmit(publisher, 9, 102);

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(4);
        assertThat(ForwardingFixture.wrap(received.get(3)).sequenceNumber())
            .isEqualTo((ForwardingFixture.wrap(received.get(1)).sequenceNumber() + 1) & 0xFFFF);
        Producer producer = publisher.leg.producers.get(0);
        assertThat(producer.duplicatesDropped()).as("101 and the second 102").isEqualTo(2);
        producer.publishCounters(fixture.nowNs, Router.ACTIVE_LAYER_WINDOW_NS);
        assertThat(producer.spec.counters().dropped()).as("the published track's stats").isEqualTo(2);
    }

    @Test
    void fansOutToEverySubscriberInItsOwnSsrcAndPayloadType() {
        Peer publisher = fixture.publisher();
        List<Peer> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subscribers.add(fixture.subscriber("s" + i, 0x2000 + 16 * i));
        }

        fixture.sendFrames(publisher, 65_500, 60);

        for (int i = 0; i < 3; i++) {
            List<byte[]> received = fixture.rtpTo(subscribers.get(i));
            assertThat(received).hasSize(60);
            int firstSeq = ForwardingFixture.wrap(received.get(0)).sequenceNumber();
            for (int p = 0; p < received.size(); p++) {
                RtpPacket packet = ForwardingFixture.wrap(received.get(p));
                assertThat(packet.ssrc()).isEqualTo(0x2000 + 16 * i);
                assertThat(packet.payloadType()).isEqualTo(100);
                assertThat(packet.sequenceNumber()).isEqualTo((firstSeq + p) & 0xFFFF);
                int inSeq = (65_500 + p) & 0xFFFF;
                assertThat(ForwardingFixture.payloadOf(received.get(p)))
                    .isEqualTo(ForwardingFixture.vp8Payload(p == 0, 900, inSeq));
            }
        }
    }

    @Test
    void aSubscriberWhoseDatagramsTheSocketRefusesLosesOnlyItsOwnAndTheyAreCountedOnIt() {
        Peer publisher = fixture.publisher();
        TrackCounters refusedCounters = new TrackCounters();
        Peer refused = fixture.subscriber("refused", 0x3000, refusedCounters);
        Peer served = fixture.subscriber("served", 0x2000);
        fixture.refusing.add(refused.address);

        fixture.sendFrames(publisher, 1, 40);
        fixture.nowNs += 1_100_000_000L;
        fixture.run();

        assertThat(fixture.rtpTo(served)).hasSize(40);
        assertThat(fixture.rtpTo(refused)).isEmpty();
        assertThat(refused.leg.sendFailures()).isGreaterThanOrEqualTo(40);
        assertThat(served.leg.sendFailures()).isZero();
        assertThat(refusedCounters.dropped()).isEqualTo(40);
        assertThat(refusedCounters.packets()).isZero();
    }

    @Test
    void jitterIsMeasuredFromEachDatagramsArrivalNotFromTheDutyCycleThatHandlesABatch() {
        Peer publisher = fixture.publisher();
        long first = fixture.nowNs + 1_000_000L;
        // sent 20 ms apart (1,800 ticks at 90 kHz) and received 20 ms apart: no jitter, though one cycle takes all
        for (int i = 0; i < 4; i++) {
            fixture.queueRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 1 + i, 90_000 + 1_800L * i,
                ForwardingFixture.vp8Payload(i == 0, 200, 1 + i), first + 20_000_000L * i);
        }
        fixture.nowNs = first + 65_000_000L;
        fixture.run();

        ProducerStream stream = publisher.leg.streamBySsrc(ForwardingFixture.PUBLISHER_SSRC);
        assertThat(stream.statistics.packetsReceived()).isGreaterThanOrEqualTo(3);
        assertThat(stream.statistics.jitter()).isZero();
    }

    @Test
    void forgedAndUnknownPacketsAreDroppedAndCounted() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 1);
        fixture.sent.clear();

        // an SSRC nobody announced
        fixture.receiveRtp(publisher, 0x9999, 96, 5, 5, ForwardingFixture.vp8Payload(true, 100, 5));
        assertThat(publisher.leg.unknownSsrcPackets()).isEqualTo(1);
        // a tampered packet
        var slot = fixture.pool.acquire();
        int length = new io.sfu.core.rtp.RtpPacketWriter().wrap(slot.buffer(), 0, 2048).payloadType(96)
            .sequenceNumber(2).timestamp(2).ssrc(ForwardingFixture.PUBLISHER_SSRC).payload(new byte[100]).length();
        int protectedLength = publisher.peerSend.protectRtp(slot.buffer(), 0, length);
        slot.buffer().putByte(20, (byte) (slot.buffer().getByte(20) ^ 1));
        slot.data(0, protectedLength);
        fixture.deliver(publisher, slot, io.sfu.core.net.DatagramKind.RTP);

        assertThat(publisher.transport.srtpFailures()).isEqualTo(1);
        assertThat(fixture.rtpTo(subscriber)).isEmpty();
        assertThat(fixture.pool.inUse()).isZero();
    }

    @Test
    void fanOutToTenSubscribersAllocatesNothingPerPacket() {
        Peer publisher = fixture.publisher();
        for (int i = 0; i < 10; i++) {
            fixture.subscriber("s" + i, 0x2000 + 16 * i);
        }
        fixture.capture[0] = false;
        byte[] payload = ForwardingFixture.vp8Payload(false, 1100, 1);
        var writer = new io.sfu.core.rtp.RtpPacketWriter();
        int[] seq = {0};
        fixture.sendFrames(publisher, 0, 1);

        double bytes = Allocations.bytesPerRun(() -> {
            int s = ++seq[0] & 0xFFFF;
            var slot = fixture.pool.acquire();
            int length = writer.wrap(slot.buffer(), 0, 2048).payloadType(96).sequenceNumber(s)
                .timestamp(3000L * seq[0]).ssrc(ForwardingFixture.PUBLISHER_SSRC).payload(payload).length();
            slot.data(0, publisher.peerSend.protectRtp(slot.buffer(), 0, length)).kind(RTP);
            publisher.leg.onMedia(slot);
            fixture.agent.doWork();
        });

        assertThat(bytes).isLessThan(1.0);
        assertThat(fixture.pool.inUse()).isZero();
    }

    @Test
    void aLongLivedStreamKeepsFlowingPastTheSequenceNumberHalfway() {
        Peer publisher = fixture.publisher();
        fixture.subscriber("s", 0x2000);
        fixture.capture[0] = false;
        byte[] delta = ForwardingFixture.vp8Payload(false, 200, 1);
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 0, 0, ForwardingFixture.vp8Payload(true, 200, 0));
        long before = fixture.sentCount;

        int packets = 70_000;
        for (int i = 1; i <= packets; i++) {
            fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, i & 0xFFFF, 3000L * i, delta);
        }

        long rtpSent = fixture.sentCount - before;
        assertThat(rtpSent).as("RTP and the odd report sent for %d packets in", packets)
            .isGreaterThanOrEqualTo(packets);
    }

    @Test
    void mediaBeforeTheKeysIsDroppedAndCountedOnItsTransport() {
        Peer publisher = fixture.unconnectedPeer("publisher");
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC,
            0));
        fixture.run();

        fixture.sendFrames(publisher, 1, 3);

        assertThat(publisher.transport.droppedBeforeKeys()).isEqualTo(3);
        assertThat(publisher.leg.rtpPackets()).isZero();
        assertThat(fixture.pool.inUse()).isZero();
    }

    @Test
    void thePathIceSelectedReachesTheAgentAsACommandAndKeysMakeTheTransportReady() {
        Peer peer = fixture.unconnectedPeer("peer");
        assertThat(peer.leg.onPathSelected(peer.address)).isTrue();
        assertThat(peer.transport.remote()).as("not before the agent ran the command").isNull();
        fixture.run();
        assertThat(peer.transport.remote()).isEqualTo(peer.address);
        assertThat(peer.transport.srtpReady()).isFalse();

        fixture.connect(peer);

        assertThat(peer.transport.srtpReady()).isTrue();
        assertThat(peer.transport.canSend()).isTrue();
    }

    @Test
    void aSlotTheReceiveThreadDidNotClassifyAsMediaIsNotProcessed() {
        Peer publisher = fixture.publisher();
        var slot = fixture.pool.acquire();
        int length = new io.sfu.core.rtp.RtpPacketWriter().wrap(slot.buffer(), 0, 2048).payloadType(96)
            .sequenceNumber(2).ssrc(ForwardingFixture.PUBLISHER_SSRC).payload(new byte[100]).length();
        slot.data(0, publisher.peerSend.protectRtp(slot.buffer(), 0, length));

        fixture.deliver(publisher, slot, io.sfu.core.net.DatagramKind.DTLS);

        assertThat(fixture.agent.packetsProcessed()).isZero();
        assertThat(fixture.pool.inUse()).isZero();
    }

    @Test
    void anAgentThatStopsDrainingHoldsNoMoreSlotsThanItsQueueTakes() {
        io.sfu.core.buffer.PacketPool pool = new io.sfu.core.buffer.PacketPool(16);
        ForwardingAgent stuck = new ForwardingAgent("stuck", fixture.output, () -> 0L, () -> 0L, null, 4,
            ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS);
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            io.sfu.core.buffer.PacketSlot slot = pool.acquire();
            if (!stuck.enqueue(slot)) {
                slot.release();
                refused++;
            }
        }

        assertThat(pool.inUse()).as("slots the stuck agent holds").isEqualTo(4);
        assertThat(refused).isEqualTo(2);
        assertThat(stuck.inboundDrops()).isEqualTo(2);
        assertThat(pool.acquire()).as("the rest of the pool serves everyone else").isNotNull();
    }
}
