package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtcp.RtcpCompoundIterator;
import io.sfu.core.rtcp.RtcpHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The RTCP each leg sends on its own schedule: NACKs toward publishers, reports both ways. */
class FeedbackSchedulerTest {
    private final ForwardingFixture fixture = new ForwardingFixture();

    @Test
    void aGapFromThePublisherIsNackedAfterTheNextTick() {
        Peer publisher = fixture.publisher();
        fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1000, 5);
        fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, 1007, 3000L * 1007,
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
                    assertThat(nack.mediaSsrc()).isEqualTo(ForwardingFixture.PUBLISHER_SSRC);
                    nack.forEachLost(nacked::add);
                }
            }
        }
        assertThat(nacked).containsExactly(1005, 1006);
    }

    @Test
    void reportsFlowBothWaysEverySecond() {
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        fixture.sendFrames(publisher, 1, 10);
        fixture.sent.clear();

        fixture.nowNs += 1_100_000_000L;
        fixture.run();

        assertThat(fixture.rtcpTo(publisher)).anyMatch(p -> (p[1] & 0xFF) == RtcpHeader.RECEIVER_REPORT);
        assertThat(fixture.rtcpTo(subscriber)).anyMatch(p -> (p[1] & 0xFF) == RtcpHeader.SENDER_REPORT);
    }
}
