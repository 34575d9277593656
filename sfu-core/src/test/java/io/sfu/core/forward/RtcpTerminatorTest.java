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
            true, false, new TrackCounters()));
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
    void senderReportsToASubscriberCarryThePublishersClockAndTheirEchoGivesTheRoundTrip() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 10);
        // the publisher's wall clock is its own (here years behind the SFU's); its report pairs it with RTP time
        long publisherNtp = io.sfu.core.feedback.NtpTime.fromUnixNanos(1_000_000_000_000_000_000L);
        long publisherRtp = 3000L * 10 + 1234;
        fixture.receiveRtcp(publisher, buffer -> io.sfu.core.rtcp.SenderReport.write(buffer, 0,
            ForwardingFixture.PUBLISHER_SSRC, publisherNtp, publisherRtp, 10, 9000, 0));
        long reportArrivedNs = fixture.nowNs;
        fixture.sent.clear();

        fixture.nowNs += 1_100_000_000L;
        fixture.run();
        long reportSentNs = fixture.nowNs;
        io.sfu.core.rtcp.SenderReport report = senderReportTo(subscriber, 0x2000);

        long elapsedNs = reportSentNs - reportArrivedNs;
        assertThat(report.ntpTimestamp()).isEqualTo(io.sfu.core.feedback.NtpTime.plusNanos(publisherNtp, elapsedNs));
        // the first layer keeps the publisher's numbering: the same instant in RTP time, moved on by the elapsed time
        assertThat(report.rtpTimestamp()).isEqualTo(publisherRtp + elapsedNs * 90_000 / 1_000_000_000L);

        // the subscriber echoes it 100 ms later, having held it 40 ms: 60 ms there and back
        long lastSenderReport = report.compactNtpTimestamp();
        fixture.nowNs += 100_000_000L;
        fixture.receiveRtcp(subscriber, buffer -> {
            int length = io.sfu.core.rtcp.ReceiverReport.write(buffer, 0, 0x77, 1);
            io.sfu.core.rtcp.ReportBlock.write(buffer, io.sfu.core.rtcp.ReceiverReport.length(0), 0x2000, 0, 0, 10,
                0, lastSenderReport, io.sfu.core.feedback.NtpTime.nanosToCompact(40_000_000L));
            return length;
        });
        assertThat(subscriber.leg.rtt.hasSample()).isTrue();
        assertThat(subscriber.leg.rtt.latestRttNs()).isBetween(59_900_000L, 60_100_000L);
    }

    /** The last sender report about {@code ssrc} the SFU sent {@code peer}. */
    private io.sfu.core.rtcp.SenderReport senderReportTo(Peer peer, int ssrc) {
        io.sfu.core.rtcp.SenderReport found = null;
        for (byte[] compound : fixture.rtcpTo(peer)) {
            io.sfu.core.rtcp.SenderReport report = new io.sfu.core.rtcp.SenderReport();
            if (report.wrap(new org.agrona.concurrent.UnsafeBuffer(compound), 0, compound.length)
                && report.ssrc() == ssrc) {
                found = report;
            }
        }
        assertThat(found).as("a sender report about %08x", ssrc).isNotNull();
        return found;
    }

    @Test
    void theSubscribersReportBlocksGiveItsLossAndRoundTrip() {
        Peer publisher = fixture.publisher();
        TrackCounters counters = new TrackCounters();
        Peer subscriber = fixture.subscriber("s", 0x2000, counters);
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
