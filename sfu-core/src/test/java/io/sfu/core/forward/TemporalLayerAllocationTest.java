package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.Remb;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bitrates by temporal layer (and by spatial layer of VP9 SVC) on the receive side, and the choice they feed: the
 * simulcast encoding or spatial layer that fits a subscriber's share first, then, where even the lowest does not fit
 * whole, the temporal layers of it that do.
 */
class TemporalLayerAllocationTest {
    private static final long SECOND_NS = 1_000_000_000L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final RtpPacket rtp = new RtpPacket();
    private int sequence;

    /** One packet of {@code bytes} payload octets into {@code stream}, of temporal layer {@code temporalId}. */
    private void receive(ProducerStream stream, int bytes, int temporalId, long nowNs) {
        receive(stream, bytes, temporalId, -1, nowNs);
    }

    /** As {@link #receive(ProducerStream, int, int, long)}, of spatial layer {@code spatialId} too. */
    private void receive(ProducerStream stream, int bytes, int temporalId, int spatialId, long nowNs) {
        int length = new RtpPacketWriter().wrap(buffer, 0, buffer.capacity()).payloadType(96)
            .sequenceNumber(sequence++ & 0xFFFF).timestamp(0).ssrc(0x100).payload(new byte[bytes]).length();
        rtp.wrap(buffer, 0, length);
        stream.onPacket(rtp, false, false, true, temporalId, spatialId, nowNs, nowNs);
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
    void aSubscriberWhoseDownlinkCannotTakeTheWholeEncodingGetsTheTemporalLayersThatFit() {
        ForwardingFixture fixture = new ForwardingFixture();
        TrackCounters counters = new TrackCounters();
        Peer publisher = fixture.publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000, counters);
        // TL0 about 121 kbit/s, with TL1 182, with TL2 245
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 0, 15, 0);
        source.startWithKeyframe(fixture, publisher, 60);
        assertThat(fixture.rtpTo(subscriber)).as("every layer while nothing is known of the downlink").hasSize(120);

        // the subscriber's own estimate of its downlink (REMB), then a layer decision
        receiverEstimate(fixture, subscriber, 200_000);
        for (int i = 0; i < 20; i++) {
            source.frame(fixture, publisher, false);
        }
        fixture.sent.clear();
        for (int i = 0; i < 16; i++) {
            source.frame(fixture, publisher, false);
        }
        assertThat(fixture.rtpTo(subscriber)).extracting(LayeredVp8Source::layerOf).as("frames of TL0 and TL1")
            .containsOnly(0, 1).hasSize(16);
        assertThat(counters.temporalLayer()).isEqualTo(1);

        receiverEstimate(fixture, subscriber, 100_000);
        for (int i = 0; i < 20; i++) {
            source.frame(fixture, publisher, false);
        }
        fixture.sent.clear();
        for (int i = 0; i < 16; i++) {
            source.frame(fixture, publisher, false);
        }
        assertThat(fixture.rtpTo(subscriber)).extracting(LayeredVp8Source::layerOf).as("less than TL0 needs: TL0")
            .containsOnly(0).hasSize(8);
        assertThat(counters.temporalLayer()).isZero();
    }

    private static void receiverEstimate(ForwardingFixture fixture, Peer subscriber, long bitrateBps) {
        fixture.receiveRtcp(subscriber, buffer -> Remb.write(buffer, 0, 0x77, bitrateBps, new int[] {0x2000}, 1));
    }

    /**
     * A second of an L3T3 stream at 40 pictures a second: per picture one layer frame of each spatial layer, of
     * {@code sizes[spatial]} octets (with the header) in a TL0 picture and half that in the others.
     */
    private void svcSecond(ProducerStream stream, int[] sizes, long startNs) {
        for (int picture = 0; picture < 40; picture++) {
            int temporalId = LayeredVp8Source.PATTERN[picture % 4];
            for (int spatialId = 0; spatialId < sizes.length; spatialId++) {
                int size = temporalId == 0 ? sizes[spatialId] : sizes[spatialId] / 2;
                receive(stream, size - 12, temporalId, spatialId, startNs + picture * 25_000_000L);
            }
        }
    }

    @Test
    void theBitrateOfASpatialLayerCountsTheLayersBelowIt() {
        ProducerStream stream = producer(1).streams[0];
        svcSecond(stream, new int[] {500, 1000, 2000}, SECOND_NS);
        long now = 2 * SECOND_NS - 1;

        // per layer: 10 TL0 pictures at the full size, 30 others at half: 25 sizes a second
        assertThat(stream.layerBitrateBps(0, TemporalLayerFilter.ALL, now)).isEqualTo(25 * 500 * 8);
        assertThat(stream.layerBitrateBps(1, TemporalLayerFilter.ALL, now)).isEqualTo(25 * 1500 * 8);
        assertThat(stream.layerBitrateBps(2, TemporalLayerFilter.ALL, now)).isEqualTo(stream.bitrateBps(now));
        assertThat(stream.layerBitrateBps(1, 0, now)).as("TL0 of spatial layers 0 and 1").isEqualTo(10 * 1500 * 8);
        assertThat(stream.highestSpatialLayer(now)).isEqualTo(2);
        assertThat(stream.highestSpatialLayerSeen()).isEqualTo(2);
        assertThat(stream.highestSpatialLayer(now + SECOND_NS)).as("nothing arrived for a second").isEqualTo(-1);
    }

    @Test
    void theHighestSpatialLayerThatFitsTheShareIsChosenWithRoomToSpareGoingUp() {
        Producer producer = producer(1);
        svcSecond(producer.streams[0], new int[] {500, 1000, 2000}, SECOND_NS);
        long now = 2 * SECOND_NS - 1;
        int all = TemporalLayerFilter.ALL;

        // 100,000, 300,000 and 700,000 bit/s with the layers below
        assertThat(producer.highestSpatialLayerWithin(0, 2, all, 700_000, 2, now)).isEqualTo(2);
        assertThat(producer.highestSpatialLayerWithin(0, 2, all, 700_000, 1, now)).as("805,000 to go up")
            .isEqualTo(1);
        assertThat(producer.highestSpatialLayerWithin(0, 1, all, 10_000_000, 1, now))
            .as("no higher than the subscriber wants").isEqualTo(1);
        assertThat(producer.highestSpatialLayerWithin(0, 2, all, 50_000, 0, now)).as("the floor").isZero();
        assertThat(producer.highestTemporalLayerWithin(0, 0, 50_000, TemporalLayerFilter.ALL, now))
            .as("TL0 of spatial layer 0 is 40,000").isZero();
        assertThat(producer.highestTemporalLayerWithin(0, 1, 300_000, TemporalLayerFilter.ALL, now))
            .as("spatial layers 0 and 1 whole").isEqualTo(TemporalLayerFilter.ALL);
        assertThat(producer.lowestLayerBps(now)).as("what a subscription of the track is owed first")
            .isEqualTo(100_000);
    }
}
