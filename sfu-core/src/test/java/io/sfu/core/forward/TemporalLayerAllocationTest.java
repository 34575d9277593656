package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bitrates by temporal layer on the receive side, and the choice they feed: the spatial layer that fits a
 * subscriber's share first, then, where even the lowest does not fit whole, the temporal layers of it that do.
 */
class TemporalLayerAllocationTest {
    private static final long SECOND_NS = 1_000_000_000L;
    private static final int PUBLISHER_TWCC_ID = 5;
    private static final int SUBSCRIBER_TWCC_ID = 3;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final RtpPacket rtp = new RtpPacket();
    private int sequence;

    /** One packet of {@code bytes} payload octets into {@code stream}, of temporal layer {@code temporalId}. */
    private void receive(ProducerStream stream, int bytes, int temporalId, long nowNs) {
        int length = new RtpPacketWriter().wrap(buffer, 0, buffer.capacity()).payloadType(96)
            .sequenceNumber(sequence++ & 0xFFFF).timestamp(0).ssrc(0x100).payload(new byte[bytes]).length();
        rtp.wrap(buffer, 0, length);
        stream.onPacket(rtp, false, false, true, temporalId, nowNs, nowNs);
    }

    /**
     * A second of an L1T3 encoding at 40 frames a second: the base layer {@code base} octets a frame (with the
     * 12-octet header), TL1 and TL2 {@code upper} each.
     */
    private void second(ProducerStream stream, int base, int upper, long startNs) {
        for (int frame = 0; frame < 40; frame++) {
            int temporalId = LayeredVp8Source.PATTERN[frame % 4];
            receive(stream, (temporalId == 0 ? base : upper) - 12, temporalId, startNs + frame * 25_000_000L);
        }
    }

    private static Producer producer(int encodings) {
        String[] rids = {"q", "h", "f"};
        ProducerSpec spec = encodings == 1
            ? ForwardingFixture.videoSpec("v1", 0x100, 0)
            : ForwardingFixture.simulcastSpec("v1", java.util.Arrays.copyOf(rids, encodings), new int[encodings]);
        return new Producer(spec, null, null, ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS);
    }

    @Test
    void theBitrateOfATemporalLayerCountsTheLayersBelowIt() {
        ProducerStream stream = producer(1).streams[0];
        // 10 TL0 frames of 1000 octets, 10 TL1 and 20 TL2 frames of 500
        second(stream, 1000, 500, SECOND_NS);
        long now = 2 * SECOND_NS - 1;

        assertThat(stream.temporalBitrateBps(0, now)).isEqualTo(80_000);
        assertThat(stream.temporalBitrateBps(1, now)).isEqualTo(120_000);
        assertThat(stream.temporalBitrateBps(2, now)).isEqualTo(200_000);
        assertThat(stream.temporalBitrateBps(TemporalLayerFilter.ALL, now)).isEqualTo(stream.bitrateBps(now));
        assertThat(stream.highestTemporalLayer(now)).isEqualTo(2);
        assertThat(stream.highestTemporalLayer(now + SECOND_NS)).as("nothing arrived for a second").isEqualTo(-1);
    }

    @Test
    void anEncodingWithoutTemporalLayerIndicesCountsWholeInTheBaseLayer() {
        ProducerStream stream = producer(1).streams[0];
        for (int i = 0; i < 10; i++) {
            receive(stream, 988, -1, SECOND_NS + i * 100_000_000L);
        }
        long now = 2 * SECOND_NS - 1;

        assertThat(stream.temporalBitrateBps(0, now)).isEqualTo(80_000).isEqualTo(stream.bitrateBps(now));
        assertThat(stream.highestTemporalLayer(now)).isEqualTo(-1);
    }

    @Test
    void aShareBelowTheLowestEncodingPicksTheTemporalLayersOfItThatFit() {
        Producer producer = producer(2);
        second(producer.streams[0], 1000, 500, SECOND_NS);
        second(producer.streams[1], 1200, 1000, SECOND_NS);
        long now = 2 * SECOND_NS - 1;

        // the spatial choice keeps its contract: the lowest encoding when none fits
        assertThat(producer.highestLayerWithin(150_000, 0, now)).isZero();
        assertThat(producer.highestTemporalLayerWithin(0, 150_000, TemporalLayerFilter.ALL, now)).isEqualTo(1);
        assertThat(producer.highestTemporalLayerWithin(0, 100_000, TemporalLayerFilter.ALL, now)).isZero();
        assertThat(producer.highestTemporalLayerWithin(0, 50_000, TemporalLayerFilter.ALL, now))
            .as("the base layer is the floor").isZero();
        assertThat(producer.highestTemporalLayerWithin(0, 200_000, TemporalLayerFilter.ALL, now))
            .isEqualTo(TemporalLayerFilter.ALL);
        // the whole top encoding fits: every temporal layer of it
        assertThat(producer.highestLayerWithin(900_000, 1, now)).isEqualTo(1);
        assertThat(producer.highestTemporalLayerWithin(1, 900_000, 1, now)).isEqualTo(TemporalLayerFilter.ALL);
    }

    @Test
    void goingUpATemporalLayerNeedsRoomToSpare() {
        Producer producer = producer(1);
        second(producer.streams[0], 1000, 500, SECOND_NS);
        long now = 2 * SECOND_NS - 1;

        assertThat(producer.highestTemporalLayerWithin(0, 125_000, 1, now)).as("staying on TL1").isEqualTo(1);
        assertThat(producer.highestTemporalLayerWithin(0, 125_000, 0, now)).as("going up to TL1: 138,000 needed")
            .isZero();
        assertThat(producer.highestTemporalLayerWithin(0, 138_000, 0, now)).isEqualTo(1);
    }

    @Test
    void aSubscriberWhoseDownlinkCannotTakeTheWholeEncodingGetsItsBaseLayer() {
        ForwardingFixture fixture = new ForwardingFixture();
        TrackCounters counters = new TrackCounters();
        Peer publisher = fixture.peer("publisher");
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, PUBLISHER_TWCC_ID, 0));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC,
            ForwardingFixture.PUBLISHER_RTX_SSRC));
        Peer subscriber = fixture.transportCcSubscriber(PUBLISHER_TWCC_ID, SUBSCRIBER_TWCC_ID, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 0, 15, 0);
        int[] transportSequence = {40_000};
        source.extensions = writer -> {
            int number = transportSequence[0]++;
            return writer.extension(PUBLISHER_TWCC_ID, new byte[] {(byte) (number >> 8), (byte) number});
        };
        source.frame(fixture, publisher, true);
        for (int i = 1; i < 60; i++) {
            source.frame(fixture, publisher, false);
        }
        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).as("every layer while nothing is known of the downlink").hasSize(120);

        // the subscriber reports half of what it was sent lost, again and again: the estimate halves and halves
        List<Integer> sent = new ArrayList<>();
        for (byte[] packet : received) {
            sent.add((int) ForwardingFixture.wrap(packet).extensionValue(SUBSCRIBER_TWCC_ID));
        }
        for (int round = 0; round < 16; round++) {
            TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder(1024, 1200);
            long arrivalUs = fixture.nowNs / 1000;
            for (int i = 0; i < sent.size(); i += 2) {
                builder.addPacket(sent.get(i), arrivalUs + i * 1000L);
            }
            fixture.receiveRtcp(subscriber, buffer -> builder.build(buffer, 0, 1200, 0x77, 0x2000, 0));
        }
        // past a layer decision and a report of the counters
        for (int i = 0; i < 40; i++) {
            source.frame(fixture, publisher, false);
        }
        fixture.sent.clear();
        for (int i = 0; i < 16; i++) {
            source.frame(fixture, publisher, false);
        }

        assertThat(counters.downlinkEstimateBps()).isPositive().isLessThan(150_000L);
        assertThat(fixture.rtpTo(subscriber)).extracting(LayeredVp8Source::layerOf).containsOnly(0).hasSize(8);
        assertThat(counters.temporalLayer()).isZero();
    }
}
