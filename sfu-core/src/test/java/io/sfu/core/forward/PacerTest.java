package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.Remb;
import io.sfu.core.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a subscriber is sent leaves at 1.5 times its downlink estimate: a burst of video waits in its leg's pacer and
 * leaves in order, numbered in the transport-wide sequence as it leaves; audio never waits; a subscriber without an
 * estimate is not paced; a full queue lets packets go at once.
 */
class PacerTest {
    private static final int PUBLISHER_TWCC_ID = 5;
    private static final int SUBSCRIBER_TWCC_ID = 3;
    private static final int AUDIO_SSRC = 0x3333;
    private static final int AUDIO_OUT_SSRC = 0x7100;
    private static final int PAYLOAD = 1000;
    private static final long MS = 1_000_000L;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final Peer publisher = fixture.peer("publisher");
    private int sequence = 100;
    private int publisherTransportSequence = 40_000;

    PacerTest() {
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, PUBLISHER_TWCC_ID, 0));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC,
            ForwardingFixture.PUBLISHER_RTX_SSRC));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.audioSpec("a1", "publisher", AUDIO_SSRC));
        fixture.run();
    }

    /** The subscriber "s" of the video (SSRC 0x2000, transport-wide numbers) and the audio. */
    private Peer subscriber() {
        Peer subscriber = fixture.transportCcSubscriber(PUBLISHER_TWCC_ID, SUBSCRIBER_TWCC_ID, new TrackCounters());
        ConsumerSpec audio = ForwardingFixture.consumerSpec("c-a", "a1", AUDIO_OUT_SSRC, 0);
        audio.payloadTypeMap()[111] = 111;
        fixture.agent.addConsumer(subscriber.leg, audio);
        fixture.run();
        return subscriber;
    }

    private static Consumer videoConsumer(Peer subscriber) {
        return subscriber.leg.consumers.stream().filter(c -> c.producer.video).findFirst().orElseThrow();
    }

    private void estimate(Peer subscriber, long bitrateBps) {
        fixture.receiveRtcp(subscriber, buffer -> Remb.write(buffer, 0, 0x77, bitrateBps, new int[] {0x2000}, 1));
    }

    /** {@code packets} video packets of one keyframe, all arriving at this instant. */
    private void keyframe(int packets) {
        for (int i = 0; i < packets; i++) {
            int transportSequence = publisherTransportSequence++;
            int seq = sequence++;
            fixture.receiveRtp(publisher, ForwardingFixture.PUBLISHER_SSRC, 96, seq, 90_000,
                ForwardingFixture.vp8Payload(true, PAYLOAD, seq), writer -> writer.extension(PUBLISHER_TWCC_ID,
                    new byte[] {(byte) (transportSequence >> 8), (byte) transportSequence}));
        }
    }

    /** Advances the clock one millisecond at a time for {@code ms}, the agent working at each step. */
    private void runFor(long ms) {
        for (int i = 0; i < ms; i++) {
            fixture.nowNs += MS;
            fixture.run();
        }
    }

    private List<byte[]> videoTo(Peer subscriber) {
        List<byte[]> video = new ArrayList<>();
        for (byte[] packet : fixture.rtpTo(subscriber)) {
            if (ForwardingFixture.wrap(packet).ssrc() == 0x2000) {
                video.add(packet);
            }
        }
        return video;
    }

    private static long bits(List<byte[]> packets) {
        long bits = 0;
        for (byte[] packet : packets) {
            bits += packet.length * 8L;
        }
        return bits;
    }

    @Test
    void aKeyframeBurstLeavesAtOneAndAHalfTimesTheEstimateInOrder() {
        Peer subscriber = subscriber();
        estimate(subscriber, 2_000_000);
        fixture.sent.clear();
        videoConsumer(subscriber).publishCounters(fixture.nowNs);
        long bytesBefore = videoConsumer(subscriber).spec.counters().bytes();

        keyframe(60);

        // 3 Mbit/s: a burst of 10 ms (about 4 packets of ~1 KB) at once, the rest over ~160 ms
        int atOnce = videoTo(subscriber).size();
        assertThat(atOnce).isBetween(1, 6);
        assertThat(subscriber.leg.pacer.queued()).isEqualTo(60 - atOnce);
        runFor(100);
        long sentIn100Ms = bits(videoTo(subscriber));
        assertThat(sentIn100Ms).as("bits out within 100 ms").isBetween(280_000L, 360_000L);
        runFor(150);
        List<byte[]> video = videoTo(subscriber);
        assertThat(video).hasSize(60);
        assertThat(subscriber.leg.pacer.queued()).isZero();
        assertThat(subscriber.leg.pacer.pacedPackets()).isEqualTo(60 - atOnce);
        assertThat(subscriber.leg.pacer.maxDelayNs()).isBetween(150 * MS, 250 * MS);
        // what waited counts as it went out on the wire, SRTP tag included, as what left at once does
        Consumer consumer = videoConsumer(subscriber);
        consumer.publishCounters(fixture.nowNs);
        long onTheWire = fixture.sent.stream()
            .filter(s -> s.to().equals(subscriber.address) && ForwardingFixture.wrap(s.data()).ssrc() == 0x2000)
            .mapToLong(s -> s.data().length).sum();
        assertThat(consumer.spec.counters().bytes() - bytesBefore).isEqualTo(onTheWire);
        for (int i = 1; i < video.size(); i++) {
            RtpPacket previous = ForwardingFixture.wrap(video.get(i - 1));
            RtpPacket packet = ForwardingFixture.wrap(video.get(i));
            assertThat(packet.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
            assertThat(packet.extensionValue(SUBSCRIBER_TWCC_ID))
                .isEqualTo((previous.extensionValue(SUBSCRIBER_TWCC_ID) + 1) & 0xFFFF);
        }
    }

    @Test
    void audioNeverWaitsBehindTheVideoThatDoes() {
        Peer subscriber = subscriber();
        estimate(subscriber, 1_000_000);
        keyframe(30);
        runFor(20);
        fixture.sent.clear();

        fixture.receiveAudio(publisher, AUDIO_SSRC, 1, 1, 30);

        List<byte[]> sent = fixture.rtpTo(subscriber);
        assertThat(sent).as("the audio, at once, though video waits").hasSize(1);
        assertThat(ForwardingFixture.wrap(sent.get(0)).ssrc()).isEqualTo(AUDIO_OUT_SSRC);
        assertThat(subscriber.leg.pacer.queued()).isPositive();
        runFor(200);
        assertThat(subscriber.leg.pacer.queued()).isZero();
    }

    @Test
    void resendsWaitTheirTurnBehindTheVideoBeforeThem() {
        Peer subscriber = subscriber();
        estimate(subscriber, 1_000_000);
        keyframe(40);
        runFor(300);
        List<byte[]> first = videoTo(subscriber);
        assertThat(first).hasSize(40);
        fixture.sent.clear();

        keyframe(20);
        int lost = ForwardingFixture.wrap(first.get(5)).sequenceNumber();
        fixture.receiveRtcp(subscriber, buffer -> io.sfu.core.rtcp.GenericNack.write(buffer, 0, 0x77, 0x2000,
            new int[] {lost}, 1));
        runFor(300);

        List<byte[]> all = fixture.rtpTo(subscriber);
        assertThat(all).hasSize(21);
        RtpPacket resend = ForwardingFixture.wrap(all.get(all.size() - 1));
        assertThat(resend.ssrc()).as("the RTX resend, after the 20 packets queued before it").isEqualTo(0x2001);
    }

    @Test
    void aSubscriberWithoutAnEstimateIsNotPaced() {
        Peer subscriber = subscriber();
        fixture.sent.clear();

        keyframe(60);

        assertThat(videoTo(subscriber)).hasSize(60);
        assertThat(subscriber.leg.pacer.pacedPackets()).isZero();
    }

    @Test
    void aFullQueueLetsPacketsGoAtOnceAndCountsThem() {
        Peer subscriber = subscriber();
        estimate(subscriber, 100_000);
        fixture.sent.clear();

        keyframe(Pacer.CAPACITY + 40);

        // 250 kbit/s leaves no budget for a second packet: the first goes, the next 128 wait, the other 39 go at once
        assertThat(videoTo(subscriber)).hasSize(40);
        assertThat(subscriber.leg.pacer.queued()).isEqualTo(Pacer.CAPACITY);
        assertThat(subscriber.leg.pacer.overflows()).isEqualTo(39);
        // however low the estimate, what waits leaves within Pacer.MAX_QUEUE_NS
        runFor(Pacer.MAX_QUEUE_NS / MS + 20);
        assertThat(subscriber.leg.pacer.queued()).isZero();
        assertThat(videoTo(subscriber)).hasSize(Pacer.CAPACITY + 40);
    }
}
