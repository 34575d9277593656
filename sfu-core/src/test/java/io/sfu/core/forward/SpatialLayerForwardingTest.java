package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.rtp.codec.Vp9PayloadParser;
import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sfu.core.forward.SpatialLayerScenarios.spatialLayers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * VP9 spatial layers (SVC, one SSRC) through the agent with real SRTP: a subscriber receives only the spatial and
 * temporal layers it asks for, its pictures ending with the marker bit on the last packet of its highest layer, its
 * sequence numbers without a gap; it goes down at the next picture and up at a keyframe it asks for.
 */
class SpatialLayerForwardingTest {
    private static final int SUBSCRIBER_SSRC = SpatialLayerScenarios.SUBSCRIBER_SSRC;
    private static final int SUBSCRIBER_PAYLOAD_TYPE = SpatialLayerScenarios.SUBSCRIBER_PAYLOAD_TYPE;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final TrackCounters counters = new TrackCounters();

    /** A subscriber of the VP9 track "v1": see {@link SpatialLayerScenarios#subscriber}. */
    private Peer subscriber(String id, int ssrc, int maxSpatialLayer, int maxHeight, int maxTemporalLayer,
                            TrackCounters trackCounters) {
        return SpatialLayerScenarios.subscriber(fixture, Vp9SvcSource.PAYLOAD_TYPE, id, ssrc, maxSpatialLayer,
            maxHeight, maxTemporalLayer, trackCounters);
    }

    /**
     * The subscriber "s" (its counters in {@link #counters}) of every temporal and spatial layer, or with a positive
     * {@code maxHeight} of the spatial layers no taller.
     */
    private Peer subscriberUpTo(int maxHeight) {
        return subscriber("s", SUBSCRIBER_SSRC, ConsumerSpec.ALL_SPATIAL_LAYERS, maxHeight,
            ConsumerSpec.ALL_TEMPORAL_LAYERS, counters);
    }

    private Peer subscriber(String id, int ssrc, int maxSpatialLayer) {
        return subscriber(id, ssrc, maxSpatialLayer, 0, ConsumerSpec.ALL_TEMPORAL_LAYERS, new TrackCounters());
    }

    /** A source of "v1" from sequence 100 and picture id 0, started with a keyframe and {@code pictures - 1} more. */
    private Vp9SvcSource started(Peer publisher, int pictures) {
        Vp9SvcSource source = new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 0);
        return SpatialLayerScenarios.started(fixture, publisher, source, pictures);
    }

    /**
     * Checks what a subscriber's depacketizer needs: sequence numbers one apart; the marker bit exactly on the packet
     * that ends the layer frame of spatial layer {@code topLayer} (where the picture ends for it); per picture (a run
     * of packets with one timestamp) picture ids one apart and TL0PICIDX one up at each TL0 picture.
     */
    private static void assertPictures(List<byte[]> packets, int topLayer) {
        RtpPacket previous = null;
        Vp9PayloadParser previousDescriptor = null;
        for (byte[] packet : packets) {
            RtpPacket rtp = ForwardingFixture.wrap(packet);
            Vp9PayloadParser descriptor = Vp9SvcSource.descriptorOf(packet);
            assertThat(rtp.marker()).as("marker of %d (layer %d, E %s)", rtp.sequenceNumber(), descriptor.spatialId(),
                descriptor.endOfFrame()).isEqualTo(descriptor.endOfFrame() && descriptor.spatialId() == topLayer);
            if (previous != null) {
                assertThat(rtp.sequenceNumber()).as("sequence after %d", previous.sequenceNumber())
                    .isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
                if (rtp.timestamp() != previous.timestamp()) {
                    assertThat(previous.marker()).as("the picture before %d ended", rtp.sequenceNumber()).isTrue();
                    assertThat(descriptor.pictureId()).as("picture id after %d", previousDescriptor.pictureId())
                        .isEqualTo((previousDescriptor.pictureId() + 1) & 0x7FFF);
                    assertThat(descriptor.tl0PicIdx()).as("TL0PICIDX of a picture of layer %d",
                        descriptor.temporalId()).isEqualTo(descriptor.temporalId() == 0
                            ? (previousDescriptor.tl0PicIdx() + 1) & 0xFF : previousDescriptor.tl0PicIdx());
                }
            }
            previous = rtp;
            previousDescriptor = descriptor;
        }
    }

    @Test
    void aSubscriberOfTheLowestSpatialLayerGetsItsPacketsAloneEachPictureMarkedAtItsEnd() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        // the lowest layer's consumer comes first: had it marked the shared packet, the other would see it
        Peer lowest = subscriber("low", SUBSCRIBER_SSRC, 0, 0, ConsumerSpec.ALL_TEMPORAL_LAYERS, counters);
        Peer everything = subscriber("all", 0x3000, ConsumerSpec.ALL_SPATIAL_LAYERS);
        Vp9SvcSource source = new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 65_500, 32_760);
        source.startWithKeyframe(fixture, publisher, 12);

        List<byte[]> all = fixture.rtpTo(everything);
        assertThat(all).hasSize(72);
        assertPictures(all, 2);
        List<byte[]> received = fixture.rtpTo(lowest);
        assertThat(received).hasSize(24);
        assertThat(spatialLayers(received)).containsOnly(0);
        assertPictures(received, 0);
        assertThat(ForwardingFixture.wrap(received.get(2)).timestamp()).as("the timestamps of the pictures")
            .isEqualTo(90_000 + Vp9SvcSource.TICKS_PER_PICTURE);
        assertThat(ForwardingFixture.wrap(received.get(0)).payloadType()).isEqualTo(SUBSCRIBER_PAYLOAD_TYPE);

        for (int i = 0; i < 40; i++) {
            source.picture(fixture, publisher, false);
        }
        assertThat(counters.spatialLayer()).isZero();
        assertThat(counters.spatialLayerDrops()).as("as last reported").isGreaterThanOrEqualTo(4 * 30);
        assertThat(counters.temporalLayer()).isEqualTo(2);
    }

    @Test
    void goingDownTakesEffectAtTheNextPicture() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, ConsumerSpec.ALL_SPATIAL_LAYERS);

        List<byte[]> received = SpatialLayerScenarios.goDownWithinAPicture(fixture,
            new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 0), publisher, subscriber);
        assertThat(spatialLayers(received)).as("picture 4 whole, then layer 0 alone")
            .containsExactly(0, 0, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0);
        assertPictures(received.subList(0, 6), 2);
        assertPictures(received.subList(6, received.size()), 0);
        assertThat(fixture.pliSsrcsTo(publisher)).as("no keyframe needed going down").isEmpty();
    }

    @Test
    void goingUpWaitsForAKeyframeItAsksFor() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0);

        List<byte[]> received = SpatialLayerScenarios.goUpAtAKeyframe(fixture,
            new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 0), publisher, subscriber);
        assertThat(fixture.pliSsrcsTo(publisher)).containsExactly(ForwardingFixture.PUBLISHER_SSRC);
        assertThat(spatialLayers(received)).as("layer 0 until the keyframe, then layers 0 and 1")
            .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1);
        assertPictures(received.subList(0, 6), 0);
        assertPictures(received.subList(6, received.size()), 1);
        assertThat(ForwardingFixture.wrap(received.get(6)).sequenceNumber())
            .isEqualTo((ForwardingFixture.wrap(received.get(5)).sequenceNumber() + 1) & 0xFFFF);
    }

    @Test
    void maxHeightChoosesTheTallestSpatialLayerNoTallerFromTheScalabilityStructure() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriberUpTo(400);

        List<byte[]> received = SpatialLayerScenarios.capTheHeight(fixture,
            new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 0), publisher, subscriber);
        assertThat(spatialLayers(received.subList(0, 8))).as("360 px at most")
            .containsExactly(0, 0, 1, 1, 0, 0, 1, 1);
        assertThat(spatialLayers(received.subList(16, received.size()))).as("then 180 px at most")
            .containsExactly(0, 0, 0, 0);
    }

    @Test
    void spatialAndTemporalLayersAreDroppedTogether() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 1, 0, 0, counters);
        Vp9SvcSource source = new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 65_000, 32_700);
        source.startWithKeyframe(fixture, publisher, 16);

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).as("pictures 0, 4, 8 and 12, layers 0 and 1").hasSize(16);
        assertThat(received).allSatisfy(p -> assertThat(Vp9SvcSource.temporalLayerOf(p)).isZero());
        assertThat(spatialLayers(received)).containsOnly(0, 1);
        assertPictures(received, 1);
        for (int i = 16; i < 40; i++) {
            source.picture(fixture, publisher, false);
        }
        assertThat(counters.temporalLayerDrops()).isPositive();
        assertThat(counters.temporalLayer()).isZero();
        assertThat(counters.spatialLayer()).isEqualTo(1);
    }

    @Test
    void aSubscriberWhoseDownlinkCannotTakeEveryLayerGetsTheSpatialLayersThatFit() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriberUpTo(0);
        // at 30 pictures a second: layer 0 about 160 kbit/s, with layer 1 about 360, with layer 2 about 610
        Vp9SvcSource source = started(publisher, 40);
        assertThat(spatialLayers(fixture.rtpTo(subscriber))).as("every layer while nothing is known of the downlink")
            .hasSize(240).contains(2);

        for (long estimateBps : new long[] {450_000, 200_000}) {
            fixture.receiveRtcp(subscriber, buffer -> io.sfu.core.rtcp.Remb.write(buffer, 0, 0x77, estimateBps,
                new int[] {SUBSCRIBER_SSRC}, 1));
            for (int i = 0; i < 20; i++) {
                source.picture(fixture, publisher, false);
            }
            fixture.sent.clear();
            for (int i = 0; i < 8; i++) {
                source.picture(fixture, publisher, false);
            }
            // without the padding of the probes the held-back subscription makes its leg send
            List<byte[]> received = fixture.rtpTo(subscriber).stream()
                .filter(p -> ForwardingFixture.wrap(p).ssrc() == SUBSCRIBER_SSRC).toList();
            int expected = estimateBps > 400_000 ? 1 : 0;
            // the pacer may still hold packets of the pictures before: how many go out within the 8 pictures varies
            assertThat(spatialLayers(received)).as("at %d bit/s", estimateBps).contains(expected)
                .allSatisfy(layer -> assertThat(layer).isLessThanOrEqualTo(expected));
            assertPictures(received, expected);
            assertThat(counters.spatialLayer()).isEqualTo(expected);
        }
    }

    @Test
    void aSubscriberWhoseDownlinkCarriesEveryLayerStaysOnTheTopLayerDecisionAfterDecision() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriberUpTo(0);
        Vp9SvcSource source = started(publisher, 30);
        // about 610 kbit/s arrive: a share of what goes out would not fit them the next time they are measured
        fixture.receiveRtcp(subscriber, buffer -> io.sfu.core.rtcp.Remb.write(buffer, 0, 0x77, 5_000_000,
            new int[] {SUBSCRIBER_SSRC}, 1));
        fixture.nowNs += ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS;
        fixture.sent.clear();
        for (int i = 0; i < 150; i++) {
            source.picture(fixture, publisher, false);
        }

        List<byte[]> received = fixture.rtpTo(subscriber).stream()
            .filter(p -> ForwardingFixture.wrap(p).ssrc() == SUBSCRIBER_SSRC).toList();
        assertThat(received).as("every layer of 150 pictures, over ten decisions").hasSize(150 * 6);
        assertThat(fixture.pliSsrcsTo(publisher)).as("no keyframe asked for to go up again").isEmpty();
        assertThat(counters.spatialLayer()).isEqualTo(2);
    }

    @Test
    void aVp9StreamWithoutSpatialLayersIsForwardedUntouched() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0);
        Vp9SvcSource source = new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 0);
        source.spatialLayers = 0;
        source.startWithKeyframe(fixture, publisher, 6);

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(12);
        for (int i = 0; i < received.size(); i++) {
            RtpPacket rtp = ForwardingFixture.wrap(received.get(i));
            assertThat(rtp.marker()).as("the publisher's marker").isEqualTo(i % 2 == 1);
            assertThat(rtp.sequenceNumber()).isEqualTo(100 + i);
            assertThat(Vp9SvcSource.descriptorOf(received.get(i)).pictureId()).isEqualTo(i / 2);
        }
    }

    @Test
    void aResentPacketEndsItsPictureAsItWasFirstSent() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0);
        Vp9SvcSource source = started(publisher, 4);
        byte[] original = fixture.rtpTo(subscriber).get(3);
        assertThat(ForwardingFixture.wrap(original).marker()).isTrue();
        int[] lost = {ForwardingFixture.wrap(original).sequenceNumber()};
        fixture.sent.clear();

        fixture.receiveRtcp(subscriber, buffer -> GenericNack.write(buffer, 0, 0x77, SUBSCRIBER_SSRC, lost, 1));

        List<byte[]> resent = fixture.rtpTo(subscriber);
        assertThat(resent).hasSize(1);
        RtpPacket rtx = ForwardingFixture.wrap(resent.get(0));
        assertThat(rtx.ssrc()).isEqualTo(SUBSCRIBER_SSRC + 1);
        assertThat(rtx.marker()).as("the end of a picture for this subscriber").isTrue();
    }

    @Test
    void forwardingSpatialLayersAllocatesNothingPerPacket() {
        Peer publisher = Vp9SvcSource.publisher(fixture);
        Peer lowest = subscriber("low", SUBSCRIBER_SSRC, 0, 0, 1, counters);
        subscriber("all", 0x3000, ConsumerSpec.ALL_SPATIAL_LAYERS);
        Vp9SvcSource source = new Vp9SvcSource(ForwardingFixture.PUBLISHER_SSRC, 0, 0);
        source.packetsPerLayerFrame = 1;
        source.picture(fixture, publisher, true);
        assertThat(fixture.rtpTo(lowest)).hasSize(1);
        fixture.capture[0] = false;
        List<Vp9SvcSource.Packet> packets = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            packets.addAll(source.nextPicture(false));
        }
        RtpPacketWriter writer = new RtpPacketWriter();
        int[] next = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            Vp9SvcSource.Packet packet = packets.get(next[0]++ % packets.size());
            fixture.nowNs += 1_000_000L;
            PacketSlot media = fixture.pool.acquire();
            // a sequence and timestamp of their own each round, so that the packets keep coming as new pictures
            int round = next[0] / packets.size();
            int length = writer.wrap(media.buffer(), 0, PacketSlot.CAPACITY).payloadType(Vp9SvcSource.PAYLOAD_TYPE)
                .marker(packet.marker()).sequenceNumber(next[0] & 0xFFFF)
                .timestamp(packet.timestamp() + round * 64 * Vp9SvcSource.TICKS_PER_PICTURE)
                .ssrc(ForwardingFixture.PUBLISHER_SSRC).payload(packet.payload()).length();
            media.data(0, publisher.peerSend.protectRtp(media.buffer(), 0, length)).kind(DatagramKind.RTP.ordinal());
            publisher.leg.onMedia(media);
            fixture.agent.doWork();
        });

        assertThat(bytes).isLessThan(1.0);
        assertThat(fixture.pool.inUse()).isZero();
        fixture.nowNs += ForwardingAgent.REPORT_INTERVAL_NS + ForwardingAgent.TICK_NS;
        fixture.run();
        assertThat(counters.spatialLayerDrops()).as("layers dropped").isPositive();
        assertThat(counters.packets()).as("layer 0 forwarded").isPositive();
    }
}
