package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A room on its agent: tracks added, replaced and removed with their subscribers. */
class RouterTest {
    private final ForwardingFixture fixture = new ForwardingFixture();

    @Test
    void anUnmutedTrackResumesAtAKeyframeNumberedOnWithoutAGapAndResendsNothingOfTheMutedTime() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 10);
        List<byte[]> before = fixture.rtpTo(subscriber);
        int lastBefore = ForwardingFixture.wrap(before.get(before.size() - 1)).sequenceNumber();
        long lastTimestampBefore = ForwardingFixture.wrap(before.get(before.size() - 1)).timestamp();

        fixture.agent.setProducerMuted(publisher.leg, "v1", true);
        fixture.run();
        fixture.sendFrames(publisher, 11, 20);
        assertThat(fixture.rtpTo(subscriber)).as("nothing forwarded while muted").hasSize(10);
        fixture.sent.clear();
        fixture.nowNs += 2_000_000_000L;

        fixture.agent.setProducerMuted(publisher.leg, "v1", false);
        fixture.run();
        assertThat(fixture.rtcpTo(publisher)).as("a keyframe asked for at once").anyMatch(ForwardingFixture::isPli);
        // the subscriber asks for the next numbers before anything resumed: nothing of the muted time is resent
        fixture.receiveRtcp(subscriber, buffer -> io.sfu.core.rtcp.GenericNack.write(buffer, 0, 0x77, 0x2000,
            new int[] {(lastBefore + 1) & 0xFFFF, (lastBefore + 2) & 0xFFFF, (lastBefore + 3) & 0xFFFF}, 3));
        // a delta frame is no place to start; the keyframe after it is
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 31, 3000L * 31,
            ForwardingFixture.vp8Payload(false, 900, 31));
        fixture.sendFrames(publisher, 32, 5);

        List<byte[]> after = fixture.rtpTo(subscriber);
        assertThat(after).hasSize(5);
        assertThat(ForwardingFixture.payloadOf(after.get(0))).isEqualTo(ForwardingFixture.vp8Payload(true, 900, 32));
        for (int i = 0; i < after.size(); i++) {
            assertThat(ForwardingFixture.wrap(after.get(i)).sequenceNumber()).isEqualTo((lastBefore + 1 + i) & 0xFFFF);
        }
        assertThat(ForwardingFixture.wrap(after.get(0)).timestamp()).isGreaterThan(lastTimestampBefore);
    }

    @Test
    void aPausedSubscriptionGetsNothingAndResumesAtAKeyframeWithoutAGapWhileOthersGetEverything() {
        Peer publisher = fixture.publisher();
        Peer paused = fixture.subscriber("paused", 0x2000);
        Peer other = fixture.subscriber("other", 0x3000);
        fixture.sendFrames(publisher, 1, 5);
        List<byte[]> before = fixture.rtpTo(paused);
        int lastBefore = ForwardingFixture.wrap(before.get(before.size() - 1)).sequenceNumber();

        fixture.agent.setConsumerPaused(paused.leg, "c-paused", true);
        fixture.run();
        fixture.sendFrames(publisher, 6, 10);
        fixture.nowNs += 2_000_000_000L;
        fixture.run();
        assertThat(fixture.rtpTo(paused)).as("nothing while paused").hasSize(5);
        fixture.sent.removeIf(sent -> !sent.to().equals(paused.address) && !sent.to().equals(other.address));

        fixture.agent.setConsumerPaused(paused.leg, "c-paused", false);
        fixture.run();
        assertThat(fixture.rtcpTo(publisher)).as("a keyframe asked for on resume").anyMatch(ForwardingFixture::isPli);
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 16, 3000L * 16,
            ForwardingFixture.vp8Payload(false, 900, 16));
        fixture.sendFrames(publisher, 17, 3);

        List<byte[]> received = fixture.rtpTo(paused);
        assertThat(received).hasSize(8);
        List<byte[]> resumed = received.subList(5, 8);
        assertThat(ForwardingFixture.payloadOf(resumed.get(0))).isEqualTo(ForwardingFixture.vp8Payload(true, 900, 17));
        for (int i = 0; i < resumed.size(); i++) {
            assertThat(ForwardingFixture.wrap(resumed.get(i)).sequenceNumber()).isEqualTo((lastBefore + 1 + i) & 0xFFFF);
        }
        assertThat(fixture.rtpTo(other)).as("the other subscriber got every packet").hasSize(19);
    }

    @Test
    void theDependencyDescriptorMarksKeyframesWhereThePayloadCannotBeRead() {
        int descriptorId = 5;
        Peer publisher = fixture.publisher();
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, 0, 0, descriptorId));
        fixture.run();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        byte[] keyframeDescriptor = {(byte) 0xC0, 0, 1, (byte) 0x80, 0};
        byte[] deltaDescriptor = {(byte) 0xC0, 0, 2};

        // the payload reads as a key frame (an encrypted one can read as anything), the descriptor says it is not
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 1, 3000,
            ForwardingFixture.vp8Payload(true, 500, 1), writer -> writer.extension(descriptorId, deltaDescriptor));
        assertThat(fixture.rtpTo(subscriber)).isEmpty();
        // the payload reads as a delta frame, the descriptor carries the structure of a key frame: start here
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 2, 6000,
            ForwardingFixture.vp8Payload(false, 500, 2), writer -> writer.extension(descriptorId, keyframeDescriptor));
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 3, 9000,
            ForwardingFixture.vp8Payload(false, 500, 3), writer -> writer.extension(descriptorId, deltaDescriptor));

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(2);
        assertThat(ForwardingFixture.payloadOf(received.get(0))).isEqualTo(ForwardingFixture.vp8Payload(false, 500, 2));
    }

    @Test
    void aLateSubscriberAsksForAKeyframeAndStartsThere() {
        Peer publisher = fixture.publisher();
        Peer early = fixture.subscriber("early", 0x2000);
        fixture.sendFrames(publisher, 100, 10);
        fixture.nowNs += 1_000_000_000L;
        Peer late = fixture.subscriber("late", 0x3000);

        boolean pliSent = fixture.rtcpTo(publisher).stream().anyMatch(ForwardingFixture::isPli);
        assertThat(pliSent).as("keyframe request toward the publisher").isTrue();

        // deltas first: the late subscriber must not get them, the early one does
        for (int seq = 110; seq < 115; seq++) {
            fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, seq, 3000L * seq,
                ForwardingFixture.vp8Payload(false, 500, seq));
        }
        assertThat(fixture.rtpTo(late)).isEmpty();
        fixture.sendFrames(publisher, 115, 5);

        List<byte[]> lateReceived = fixture.rtpTo(late);
        assertThat(lateReceived).hasSize(5);
        assertThat(ForwardingFixture.payloadOf(lateReceived.get(0)))
            .isEqualTo(ForwardingFixture.vp8Payload(true, 900, 115));
        assertThat(fixture.rtpTo(early)).hasSize(20);
    }

    @Test
    void aRenegotiatedTrackKeepsItsSubscribers() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 5);

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

    @Test
    void closingAPublishersLegEndsItsTracksAndTheirSubscriptions() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 3);
        assertThat(fixture.rtpTo(subscriber)).hasSize(3);

        fixture.agent.closeLeg(publisher.leg);
        fixture.run();
        Peer next = fixture.peer("next");
        fixture.agent.addProducer(next.leg, ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC, 0));
        fixture.run();
        fixture.sendFrames(next, 10, 3);

        assertThat(fixture.rtpTo(subscriber)).as("the subscription ended with the track").hasSize(3);
        assertThat(fixture.rtpTo(next)).isEmpty();
    }
}
