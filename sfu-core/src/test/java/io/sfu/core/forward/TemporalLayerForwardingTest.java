package io.sfu.core.forward;

import io.sfu.core.buffer.PacketSlot;
import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.net.DatagramKind;
import io.sfu.core.rtcp.GenericNack;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.rtp.RtpPacketWriter;
import io.sfu.core.rtp.codec.Vp8PayloadParser;
import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VP8 temporal layers through the agent with real SRTP: a subscriber receives only the temporal layers it asks for,
 * as one stream whose sequence numbers, picture ids and TL0PICIDX run on without a gap, also across simulcast
 * switches and in what it is sent again.
 */
class TemporalLayerForwardingTest {
    private static final int SUBSCRIBER_SSRC = 0x2000;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final TrackCounters counters = new TrackCounters();

    /** A subscriber of "v1" receiving temporal layers up to {@code maxTemporalLayer}, its counters in {@link #counters}. */
    private Peer subscriber(String id, int ssrc, int maxTemporalLayer, TrackCounters trackCounters) {
        Peer subscriber = fixture.peer(id);
        ConsumerSpec spec = ForwardingFixture.consumerSpec("c-" + id, "v1", ssrc, ssrc + 1);
        fixture.agent.addConsumer(subscriber.leg, new ConsumerSpec(spec.consumerId(), spec.producerTrackId(),
            spec.ssrc(), spec.rtxSsrc(), spec.payloadTypeMap(), spec.rtxPayloadTypeMap(), spec.extensionIdMap(),
            spec.preferredLayer(), trackCounters, maxTemporalLayer));
        fixture.run();
        return subscriber;
    }

    private static List<Integer> layers(List<byte[]> packets) {
        return packets.stream().map(LayeredVp8Source::layerOf).toList();
    }

    /**
     * Checks what a subscriber's decoder needs: sequence numbers one apart, and per frame (a run of packets with one
     * picture id) picture ids one apart, TL0PICIDX one up at each base layer frame and the same otherwise.
     */
    private static void assertContinuous(List<byte[]> packets) {
        RtpPacket previous = null;
        Vp8PayloadParser previousDescriptor = null;
        for (byte[] packet : packets) {
            RtpPacket rtp = ForwardingFixture.wrap(packet);
            Vp8PayloadParser descriptor = LayeredVp8Source.descriptorOf(packet);
            if (previous != null) {
                assertThat(rtp.sequenceNumber()).as("sequence after %d", previous.sequenceNumber())
                    .isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
                int mask = descriptor.pictureIdBits() == 7 ? 0x7F : 0x7FFF;
                if (descriptor.pictureId() != previousDescriptor.pictureId()) {
                    assertThat(descriptor.pictureId()).as("picture id after %d", previousDescriptor.pictureId())
                        .isEqualTo((previousDescriptor.pictureId() + 1) & mask);
                    assertThat(descriptor.tl0PicIdx()).as("TL0PICIDX of a frame of layer %d",
                        descriptor.temporalId()).isEqualTo(descriptor.temporalId() == 0
                            ? (previousDescriptor.tl0PicIdx() + 1) & 0xFF : previousDescriptor.tl0PicIdx());
                }
            }
            previous = rtp;
            previousDescriptor = descriptor;
        }
    }

    @Test
    void aBaseLayerSubscriberGetsEveryFourthFrameNumberedWithoutGaps() {
        Peer publisher = fixture.publisher();
        Peer everything = fixture.subscriber("all", 0x3000);
        Peer base = subscriber("base", SUBSCRIBER_SSRC, 0, counters);
        // picture ids wrap at 15 bits on the way
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 65_500, 32_750, 15, 254);
        source.startWithKeyframe(fixture, publisher, 32);

        List<byte[]> all = fixture.rtpTo(everything);
        assertThat(all).hasSize(64);
        assertThat(LayeredVp8Source.descriptorOf(all.get(2)).pictureId()).as("nothing to renumber").isEqualTo(32_751);
        assertContinuous(all);
        List<byte[]> received = fixture.rtpTo(base);
        assertThat(received).hasSize(16);
        assertThat(layers(received)).containsOnly(0);
        assertContinuous(received);
        assertThat(LayeredVp8Source.descriptorOf(received.get(15)).tl0PicIdx()).as("the publisher's, wrapped")
            .isEqualTo((254 + 7) & 0xFF);
        assertThat(ForwardingFixture.wrap(received.get(2)).timestamp()).as("the timestamps of the frames sent")
            .isEqualTo(90_000 + 4 * LayeredVp8Source.TICKS_PER_FRAME);

        // the stream goes on past a report of the counters
        for (int i = 0; i < 40; i++) {
            source.frame(fixture, publisher, false);
        }
        assertThat(counters.temporalLayer()).isZero();
        assertThat(counters.temporalLayerDrops()).isGreaterThanOrEqualTo(48);
    }

    @Test
    void sevenBitPictureIdsStaySevenBitsWithoutGaps() {
        Peer publisher = fixture.publisher();
        Peer base = subscriber("base", SUBSCRIBER_SSRC, 1, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 1, 100, 7, 0);
        source.startWithKeyframe(fixture, publisher, 80);

        List<byte[]> received = fixture.rtpTo(base);
        assertThat(received).hasSize(80);
        assertThat(layers(received)).containsOnly(0, 1);
        assertThat(received).allSatisfy(p -> assertThat(LayeredVp8Source.descriptorOf(p).pictureIdBits()).isEqualTo(7));
        assertContinuous(received);
    }

    @Test
    void goingUpWaitsForALayerSyncFrameAndGoingDownTakesEffectAtTheNextFrame() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 1000, 15, 10);
        source.startWithKeyframe(fixture, publisher, 10);
        fixture.sent.clear();

        // frames 10 to 19: TL1 sync, TL2, TL0, TL2, TL1, TL2, TL0, TL2 sync, TL1 sync, TL2
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 2);
        fixture.run();
        for (int i = 10; i < 20; i++) {
            source.frame(fixture, publisher, false);
        }
        List<byte[]> up = fixture.rtpTo(subscriber);
        List<Integer> frames = new ArrayList<>();
        for (int i = 0; i < up.size(); i += 2) {
            frames.add(LayeredVp8Source.layerOf(up.get(i)));
        }
        assertThat(frames).as("TL2 only from its sync frame, TL1 from its own").containsExactly(1, 0, 1, 0, 2, 1, 2);

        // frame 20 is TL0; the target falls to the base layer between the two packets of frame 21, a TL2 frame
        source.frame(fixture, publisher, false);
        byte[][] split = source.nextFrame(false);
        fixture.receiveRtp(publisher, source.ssrc, 96, source.sequence, source.timestamp, split[0]);
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 0);
        fixture.run();
        fixture.receiveRtp(publisher, source.ssrc, 96, source.sequence + 1, source.timestamp, split[1]);
        source.sequence += 2;
        source.timestamp += LayeredVp8Source.TICKS_PER_FRAME;
        for (int i = 22; i < 29; i++) {
            source.frame(fixture, publisher, false);
        }

        List<byte[]> all = fixture.rtpTo(subscriber);
        List<Integer> after = layers(all.subList(up.size(), all.size()));
        assertThat(after).as("frame 20 (TL0), frame 21 whole, then only TL0: frames 24 and 28")
            .containsExactly(0, 0, 2, 2, 0, 0, 0, 0);
        assertContinuous(all);
    }

    @Test
    void aSimulcastSwitchContinuesPictureIdsAndTl0PicIdx() {
        int[] ssrcs = {0x100, 0x200};
        Peer publisher = fixture.peer("publisher");
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.simulcastSpec("v1", new String[] {"q", "f"},
            ssrcs));
        fixture.run();
        Peer everything = fixture.subscriber("all", 0x3000);
        Peer base = subscriber("base", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source low = new LayeredVp8Source(ssrcs[0], 5000, 20_000, 15, 90);
        LayeredVp8Source high = new LayeredVp8Source(ssrcs[1], 40_000, 3, 15, 200);
        low.frame(fixture, publisher, true);
        high.frame(fixture, publisher, true);
        for (int i = 1; i < 10; i++) {
            low.frame(fixture, publisher, false);
            high.frame(fixture, publisher, false);
        }
        assertThat(LayeredVp8Source.descriptorOf(fixture.rtpTo(everything).get(0)).pictureId())
            .as("the top layer, at first").isEqualTo(3);

        fixture.agent.setPreferredLayer(everything.leg, "c-all", 0);
        fixture.agent.setPreferredLayer(base.leg, "c-base", 0);
        fixture.run();
        for (int i = 10; i < 13; i++) {
            low.frame(fixture, publisher, false);
            high.frame(fixture, publisher, false);
        }
        low.frame(fixture, publisher, true);
        high.frame(fixture, publisher, false);
        for (int i = 1; i < 8; i++) {
            low.frame(fixture, publisher, false);
            high.frame(fixture, publisher, false);
        }

        for (Peer subscriber : List.of(everything, base)) {
            List<byte[]> received = fixture.rtpTo(subscriber);
            assertContinuous(received);
            Vp8PayloadParser last = LayeredVp8Source.descriptorOf(received.get(received.size() - 1));
            assertThat(last.pictureId()).as("picture ids of the low layer, renumbered").isLessThan(1000);
        }
    }

    @Test
    void aNackedPacketIsResentNumberedAsItWasFirstSent() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 30_000, 15, 1);
        source.startWithKeyframe(fixture, publisher, 12);
        List<byte[]> received = fixture.rtpTo(subscriber);
        byte[] original = received.get(4);
        int[] lost = {ForwardingFixture.wrap(original).sequenceNumber(), 0};
        // and a number the subscriber never received: beyond the last one sent
        lost[1] = (ForwardingFixture.wrap(received.get(received.size() - 1)).sequenceNumber() + 1) & 0xFFFF;
        fixture.sent.clear();

        fixture.receiveRtcp(subscriber, buffer -> GenericNack.write(buffer, 0, 0x77, SUBSCRIBER_SSRC, lost, 2));

        List<byte[]> resent = fixture.rtpTo(subscriber);
        assertThat(resent).hasSize(1);
        RtpPacket rtx = ForwardingFixture.wrap(resent.get(0));
        assertThat(rtx.ssrc()).isEqualTo(SUBSCRIBER_SSRC + 1);
        byte[] rtxPayload = ForwardingFixture.payloadOf(resent.get(0));
        assertThat(((rtxPayload[0] & 0xFF) << 8) | (rtxPayload[1] & 0xFF)).as("OSN").isEqualTo(lost[0]);
        assertThat(Arrays.copyOfRange(rtxPayload, 2, rtxPayload.length))
            .isEqualTo(ForwardingFixture.payloadOf(original));
    }

    @Test
    void aPacketThatComesLateTakesTheNumberKeptForIt() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 500, 15, 1);
        source.startWithKeyframe(fixture, publisher, 4);
        // the TL0 frame 4 and the TL2 frame 5: the second packet of frame 4 comes after frame 5
        byte[][] base = source.nextFrame(false);
        byte[][] top = source.nextFrame(false);
        int first = source.sequence;
        fixture.receiveRtp(publisher, source.ssrc, 96, first, source.timestamp, base[0]);
        fixture.receiveRtp(publisher, source.ssrc, 96, first + 2, source.timestamp + 3000, top[0]);
        fixture.receiveRtp(publisher, source.ssrc, 96, first + 3, source.timestamp + 3000, top[1]);
        fixture.receiveRtp(publisher, source.ssrc, 96, first + 1, source.timestamp, base[1]);
        source.sequence += 4;
        source.timestamp += 6000;
        for (int i = 6; i <= 8; i++) {
            source.frame(fixture, publisher, false);
        }

        // frames 0, 4 and 8, in the order they arrived
        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(6);
        int[] sequences = received.stream().mapToInt(p -> ForwardingFixture.wrap(p).sequenceNumber()).toArray();
        int start = sequences[0];
        assertThat(sequences).containsExactly(start, start + 1, start + 2, start + 3, start + 4, start + 5);
        assertThat(LayeredVp8Source.descriptorOf(received.get(3)).pictureId())
            .isEqualTo(LayeredVp8Source.descriptorOf(received.get(2)).pictureId());
    }

    @Test
    void forwardingAndResendingWithDroppedLayersAllocatesNothingPerPacket() {
        Peer publisher = fixture.publisher();
        subscriber("all", 0x3000, ConsumerSpec.ALL_TEMPORAL_LAYERS, new TrackCounters());
        Peer base = subscriber("base", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 0, 0, 15, 0);
        source.packetsPerFrame = 1;
        source.frame(fixture, publisher, true);
        int firstOut = ForwardingFixture.wrap(fixture.rtpTo(base).get(0)).sequenceNumber();
        fixture.capture[0] = false;
        byte[] payload = LayeredVp8Source.payload(false, true, 0, 15, 0, 0, false, 600, 1);
        RtpPacketWriter writer = new RtpPacketWriter();
        int[] lost = new int[1];
        int[] frame = {0};
        int[] tl0 = {0};

        double bytes = Allocations.bytesPerRun(() -> {
            int n = ++frame[0];
            int temporalId = LayeredVp8Source.PATTERN[n % 4];
            if (temporalId == 0) {
                tl0[0]++;
            }
            payload[2] = (byte) (0x80 | (n >>> 8) & 0x7F);
            payload[3] = (byte) n;
            payload[4] = (byte) tl0[0];
            payload[5] = (byte) (temporalId << 6 | (n % 8 == 1 || n % 8 == 2 ? 0x20 : 0));
            fixture.nowNs += 1_000_000L;
            PacketSlot media = fixture.pool.acquire();
            int length = writer.wrap(media.buffer(), 0, PacketSlot.CAPACITY).payloadType(96).sequenceNumber(n & 0xFFFF)
                .timestamp(3000L * n).ssrc(ForwardingFixture.PUBLISHER_SSRC).payload(payload).length();
            media.data(0, publisher.peerSend.protectRtp(media.buffer(), 0, length)).kind(DatagramKind.RTP.ordinal());
            publisher.leg.onMedia(media);
            // the base-layer subscriber asks again for the last base layer packet it was sent
            lost[0] = (firstOut + tl0[0]) & 0xFFFF;
            PacketSlot rtcp = fixture.pool.acquire();
            int nackLength = GenericNack.write(rtcp.buffer(), 0, 0x77, SUBSCRIBER_SSRC, lost, 1);
            rtcp.data(0, base.peerSend.protectRtcp(rtcp.buffer(), 0, nackLength)).kind(DatagramKind.RTCP.ordinal());
            base.leg.onMedia(rtcp);
            fixture.agent.doWork();
        });

        assertThat(bytes).isLessThan(1.0);
        assertThat(fixture.pool.inUse()).isZero();
        fixture.nowNs += ForwardingAgent.REPORT_INTERVAL_NS + ForwardingAgent.TICK_NS;
        fixture.run();
        assertThat(counters.retransmitted()).as("NACKs answered").isPositive();
        assertThat(counters.temporalLayerDrops()).as("layers dropped").isPositive();
    }

    /** A publisher that negotiated the dependency descriptor under {@code id}, sending the track "v1". */
    private Peer publisherWithDependencyDescriptor(int id) {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, 0, 0, id));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC,
            ForwardingFixture.PUBLISHER_RTX_SSRC));
        fixture.run();
        return publisher;
    }

    private static void assertSequencesContinuous(List<byte[]> packets) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(ForwardingFixture.wrap(packets.get(i)).sequenceNumber())
                .isEqualTo((ForwardingFixture.wrap(packets.get(i - 1)).sequenceNumber() + 1) & 0xFFFF);
        }
    }

    @Test
    void layersOnlyTheDependencyDescriptorTellsAreSelectedAlikeAndGoUpAtItsSwitchPoints() {
        Peer publisher = publisherWithDependencyDescriptor(7);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 65_000, 0, 15, 0);
        source.dependencyDescriptorId = 7;
        source.startWithKeyframe(fixture, publisher, 16);
        assertThat(layers(fixture.rtpTo(subscriber))).as("frames 0, 4, 8 and 12").hasSize(8).containsOnly(0);

        // frame 16 is the TL0 frame "SSS", 17 TL2 "--D", 18 TL1 "-SS", 19 TL2, 20 TL0 "SRR", 21 TL2, 22 TL1 "-DS"
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 2);
        fixture.run();
        source.frame(fixture, publisher, false);
        source.frame(fixture, publisher, false);
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 0);
        fixture.run();
        source.frame(fixture, publisher, false);
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 2);
        fixture.run();
        for (int i = 19; i < 23; i++) {
            source.frame(fixture, publisher, false);
        }

        List<byte[]> received = fixture.rtpTo(subscriber);
        List<Integer> frames = new ArrayList<>();
        for (int i = 8; i < received.size(); i += 2) {
            frames.add(LayeredVp8Source.layerOf(received.get(i)));
        }
        assertThat(frames).as("frames 16 and 17 (up at once), 20 (down at 18, TL2 not up at 19) and 22, a switch point"
            + " of TL1 and TL2").containsExactly(0, 2, 0, 1);
        assertSequencesContinuous(received);
        assertThat(received).allSatisfy(p -> assertThat(ForwardingFixture.wrap(p).findExtension(7))
            .as("the descriptor is not forwarded to a subscriber who did not negotiate it")
            .isEqualTo(RtpPacket.NOT_FOUND));
    }

    @Test
    void aLatePacketOfAFrameNotForwardedIsSentAsPaddingInTheNumberKeptForIt() {
        Peer publisher = publisherWithDependencyDescriptor(7);
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, 0, counters);
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 0, 15, 0);
        source.dependencyDescriptorId = 7;
        // the second packet of frame 1 (TL2) is lost, and comes again after frame 4 (TL0)
        source.losing = sequence -> sequence == 103;
        for (int i = 0; i <= 4; i++) {
            source.frame(fixture, publisher, i == 0);
        }
        source.resendLost();

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(5);
        byte[] padding = received.get(4);
        RtpPacket filler = ForwardingFixture.wrap(padding);
        assertThat(filler.payloadLength()).as("padding alone").isZero();
        assertThat(filler.ssrc()).isEqualTo(SUBSCRIBER_SSRC);
        assertThat(received.stream().mapToInt(p -> ForwardingFixture.wrap(p).sequenceNumber()).sorted().toArray())
            .as("every number in a row: frames 0 and 4, and the padding in the gap between them")
            .containsExactly(100, 101, 102, 103, 104);
        assertThat(filler.sequenceNumber()).isEqualTo(102);
    }

    @Test
    void theHighestTemporalLayerAskedForOutlivesARenegotiationOfThePublishedTrack() {
        Peer publisher = fixture.publisher();
        Peer subscriber = subscriber("s", SUBSCRIBER_SSRC, ConsumerSpec.ALL_TEMPORAL_LAYERS, counters);
        fixture.agent.setMaxTemporalLayer(subscriber.leg, "c-s", 0);
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.videoSpec("v1", ForwardingFixture.PUBLISHER_SSRC,
            ForwardingFixture.PUBLISHER_RTX_SSRC));
        fixture.run();
        LayeredVp8Source source = new LayeredVp8Source(ForwardingFixture.PUBLISHER_SSRC, 100, 0, 15, 0);
        source.startWithKeyframe(fixture, publisher, 8);

        assertThat(layers(fixture.rtpTo(subscriber))).containsExactly(0, 0, 0, 0);
    }
}
