package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtcp.TransportCcFeedbackBuilder;
import io.sfu.core.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber's downlink: the SFU numbers what it sends in the subscriber transport's own transport-wide sequence,
 * estimates the downlink from the subscriber's feedback, reports the estimate, and picks the simulcast layer that
 * fits it.
 */
class DownlinkAdaptationTest {
    private static final int[] SSRCS = {0x100, 0x200, 0x300};
    private static final int[] SIZES = {100, 300, 1000};
    private static final int PUBLISHER_TWCC_ID = 5;
    private static final int SUBSCRIBER_TWCC_ID = 3;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final TrackCounters counters = new TrackCounters();
    private final int[] sequences = {1000, 2000, 3000};
    private long timestamp = 90_000;
    private int publisherTransportSequence = 40_000;

    private Peer publisher() {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.extensionIds(publisher.leg, new ReceiveExtensionIds(0, 0, 0, PUBLISHER_TWCC_ID, 0));
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.simulcastSpec("v1", new String[] {"q", "h", "f"},
            SSRCS));
        fixture.run();
        return publisher;
    }

    /** A subscriber that negotiated transport-wide sequence numbers under its own id. */
    private Peer subscriber() {
        return fixture.transportCcSubscriber(PUBLISHER_TWCC_ID, SUBSCRIBER_TWCC_ID, counters);
    }

    /** One frame time (33 ms): a packet on each layer, carrying the publisher's transport-wide number. */
    private void frame(Peer publisher, boolean keyframe) {
        frame(publisher, keyframe, 0);
    }

    /** One frame of each layer from {@code lowest} up (a publisher short of uplink stops its lower ones). */
    private void frame(Peer publisher, boolean keyframe, int lowest) {
        timestamp += 3000;
        fixture.nowNs += 33_000_000L;
        for (int layer = lowest; layer < 3; layer++) {
            int seq = sequences[layer]++;
            int transportSequence = publisherTransportSequence++;
            fixture.receiveRtp(publisher, SSRCS[layer], 96, seq, timestamp,
                ForwardingFixture.vp8Payload(keyframe, SIZES[layer], seq),
                writer -> writer.extension(PUBLISHER_TWCC_ID, new byte[] {(byte) (transportSequence >> 8),
                    (byte) transportSequence}));
        }
    }

    private static int layerOf(byte[] packet) {
        int size = ForwardingFixture.payloadOf(packet).length;
        for (int layer = 0; layer < SIZES.length; layer++) {
            if (SIZES[layer] == size) {
                return layer;
            }
        }
        return -1;
    }

    /** The subscriber's feedback on the numbers it was sent: every {@code lossEvery}-th reported lost. */
    private void feedback(Peer subscriber, List<Integer> numbers, int lossEvery) {
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder(1024, 1200);
        long arrivalUs = fixture.nowNs / 1000;
        for (int i = 0; i < numbers.size(); i++) {
            if (lossEvery == 0 || i % lossEvery != 0) {
                builder.addPacket(numbers.get(i), arrivalUs + i * 1000L);
            }
        }
        fixture.receiveRtcp(subscriber, buffer -> builder.build(buffer, 0, 1200, 0x77, 0x2000, 0));
    }

    /** Two seconds of the top layer, then {@link #reportHalfLost}; the estimate it leaves. */
    private long estimateCutDown(Peer publisher, Peer subscriber) {
        frame(publisher, true);
        for (int i = 0; i < 60; i++) {
            frame(publisher, false);
        }
        reportHalfLost(publisher, subscriber);
        fixture.sent.clear();
        return subscriber.leg.bandwidth.estimateBps();
    }

    /**
     * The layers keep arriving and every 800 ms (24 packets) the subscriber reports half of what it was sent lost,
     * until the estimate is under 150 kbit/s: each report cuts it to three quarters of what the path delivered.
     */
    private void reportHalfLost(Peer publisher, Peer subscriber) {
        for (int round = 0; round < 17 && subscriber.leg.bandwidth.estimateBps() >= 150_000; round++) {
            fixture.sent.clear();
            for (int i = 0; i < 24; i++) {
                frame(publisher, false);
            }
            feedback(subscriber, transportNumbers(fixture.rtpTo(subscriber)), 2);
        }
    }

    private List<Integer> transportNumbers(List<byte[]> packets) {
        List<Integer> numbers = new ArrayList<>();
        for (byte[] packet : packets) {
            numbers.add((int) ForwardingFixture.wrap(packet).extensionValue(SUBSCRIBER_TWCC_ID));
        }
        return numbers;
    }


    @Test
    void whatASubscriberIsSentCarriesItsOwnTransportWideNumbers() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        frame(publisher, true);
        for (int i = 0; i < 4; i++) {
            frame(publisher, false);
        }

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(5);
        List<Integer> numbers = transportNumbers(received);
        for (int i = 1; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(numbers.get(0) + i);
        }
        assertThat(numbers.get(0)).isLessThan(100).as("the publisher's numbers (from 40,000) do not leak through");
    }

    @Test
    void aPacketThatArrivesWithoutTheTransportWideExtensionTakesNoNumber() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        frame(publisher, true);
        // one packet of the top layer without the extension, between two frames with it
        fixture.receiveRtp(publisher, SSRCS[2], 96, sequences[2]++, timestamp,
            ForwardingFixture.vp8Payload(false, SIZES[2], sequences[2]));
        frame(publisher, false);

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).hasSize(3);
        RtpPacket bare = ForwardingFixture.wrap(received.get(1));
        assertThat(bare.findExtension(SUBSCRIBER_TWCC_ID)).isEqualTo(RtpPacket.NOT_FOUND);
        assertThat(transportNumbers(List.of(received.get(2))).get(0))
            .as("the next number after the first packet's: none is skipped, so none reads as lost")
            .isEqualTo(transportNumbers(List.of(received.get(0))).get(0) + 1);
    }

    @Test
    void aShrinkingDownlinkMovesTheSubscriberToTheLayerThatFitsAndTheEstimateIsReported() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        frame(publisher, true);
        for (int i = 0; i < 60; i++) {
            frame(publisher, false);
        }
        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).extracting(DownlinkAdaptationTest::layerOf).containsOnly(2);

        reportHalfLost(publisher, subscriber);
        fixture.sent.clear();
        // the layers keep arriving (their bitrates are what the choice weighs) past a layer decision and a report
        for (int i = 0; i < 35; i++) {
            frame(publisher, false);
        }

        assertThat(counters.downlinkEstimateBps()).isPositive().isLessThan(150_000L);
        assertThat(fixture.pliSsrcsTo(publisher)).as("a keyframe of a lower layer").isNotEmpty()
            .doesNotContain(SSRCS[2]);
        frame(publisher, true);
        frame(publisher, false);
        fixture.drainPacer(subscriber);
        List<byte[]> after = fixture.rtpTo(subscriber);
        assertThat(layerOf(after.get(after.size() - 1))).isLessThan(2);
        RtpPacket last = ForwardingFixture.wrap(after.get(after.size() - 1));
        assertThat(last.ssrc()).isEqualTo(0x2000);
    }

    /** The padding-only packets among {@code packets}: on the retransmission SSRC, no payload. */
    private static List<byte[]> padding(List<byte[]> packets) {
        List<byte[]> padding = new ArrayList<>();
        for (byte[] packet : packets) {
            RtpPacket rtp = ForwardingFixture.wrap(packet);
            if (rtp.ssrc() == 0x2001 && rtp.payloadLength() == 0) {
                padding.add(packet);
            }
        }
        return padding;
    }

    @Test
    void aSubscriberHeldBelowItsLayerIsProbedWithPaddingAndMovesUpOnceThePathCarriesTheProbes() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        long low = estimateCutDown(publisher, subscriber);
        long fellAtNs = fixture.nowNs;
        for (int i = 0; i < 30; i++) {
            frame(publisher, false);
        }
        assertThat(low).isLessThan(150_000L);
        assertThat(subscriber.leg.prober.clustersStarted()).as("no probe while a switch down is pending").isZero();
        frame(publisher, true);
        frame(publisher, false);
        fixture.drainPacer(subscriber);
        assertThat(fixture.rtpTo(subscriber)).as("moved down").last().extracting(DownlinkAdaptationTest::layerOf)
            .isEqualTo(1);
        while (fixture.nowNs - fellAtNs < Prober.FIRST_BACKOFF_NS - 100_000_000L) {
            frame(publisher, false);
        }
        assertThat(subscriber.leg.prober.clustersStarted()).as("no probe within two seconds of the fall").isZero();

        // held on the middle layer, the subscriber's path is probed (padding on its RTX stream, numbered with the
        // media); it reports everything received at once, each probe succeeds, and the estimate climbs in steps
        List<byte[]> padding = new ArrayList<>();
        List<Integer> keyframeRequests = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            fixture.sent.clear();
            for (int i = 0; i < 20; i++) {
                frame(publisher, false);
            }
            keyframeRequests.addAll(fixture.pliSsrcsTo(publisher));
            List<byte[]> sent = fixture.rtpTo(subscriber);
            padding.addAll(padding(sent));
            List<Integer> numbers = transportNumbers(sent);
            for (int i = 1; i < numbers.size(); i++) {
                assertThat(numbers.get(i)).as("one transport-wide sequence")
                    .isEqualTo((numbers.get(0) + i) & 0xFFFF);
            }
            feedback(subscriber, numbers, 0);
        }

        assertThat(padding).isNotEmpty();
        for (byte[] packet : padding) {
            RtpPacket rtp = ForwardingFixture.wrap(packet);
            assertThat(rtp.payloadType()).isEqualTo(101);
            assertThat(rtp.paddingLength()).isEqualTo(Prober.PADDING_BYTES);
        }
        assertThat(subscriber.leg.bandwidth.probesSucceeded()).isPositive();
        assertThat(subscriber.leg.bandwidth.probesFailed()).isZero();
        assertThat(subscriber.leg.bandwidth.estimateBps()).isGreaterThan(low * 3 / 2);
        assertThat(keyframeRequests).as("a keyframe of the top layer").contains(SSRCS[2]);
    }

    @Test
    void aProbeWhosePathDoesNotCarryItBacksOffBeforeTheNext() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        long low = estimateCutDown(publisher, subscriber);
        // no feedback comes: the first probe fails once its time is up, the next waits out the back-off
        for (int i = 0; i < 200; i++) {
            frame(publisher, i % 30 == 0);
        }

        assertThat(subscriber.leg.bandwidth.probesFailed()).isPositive();
        assertThat(subscriber.leg.bandwidth.probesSucceeded()).isZero();
        assertThat(subscriber.leg.bandwidth.estimateBps()).isLessThanOrEqualTo(low);
        // in 6.6 s: the first probe 2 s after the estimate fell, 50 ms of sending, 1.5 s waiting for feedback, 2 s
        // of back-off, the second; the third would wait 4 s more
        assertThat(subscriber.leg.prober.clustersStarted()).isEqualTo(2);
    }

    /** Two seconds on the top layer under a REMB of 5 Mbit/s, the layers from {@code lowest} up arriving. */
    private SimulcastConsumer onTheTopLayer(Peer publisher, Peer subscriber, int lowest) {
        subscriber.leg.bandwidth.onReceiverEstimate(5_000_000);
        for (int i = 0; i < 61; i++) {
            frame(publisher, i % 30 == 0, lowest);
        }
        SimulcastConsumer consumer = (SimulcastConsumer) subscriber.leg.consumers.get(0);
        assertThat(consumer.currentLayer).isEqualTo(2);
        return consumer;
    }

    /** The subscriber's REMB falls to a tenth of what it receives; a tick, then three frames from {@code lowest} up. */
    private void estimateFallsToATenth(Peer publisher, Peer subscriber, SimulcastConsumer consumer, int lowest) {
        subscriber.leg.bandwidth.onReceiverEstimate(consumer.sentBitrateBps(fixture.nowNs) / 10);
        fixture.nowNs += ForwardingAgent.TICK_NS;
        fixture.run();
        fixture.sent.clear();
        for (int i = 0; i < 3; i++) {
            frame(publisher, false, lowest);
        }
    }

    @Test
    void aShareUnderHalfOfWhatIsForwardedStopsTheLayerAtOnceUntilTheLowerLayersKeyframe() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        SimulcastConsumer consumer = onTheTopLayer(publisher, subscriber, 0);
        fixture.drainPacer(subscriber);

        // the path now carries a tenth of the top layer: sending the rest of it would only lose it
        estimateFallsToATenth(publisher, subscriber, consumer, 0);

        assertThat(consumer.congestionCuts()).isEqualTo(1);
        assertThat(fixture.rtpTo(subscriber)).as("nothing until a keyframe of a lower layer").isEmpty();
        frame(publisher, true);
        fixture.drainPacer(subscriber);
        assertThat(fixture.rtpTo(subscriber)).isNotEmpty()
            .allSatisfy(packet -> assertThat(layerOf(packet)).isLessThan(2));
    }

    @Test
    void aLayerIsNotStoppedForALowerOneThePublisherDoesNotSend() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        SimulcastConsumer consumer = onTheTopLayer(publisher, subscriber, 2);

        estimateFallsToATenth(publisher, subscriber, consumer, 2);

        assertThat(consumer.congestionCuts()).as("no keyframe of a lower layer would ever come").isZero();
        fixture.drainPacer(subscriber);
        assertThat(fixture.rtpTo(subscriber)).isNotEmpty().allSatisfy(p -> assertThat(layerOf(p)).isEqualTo(2));
    }

    @Test
    void aFallingEstimateMovesTheSubscriberDownAtOnceRatherThanAtTheNextLayerDecision() {
        Peer publisher = publisher();
        Peer subscriber = subscriber();
        // a subscriber that sends only REMB: its estimate is what it says
        subscriber.leg.bandwidth.onReceiverEstimate(5_000_000);
        for (int i = 0; i < 61; i++) {
            frame(publisher, i % 30 == 0);
        }
        assertThat(layerOf(fixture.rtpTo(subscriber).get(fixture.rtpTo(subscriber).size() - 1))).isEqualTo(2);
        fixture.sent.clear();

        subscriber.leg.bandwidth.onReceiverEstimate(100_000);
        fixture.nowNs += ForwardingAgent.TICK_NS;
        fixture.run();

        assertThat(fixture.pliSsrcsTo(publisher)).as("a keyframe of a lower layer, asked for within a tick")
            .isNotEmpty().doesNotContain(SSRCS[2]);
    }
}
