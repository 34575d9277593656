package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.feedback.RetransmissionLimiter;
import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber's NACKs cannot make the SFU resend without bound: each cap of the consumer's
 * {@link RetransmissionLimiter}, one over it, through the agent with real SRTP; what is refused is counted on the
 * subscription's track.
 */
class NackRetransmissionTest {
    private static final int SUBSCRIBER_SSRC = 0x2000;
    /** Bytes of each stored packet: the 12-byte header and the fixture's 900-byte payload. */
    private static final int STORED_BYTES = 912;

    private ForwardingFixture fixture = new ForwardingFixture();
    private final TrackCounters counters = new TrackCounters();

    /** A subscriber of the fixture's publisher whose counters this test reads. */
    private Peer subscriber() {
        Peer subscriber = fixture.peer("s");
        ConsumerSpec spec = ForwardingFixture.consumerSpec("c-s", "v1", SUBSCRIBER_SSRC, SUBSCRIBER_SSRC + 1);
        fixture.agent.addConsumer(subscriber.leg, new ConsumerSpec(spec.consumerId(), spec.producerTrackId(),
            spec.ssrc(), spec.rtxSsrc(), spec.payloadTypeMap(), spec.rtxPayloadTypeMap(), spec.extensionIdMap(),
            spec.preferredLayer(), counters));
        fixture.run();
        return subscriber;
    }

    /** The subscriber's sequence numbers of the packets it received so far. */
    private int[] received(Peer subscriber) {
        return fixture.rtpTo(subscriber).stream().mapToInt(p -> ForwardingFixture.wrap(p).sequenceNumber()).toArray();
    }

    private void nack(Peer subscriber, int[] lost, int count) {
        fixture.receiveRtcp(subscriber, buffer -> GenericNack.write(buffer, 0, 0x77, SUBSCRIBER_SSRC, lost, count));
    }

    /** Lets a report interval pass, so the agent publishes its counters. */
    private void publishCounters() {
        fixture.nowNs += ForwardingAgent.REPORT_INTERVAL_NS + ForwardingAgent.TICK_NS;
        fixture.run();
    }

    @Test
    void aNackNamingOneMoreThanTheCapIsAnsweredUpToTheCapAndTheRestCounted() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber();
        fixture.sendFrames(publisher, 1, 100);
        int[] sequences = received(subscriber);
        fixture.sent.clear();

        nack(subscriber, sequences, RetransmissionLimiter.DEFAULT_MAX_PER_NACK + 1);

        assertThat(fixture.rtpTo(subscriber)).hasSize(RetransmissionLimiter.DEFAULT_MAX_PER_NACK);
        publishCounters();
        assertThat(counters.retransmitted()).isEqualTo(RetransmissionLimiter.DEFAULT_MAX_PER_NACK);
        assertThat(counters.retransmitsRefused()).isEqualTo(1);
    }

    @Test
    void aNackRepeatedWithinTheRoundTripIsNotAnsweredAgainAndAfterItIs() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber();
        fixture.sendFrames(publisher, 1, 20);
        int[] lost = {received(subscriber)[7]};
        fixture.sent.clear();

        nack(subscriber, lost, 1);
        // no report block yet: the round trip is the estimator's initial 100 ms
        fixture.nowNs += 100_000_000L - 1;
        nack(subscriber, lost, 1);
        assertThat(fixture.rtpTo(subscriber)).as("one resend within the round trip").hasSize(1);

        fixture.nowNs += 1;
        nack(subscriber, lost, 1);
        assertThat(fixture.rtpTo(subscriber)).as("and one more once it passed").hasSize(2);
        publishCounters();
        assertThat(counters.retransmitsRefused()).isEqualTo(1);
    }

    @Test
    void resendsBeyondTheBudgetAreRefusedAndCounted() {
        // 1 % of the subscriber's few Mbit/s is below the floor: the budget is the floor's second, 25,000 bytes
        fixture = new ForwardingFixture(1);
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber();
        fixture.sendFrames(publisher, 1, 100);
        int[] sequences = received(subscriber);
        fixture.sent.clear();
        int fit = (int) (RetransmissionLimiter.DEFAULT_FLOOR_BPS / 8 / STORED_BYTES);

        nack(subscriber, sequences, fit + 1);

        assertThat(fixture.rtpTo(subscriber)).hasSize(fit);
        publishCounters();
        assertThat(counters.retransmitsRefused()).isEqualTo(1);
    }

    @Test
    void answeringNacksAllocatesNothingPerNack() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber();
        fixture.sendFrames(publisher, 0, 1);
        // the subscriber's numbering is the publisher's shifted by where its output space started
        int offset = received(subscriber)[0];
        fixture.capture[0] = false;
        byte[] payload = ForwardingFixture.vp8Payload(false, 900, 1);
        RtpPacketWriter writer = new RtpPacketWriter();
        int[] lost = new int[1];
        int[] seq = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            int s = ++seq[0] & 0xFFFF;
            fixture.nowNs += 1_000_000L;
            PacketSlot media = fixture.pool.acquire();
            int length = writer.wrap(media.buffer(), 0, PacketSlot.CAPACITY).payloadType(96).sequenceNumber(s)
                .timestamp(3000L * seq[0]).ssrc(ForwardingFixture.PUBLISHER_SSRC).payload(payload).length();
            media.data(0, publisher.peerSend.protectRtp(media.buffer(), 0, length)).kind(DatagramKind.RTP.ordinal());
            publisher.leg.onMedia(media);
            // the subscriber asks again for the packet before this one
            lost[0] = (offset + s - 1) & 0xFFFF;
            PacketSlot rtcp = fixture.pool.acquire();
            int nackLength = GenericNack.write(rtcp.buffer(), 0, 0x77, SUBSCRIBER_SSRC, lost, 1);
            rtcp.data(0, subscriber.peerSend.protectRtcp(rtcp.buffer(), 0, nackLength))
                .kind(DatagramKind.RTCP.ordinal());
            subscriber.leg.onMedia(rtcp);
            fixture.agent.doWork();
        });

        assertThat(bytes).isLessThan(1.0);
        assertThat(fixture.pool.inUse()).isZero();
        publishCounters();
        assertThat(counters.retransmitted()).as("NACKs answered").isPositive();
    }
}
