package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtp.DependencyDescriptor;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.sfu.core.forward.SpatialLayerScenarios.spatialLayers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spatial layers told by the dependency descriptor alone (an AV1 L3T3 stream whose payloads are random bytes, as an
 * end-to-end encrypted one reads) through the agent with real SRTP: a subscriber receives the layers it asks for, each
 * picture ending with the marker bit on the last packet of its highest layer, its sequence numbers without a gap; it
 * goes down at the next picture and up at a keyframe it asks for.
 */
class DependencyDescriptorSpatialLayerTest {
    private static final int SUBSCRIBER_SSRC = SpatialLayerScenarios.SUBSCRIBER_SSRC;
    private static final int SUBSCRIBER_DESCRIPTOR_ID = 4;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final TrackCounters counters = new TrackCounters();

    /** A subscriber of the AV1 track "v1" of every temporal layer: see {@link SpatialLayerScenarios#subscriber}. */
    private Peer subscriber(String id, int ssrc, int maxSpatialLayer, int maxHeight, TrackCounters trackCounters) {
        return SpatialLayerScenarios.subscriber(fixture, Av1SvcSource.PAYLOAD_TYPE, id, ssrc, maxSpatialLayer,
            maxHeight, ConsumerSpec.ALL_TEMPORAL_LAYERS, trackCounters);
    }

    private Peer subscriber(int maxSpatialLayer) {
        return subscriber("s", SUBSCRIBER_SSRC, maxSpatialLayer, 0, counters);
    }

    private Av1SvcSource started(Peer publisher, int pictures) {
        Av1SvcSource source = new Av1SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 1);
        return SpatialLayerScenarios.started(fixture, publisher, source, pictures);
    }

    /**
     * Checks what a subscriber's receiver needs: sequence numbers one apart, and the marker bit exactly on the last
     * packet of each picture (a run of packets with one timestamp), a packet of layer {@code topLayer}.
     */
    private static void assertPictures(List<byte[]> packets, int topLayer) {
        for (int i = 0; i < packets.size(); i++) {
            RtpPacket rtp = ForwardingFixture.wrap(packets.get(i));
            boolean last = i == packets.size() - 1 || ForwardingFixture.wrap(packets.get(i + 1)).timestamp()
                != rtp.timestamp();
            assertThat(rtp.marker()).as("marker of %d", rtp.sequenceNumber()).isEqualTo(last);
            if (last) {
                assertThat(Vp9SvcSource.spatialLayerOf(packets.get(i))).as("the layer %d ends", rtp.sequenceNumber())
                    .isEqualTo(topLayer);
            }
            if (i > 0) {
                assertThat(rtp.sequenceNumber()).as("sequence after packet %d", i - 1)
                    .isEqualTo((ForwardingFixture.wrap(packets.get(i - 1)).sequenceNumber() + 1) & 0xFFFF);
            }
        }
    }

    @Test
    void aSubscriberOfTheLowestLayerGetsItsFramesAloneEachMarkedAtItsEndWhateverThePayloadReads() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        // the lowest layer's consumer comes first: had it marked the shared packet, the other would see it
        Peer lowest = subscriber(0);
        Peer everything = subscriber("all", 0x3000, ConsumerSpec.ALL_SPATIAL_LAYERS, 0, new TrackCounters());
        Av1SvcSource source = new Av1SvcSource(ForwardingFixture.PUBLISHER_SSRC, 65_500, 65_530);
        source.startWithKeyframe(fixture, publisher, 12);

        List<byte[]> all = fixture.rtpTo(everything);
        assertThat(all).hasSize(72);
        assertPictures(all, 2);
        List<byte[]> received = fixture.rtpTo(lowest);
        assertThat(received).hasSize(24);
        assertThat(spatialLayers(received)).containsOnly(0);
        assertPictures(received, 0);
        assertThat(ForwardingFixture.wrap(received.get(0)).payloadType())
            .isEqualTo(SpatialLayerScenarios.SUBSCRIBER_PAYLOAD_TYPE);

        for (int i = 0; i < 40; i++) {
            source.picture(fixture, publisher, false);
        }
        assertThat(counters.spatialLayer()).isZero();
        assertThat(counters.spatialLayerDrops()).as("as last reported").isGreaterThanOrEqualTo(4 * 30);
        assertThat(counters.temporalLayer()).isEqualTo(2);
    }

    @Test
    void goingDownTakesEffectAtTheNextPicture() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        Peer subscriber = subscriber(ConsumerSpec.ALL_SPATIAL_LAYERS);

        List<byte[]> received = SpatialLayerScenarios.goDownWithinAPicture(fixture,
            new Av1SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 1), publisher, subscriber);
        assertThat(spatialLayers(received)).as("picture 4 whole, then layer 0 alone")
            .containsExactly(0, 0, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0);
        assertPictures(received.subList(0, 6), 2);
        assertPictures(received.subList(6, received.size()), 0);
        assertThat(fixture.pliSsrcsTo(publisher)).as("no keyframe needed going down").isEmpty();
    }

    @Test
    void goingUpWaitsForAKeyframeItAsksFor() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        Peer subscriber = subscriber(0);

        List<byte[]> received = SpatialLayerScenarios.goUpAtAKeyframe(fixture,
            new Av1SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 1), publisher, subscriber);
        assertThat(fixture.pliSsrcsTo(publisher)).containsExactly(ForwardingFixture.PUBLISHER_SSRC);
        assertThat(spatialLayers(received)).as("layer 0 until the keyframe, then layers 0 and 1")
            .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1);
        assertPictures(received.subList(0, 6), 0);
        assertPictures(received.subList(6, received.size()), 1);
        assertThat(ForwardingFixture.wrap(received.get(6)).sequenceNumber())
            .isEqualTo((ForwardingFixture.wrap(received.get(5)).sequenceNumber() + 1) & 0xFFFF);
    }

    @Test
    void maxHeightChoosesTheTallestSpatialLayerNoTallerFromTheStructuresResolutions() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, ConsumerSpec.ALL_SPATIAL_LAYERS, 400, counters);

        List<byte[]> received = SpatialLayerScenarios.capTheHeight(fixture,
            new Av1SvcSource(ForwardingFixture.PUBLISHER_SSRC, 100, 1), publisher, subscriber);
        assertThat(spatialLayers(received.subList(0, 8))).as("360 px at most")
            .containsExactly(0, 0, 1, 1, 0, 0, 1, 1);
        assertThat(spatialLayers(received.subList(16, received.size()))).as("then 180 px at most")
            .containsExactly(0, 0, 0, 0);
    }

    @Test
    void temporalLayersOfEachSpatialLayerAreDroppedByTheDescriptorToo() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 1, 0, counters);
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 0);
        fixture.run();
        started(publisher, 16);

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).as("pictures 0, 4, 8 and 12, layers 0 and 1").hasSize(16);
        assertThat(received).allSatisfy(p -> assertThat(Vp9SvcSource.temporalLayerOf(p)).isZero());
        assertThat(spatialLayers(received)).containsOnly(0, 1);
        assertPictures(received, 1);
    }

    @Test
    void aResentPacketEndsItsPictureAsItWasFirstSent() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        Peer subscriber = subscriber(0);
        started(publisher, 4);
        byte[] original = fixture.rtpTo(subscriber).get(3);
        assertThat(ForwardingFixture.wrap(original).marker()).isTrue();
        int[] lost = {ForwardingFixture.wrap(fixture.rtpTo(subscriber).get(2)).sequenceNumber(),
            ForwardingFixture.wrap(original).sequenceNumber()};
        fixture.sent.clear();

        fixture.receiveRtcp(subscriber, buffer -> GenericNack.write(buffer, 0, 0x77, SUBSCRIBER_SSRC, lost, 2));

        List<byte[]> resent = fixture.rtpTo(subscriber);
        assertThat(resent).hasSize(2);
        assertThat(resent).allSatisfy(p -> assertThat(ForwardingFixture.wrap(p).ssrc()).isEqualTo(SUBSCRIBER_SSRC + 1));
        assertThat(resent.stream().map(p -> ForwardingFixture.wrap(p).marker()).toList())
            .as("the packet before the end of a picture for this subscriber, and its end").containsExactly(false, true);
    }

    @Test
    void forwardingByTheDescriptorAllocatesNothingPerPacket() {
        Peer publisher = Av1SvcSource.publisher(fixture);
        Peer lowest = subscriber("low", SUBSCRIBER_SSRC, 0, 0, counters);
        subscriber("all", 0x3000, ConsumerSpec.ALL_SPATIAL_LAYERS, 0, new TrackCounters());
        Av1SvcSource source = new Av1SvcSource(ForwardingFixture.PUBLISHER_SSRC, 0, 0);
        source.packetsPerLayerFrame = 1;
        source.picture(fixture, publisher, true);
        assertThat(fixture.rtpTo(lowest)).hasSize(1);
        fixture.capture[0] = false;
        List<Av1SvcSource.Packet> packets = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            packets.addAll(source.nextPicture(false));
        }
        int[] frameNumbers = packets.stream().mapToInt(p -> (p.descriptor()[1] & 0xFF) << 8 | p.descriptor()[2] & 0xFF)
            .toArray();
        RtpPacketWriter writer = new RtpPacketWriter();
        int[] next = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            int count = next[0]++;
            int index = count % packets.size();
            Av1SvcSource.Packet packet = packets.get(index);
            fixture.nowNs += 1_000_000L;
            PacketSlot media = fixture.pool.acquire();
            // a sequence, timestamp and frame number of their own each round, so the pictures keep coming as new
            int round = count / packets.size();
            byte[] descriptor = packet.descriptor();
            int frameNumber = frameNumbers[index] + round * packets.size();
            descriptor[1] = (byte) (frameNumber >>> 8);
            descriptor[2] = (byte) frameNumber;
            int length = writer.wrap(media.buffer(), 0, PacketSlot.CAPACITY).payloadType(Av1SvcSource.PAYLOAD_TYPE)
                .marker(packet.marker()).sequenceNumber(count & 0xFFFF)
                .timestamp(packet.timestamp() + round * 64 * Vp9SvcSource.TICKS_PER_PICTURE)
                .ssrc(ForwardingFixture.PUBLISHER_SSRC).twoByteExtensions()
                .extension(Av1SvcSource.DESCRIPTOR_ID, descriptor).payload(packet.payload()).length();
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

    @Test
    void aSubscriberWhoNegotiatedTheDescriptorGetsItsFrameNumbersGoingOnAcrossASimulcastSwitch() {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, 0, 0, Av1SvcSource.DESCRIPTOR_ID));
        fixture.agent.addProducer(publisher.leg, new ProducerSpec("v1", "pub-v1", "room", "1", true, 90_000,
            List.of(new ProducerSpec.Codec(Av1SvcSource.PAYLOAD_TYPE, "AV1", -1)),
            List.of(new ProducerSpec.Encoding("q", 0x1111, 0), new ProducerSpec.Encoding("f", 0x2222, 0)), true, true,
            true, false, new TrackCounters()));
        Peer subscriber = fixture.peer("s");
        int[] payloadTypes = new int[128];
        Arrays.fill(payloadTypes, -1);
        payloadTypes[Av1SvcSource.PAYLOAD_TYPE] = SpatialLayerScenarios.SUBSCRIBER_PAYLOAD_TYPE;
        int[] rtx = new int[128];
        Arrays.fill(rtx, -1);
        int[] extensions = new int[256];
        extensions[Av1SvcSource.DESCRIPTOR_ID] = SUBSCRIBER_DESCRIPTOR_ID;
        fixture.agent.addConsumer(subscriber.leg, new ConsumerSpec("c-s", "v1", SUBSCRIBER_SSRC, 0, payloadTypes, rtx,
            extensions, 0, counters));
        fixture.run();
        // the two encodings number their frames far apart, the upper one lower
        Av1SvcSource low = new Av1SvcSource(0x1111, 100, 60_000);
        Av1SvcSource high = new Av1SvcSource(0x2222, 5_000, 40);
        for (int i = 0; i < 3; i++) {
            low.picture(fixture, publisher, i == 0);
            high.picture(fixture, publisher, i == 0);
        }
        fixture.agent.setPreferredLayer(subscriber.leg, "c-s", 1);
        fixture.run();
        for (int i = 0; i < 3; i++) {
            low.picture(fixture, publisher, false);
            high.picture(fixture, publisher, i == 0);
        }

        List<Integer> frames = new ArrayList<>();
        for (byte[] packet : fixture.rtpTo(subscriber)) {
            RtpPacket rtp = ForwardingFixture.wrap(packet);
            long found = rtp.findExtension(SUBSCRIBER_DESCRIPTOR_ID);
            assertThat(found).as("the descriptor, under the subscriber's id").isNotEqualTo(RtpPacket.NOT_FOUND);
            int number = DependencyDescriptor.frameNumber(rtp.buffer(), RtpPacket.valueOffset(found));
            if (frames.isEmpty() || frames.get(frames.size() - 1) != number) {
                frames.add(number);
            }
        }
        assertThat(frames).as("four pictures of three layer frames from the lower encoding (the last while the"
            + " upper one's keyframe was awaited), three from the upper one, numbered on")
            .isEqualTo(java.util.stream.IntStream.range(60_000, 60_021).boxed().toList());
    }
}
