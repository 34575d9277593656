package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.testing.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingAgentTest {
    private static final int PUBLISHER_SSRC = 0x1111;
    private static final int PUBLISHER_RTX_SSRC = 0x1112;
    private static final int RTP = io.sfu.core.net.DatagramKind.RTP.ordinal();

    private final ForwardingFixture fixture = new ForwardingFixture();

    private Peer publisher() {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", PUBLISHER_SSRC,
            PUBLISHER_RTX_SSRC));
        fixture.run();
        return publisher;
    }

    private Peer subscriber(String id, int ssrc) {
        Peer subscriber = fixture.peer(id);
        fixture.agent.addConsumer(subscriber.leg, ForwardingFixture.consumerSpec("c-" + id, "v1", ssrc,
            ssrc + 1));
        fixture.run();
        return subscriber;
    }

    private void sendFrames(Peer publisher, int firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            int seq = (firstSeq + i) & 0xFFFF;
            fixture.receiveRtp(publisher, PUBLISHER_SSRC, 96, seq, 3000L * (firstSeq + i),
                ForwardingFixture.vp8Payload(i == 0, 900, seq));
        }
    }

    @Test
    void fansOutToEverySubscriberInItsOwnSsrcAndPayloadType() {
        Peer publisher = publisher();
        List<Peer> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subscribers.add(subscriber("s" + i, 0x2000 + 16 * i));
        }

        sendFrames(publisher, 65_500, 60);

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
    void aLateSubscriberAsksForAKeyframeAndStartsThere() {
        Peer publisher = publisher();
        Peer early = subscriber("early", 0x2000);
        sendFrames(publisher, 100, 10);
        fixture.nowNs += 1_000_000_000L;
        Peer late = subscriber("late", 0x3000);

        boolean pliSent = fixture.rtcpTo(publisher).stream().anyMatch(ForwardingAgentTest::isPli);
        assertThat(pliSent).as("keyframe request toward the publisher").isTrue();

        // deltas first: the late subscriber must not get them, the early one does
        for (int seq = 110; seq < 115; seq++) {
            fixture.receiveRtp(publisher, PUBLISHER_SSRC, 96, seq, 3000L * seq,
                ForwardingFixture.vp8Payload(false, 500, seq));
        }
        assertThat(fixture.rtpTo(late)).isEmpty();
        sendFrames(publisher, 115, 5);

        List<byte[]> lateReceived = fixture.rtpTo(late);
        assertThat(lateReceived).hasSize(5);
        assertThat(ForwardingFixture.payloadOf(lateReceived.get(0)))
            .isEqualTo(ForwardingFixture.vp8Payload(true, 900, 115));
        assertThat(fixture.rtpTo(early)).hasSize(20);
    }

    @Test
    void aSubscribersNackIsAnsweredWithRtxFromTheHistory() {
        Peer publisher = publisher();
        Peer subscriber = subscriber("s", 0x2000);
        sendFrames(publisher, 500, 20);
        List<byte[]> received = fixture.rtpTo(subscriber);
        RtpPacket lostOne = ForwardingFixture.wrap(received.get(7));
        int lostSeq = lostOne.sequenceNumber();
        fixture.sent.clear();

        fixture.receiveRtcp(subscriber, buffer -> GenericNack.write(buffer, 0, 0x77, 0x2000,
            new int[] {lostSeq}, 1));

        List<byte[]> retransmitted = fixture.rtpTo(subscriber);
        assertThat(retransmitted).hasSize(1);
        RtpPacket rtx = ForwardingFixture.wrap(retransmitted.get(0));
        assertThat(rtx.ssrc()).isEqualTo(0x2001);
        assertThat(rtx.payloadType()).isEqualTo(101);
        byte[] payload = ForwardingFixture.payloadOf(retransmitted.get(0));
        assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)).isEqualTo(lostSeq);
        assertThat(java.util.Arrays.copyOfRange(payload, 2, payload.length))
            .isEqualTo(ForwardingFixture.vp8Payload(false, 900, 507));
    }

    @Test
    void aGapFromThePublisherIsNackedAfterTheNextTick() {
        Peer publisher = publisher();
        subscriber("s", 0x2000);
        sendFrames(publisher, 1000, 5);
        fixture.receiveRtp(publisher, PUBLISHER_SSRC, 96, 1007, 3000L * 1007,
            ForwardingFixture.vp8Payload(false, 900, 1007));
        fixture.sent.clear();

        fixture.nowNs += 25_000_000L;
        fixture.run();

        List<Integer> nacked = new ArrayList<>();
        for (byte[] compound : fixture.rtcpTo(publisher)) {
            RtcpCompoundIterator iterator = new RtcpCompoundIterator();
            assertThat(iterator.wrap(new UnsafeBuffer(compound), 0, compound.length)).isTrue();
            while (iterator.next()) {
                GenericNack nack = new GenericNack();
                if (iterator.packetType() == RtcpHeader.TRANSPORT_FEEDBACK && iterator.count() == GenericNack.FORMAT
                    && nack.wrap(iterator.buffer(), iterator.packetOffset(), iterator.packetLength())) {
                    assertThat(nack.mediaSsrc()).isEqualTo(PUBLISHER_SSRC);
                    nack.forEachLost(nacked::add);
                }
            }
        }
        assertThat(nacked).containsExactly(1005, 1006);
    }

    @Test
    void keyframeRequestsFromSubscribersAreThrottledTowardThePublisher() {
        Peer publisher = publisher();
        Peer subscriber = subscriber("s", 0x2000);
        sendFrames(publisher, 1, 3);
        fixture.nowNs += 2_000_000_000L;
        fixture.sent.clear();

        for (int i = 0; i < 5; i++) {
            fixture.receiveRtcp(subscriber, buffer -> PictureLossIndication.write(buffer, 0, 0x77, 0x2000));
        }
        long plis = fixture.rtcpTo(publisher).stream().filter(ForwardingAgentTest::isPli).count();
        assertThat(plis).isEqualTo(1);

        fixture.nowNs += ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS;
        fixture.receiveRtcp(subscriber, buffer -> PictureLossIndication.write(buffer, 0, 0x77, 0x2000));
        assertThat(fixture.rtcpTo(publisher).stream().filter(ForwardingAgentTest::isPli).count()).isEqualTo(2);
    }

    @Test
    void forgedAndUnknownPacketsAreDroppedAndCounted() {
        Peer publisher = publisher();
        Peer subscriber = subscriber("s", 0x2000);
        sendFrames(publisher, 1, 1);
        fixture.sent.clear();

        // an SSRC nobody announced
        fixture.receiveRtp(publisher, 0x9999, 96, 5, 5, ForwardingFixture.vp8Payload(true, 100, 5));
        assertThat(publisher.leg.unknownSsrcPackets()).isEqualTo(1);
        // a tampered packet
        var slot = fixture.pool.acquire();
        int length = new io.sfu.core.rtp.RtpPacketWriter().wrap(slot.buffer(), 0, 2048).payloadType(96)
            .sequenceNumber(2).timestamp(2).ssrc(PUBLISHER_SSRC).payload(new byte[100]).length();
        int protectedLength = publisher.peerSend.protectRtp(slot.buffer(), 0, length);
        slot.buffer().putByte(20, (byte) (slot.buffer().getByte(20) ^ 1));
        slot.data(0, protectedLength);
        fixture.deliver(publisher, slot, io.sfu.core.net.DatagramKind.RTP);

        assertThat(publisher.transport.srtpFailures()).isEqualTo(1);
        assertThat(fixture.rtpTo(subscriber)).isEmpty();
        assertThat(fixture.pool.inUse()).isZero();
    }

    @Test
    void reportsFlowBothWaysEverySecond() {
        Peer publisher = publisher();
        Peer subscriber = subscriber("s", 0x2000);
        sendFrames(publisher, 1, 10);
        fixture.sent.clear();

        fixture.nowNs += 1_100_000_000L;
        fixture.run();

        assertThat(fixture.rtcpTo(publisher)).anyMatch(p -> (p[1] & 0xFF) == RtcpHeader.RECEIVER_REPORT);
        assertThat(fixture.rtcpTo(subscriber)).anyMatch(p -> (p[1] & 0xFF) == RtcpHeader.SENDER_REPORT);
    }

    @Test
    void fanOutToTenSubscribersAllocatesNothingPerPacket() {
        Peer publisher = publisher();
        for (int i = 0; i < 10; i++) {
            subscriber("s" + i, 0x2000 + 16 * i);
        }
        fixture.capture[0] = false;
        byte[] payload = ForwardingFixture.vp8Payload(false, 1100, 1);
        var writer = new io.sfu.core.rtp.RtpPacketWriter();
        int[] seq = {0};
        sendFrames(publisher, 0, 1);

        double bytes = Allocations.bytesPerRun(() -> {
            int s = ++seq[0] & 0xFFFF;
            var slot = fixture.pool.acquire();
            int length = writer.wrap(slot.buffer(), 0, 2048).payloadType(96).sequenceNumber(s)
                .timestamp(3000L * seq[0]).ssrc(PUBLISHER_SSRC).payload(payload).length();
            slot.data(0, publisher.peerSend.protectRtp(slot.buffer(), 0, length)).kind(RTP);
            publisher.leg.onMedia(slot);
            fixture.agent.doWork();
        });

        assertThat(bytes).isLessThan(1.0);
        assertThat(fixture.pool.inUse()).isZero();
    }

    @Test
    void theLoudestVoiceBecomesDominantAndAnEquallyLoudOneDoesNotTakeOver() {
        Peer alice = fixture.peer("alice");
        Peer bob = fixture.peer("bob");
        fixture.agent.addProducer(alice.leg, ForwardingFixture.audioSpec("a", "alice", 0xA));
        fixture.agent.addProducer(bob.leg, ForwardingFixture.audioSpec("b", "bob", 0xB));
        fixture.agent.extensionIds(alice.leg, new ReceiveExtensionIds(0, 0, 0, 0, 1));
        fixture.agent.extensionIds(bob.leg, new ReceiveExtensionIds(0, 0, 0, 0, 1));
        fixture.run();
        int seq = 0;

        // alice speaks at -30 dBov, bob is silent
        for (int i = 0; i < 25; i++, seq++) {
            fixture.receiveAudio(alice, 0xA, seq, 1, 30);
            fixture.receiveAudio(bob, 0xB, seq, 1, 127);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
        assertThat(fixture.dominantSpeakers).containsExactly("room:alice");

        // bob as loud as alice: no change
        for (int i = 0; i < 25; i++, seq++) {
            fixture.receiveAudio(alice, 0xA, seq, 1, 30);
            fixture.receiveAudio(bob, 0xB, seq, 1, 29);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
        assertThat(fixture.dominantSpeakers).containsExactly("room:alice");

        // alice falls silent, bob speaks: bob takes over
        for (int i = 0; i < 25; i++, seq++) {
            fixture.receiveAudio(alice, 0xA, seq, 1, 127);
            fixture.receiveAudio(bob, 0xB, seq, 1, 29);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
        assertThat(fixture.dominantSpeakers).containsExactly("room:alice", "room:bob");
    }

    @Test
    void aLongLivedStreamKeepsFlowingPastTheSequenceNumberHalfway() {
        Peer publisher = publisher();
        subscriber("s", 0x2000);
        fixture.capture[0] = false;
        byte[] delta = ForwardingFixture.vp8Payload(false, 200, 1);
        fixture.receiveRtp(publisher, PUBLISHER_SSRC, 96, 0, 0, ForwardingFixture.vp8Payload(true, 200, 0));
        long before = fixture.sentCount;

        int packets = 70_000;
        for (int i = 1; i <= packets; i++) {
            fixture.receiveRtp(publisher, PUBLISHER_SSRC, 96, i & 0xFFFF, 3000L * i, delta);
        }

        long rtpSent = fixture.sentCount - before;
        assertThat(rtpSent).as("RTP and the odd report sent for %d packets in", packets)
            .isGreaterThanOrEqualTo(packets);
    }

    @Test
    void aRenegotiatedTrackKeepsItsSubscribers() {
        Peer publisher = publisher();
        Peer subscriber = subscriber("s", 0x2000);
        sendFrames(publisher, 1, 5);

        // the publisher renegotiates: same track, now announcing another SSRC
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", 0x3333, 0x3334));
        fixture.run();
        for (int i = 0; i < 5; i++) {
            fixture.receiveRtp(publisher, 0x3333, 96, 100 + i, 3000L * (100 + i),
                ForwardingFixture.vp8Payload(i == 0, 700, 100 + i));
        }

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(10);
        RtpPacket last = ForwardingFixture.wrap(received.get(9));
        assertThat(last.ssrc()).isEqualTo(0x2000);
        // the subscriber's sequence space continues across the replacement
        int firstSeq = ForwardingFixture.wrap(received.get(0)).sequenceNumber();
        for (int i = 0; i < received.size(); i++) {
            assertThat(ForwardingFixture.wrap(received.get(i)).sequenceNumber()).isEqualTo((firstSeq + i) & 0xFFFF);
        }
        long beforeTs = ForwardingFixture.wrap(received.get(4)).timestamp();
        long afterTs = ForwardingFixture.wrap(received.get(5)).timestamp();
        assertThat(afterTs - beforeTs).as("timestamp moves forward, not back").isPositive();
        assertThat(ForwardingFixture.payloadOf(received.get(9))).isEqualTo(ForwardingFixture.vp8Payload(false, 700,
            104));
    }

    private static boolean isPli(byte[] compound) {
        RtcpCompoundIterator iterator = new RtcpCompoundIterator();
        if (!iterator.wrap(new UnsafeBuffer(compound), 0, compound.length)) {
            return false;
        }
        while (iterator.next()) {
            if (iterator.packetType() == RtcpHeader.PAYLOAD_FEEDBACK && iterator.count() == 1) {
                return true;
            }
        }
        return false;
    }
}
