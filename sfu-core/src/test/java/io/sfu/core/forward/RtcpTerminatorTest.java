package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.PictureLossIndication;
import io.sfu.core.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

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
}
