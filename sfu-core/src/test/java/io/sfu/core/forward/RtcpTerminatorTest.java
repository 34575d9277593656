package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RTCP from subscribers ends at the SFU: NACKs answered from the history, keyframe requests passed on throttled. */
class RtcpTerminatorTest {
    private final ForwardingFixture fixture = new ForwardingFixture();

    @Test
    void aSubscribersNackIsAnsweredWithRtxFromTheHistory() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 500, 20);
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
    void keyframeRequestsFromSubscribersAreThrottledTowardThePublisher() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 3);
        fixture.nowNs += 2_000_000_000L;
        fixture.sent.clear();

        for (int i = 0; i < 5; i++) {
            fixture.receiveRtcp(subscriber, buffer -> PictureLossIndication.write(buffer, 0, 0x77, 0x2000));
        }
        long plis = fixture.rtcpTo(publisher).stream().filter(ForwardingFixture::isPli).count();
        assertThat(plis).isEqualTo(1);

        fixture.nowNs += ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS;
        fixture.receiveRtcp(subscriber, buffer -> PictureLossIndication.write(buffer, 0, 0x77, 0x2000));
        assertThat(fixture.rtcpTo(publisher).stream().filter(ForwardingFixture::isPli).count()).isEqualTo(2);
    }

    @Test
    void aPublisherThatTakesOnlyFirGetsFirsWithIncreasingSequenceNumbers() {
        Peer publisher = fixture.peer("publisher");
        ProducerSpec videoSpec = ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC, 0);
        fixture.agent.addProducer(publisher.leg, new ProducerSpec(videoSpec.trackId(), videoSpec.participantId(),
            videoSpec.roomKey(), videoSpec.mid(), true, 90_000, videoSpec.codecs(), videoSpec.encodings(), true, false,
            true, new TrackCounters()));
        fixture.run();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 3);
        fixture.sent.clear();

        for (int i = 0; i < 3; i++) {
            fixture.nowNs += ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS;
            fixture.receiveRtcp(subscriber, buffer -> PictureLossIndication.write(buffer, 0, 0x77, 0x2000));
        }

        List<Integer> firSequences = new ArrayList<>();
        for (byte[] compound : fixture.rtcpTo(publisher)) {
            io.sfu.core.rtcp.FullIntraRequest fir = new io.sfu.core.rtcp.FullIntraRequest();
            if (fir.wrap(new org.agrona.concurrent.UnsafeBuffer(compound), 0, compound.length)) {
                assertThat(fir.entrySsrc(0)).isEqualTo(ForwardingFixture.PUBLISHER_SSRC);
                firSequences.add(fir.entrySequenceNumber(0));
            }
        }
        // FIR 0 went out when the subscriber joined and asked for its first keyframe
        assertThat(firSequences).containsExactly(1, 2, 3);
        assertThat(fixture.rtcpTo(publisher)).noneMatch(ForwardingFixture::isPli);
    }

    @Test
    void theSubscribersReportBlocksGiveItsLossAndRoundTrip() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.peer("s");
        TrackCounters counters = new TrackCounters();
        ConsumerSpec spec = ForwardingFixture.consumerSpec("c-s", "v1", 0x2000, 0x2001);
        fixture.agent.addConsumer(subscriber.leg, new ConsumerSpec(spec.consumerId(), spec.producerTrackId(),
            spec.ssrc(), spec.rtxSsrc(), spec.payloadTypeMap(), spec.rtxPayloadTypeMap(), spec.extensionIdMap(),
            spec.preferredLayer(), counters));
        fixture.run();
        fixture.sendFrames(publisher, 1, 10);

        fixture.receiveRtcp(subscriber, buffer -> {
            int length = io.sfu.core.rtcp.ReceiverReport.write(buffer, 0, 0x77, 2);
            io.sfu.core.rtcp.ReportBlock.write(buffer, io.sfu.core.rtcp.ReceiverReport.length(0), 0x9999, 0, 50, 1, 0,
                0, 0);
            io.sfu.core.rtcp.ReportBlock.write(buffer, io.sfu.core.rtcp.ReceiverReport.length(1), 0x2000, 10, 7, 10,
                0, 0, 0);
            return length;
        });
        fixture.nowNs += 1_100_000_000L;
        fixture.run();

        assertThat(counters.lost()).as("the block about another SSRC is not this consumer's").isEqualTo(7);
    }
}
