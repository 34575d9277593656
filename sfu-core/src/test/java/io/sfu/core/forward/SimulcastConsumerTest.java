package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import io.sfu.core.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulcast subscriber receives one encoding at a time and moves between them at keyframes. */
class SimulcastConsumerTest {
    private static final int[] SSRCS = {0x100, 0x200, 0x300};

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final int[] sequences = {1000, 2000, 3000};
    private long timestamp = 90_000;

    private Peer publisher() {
        Peer publisher = fixture.peer("publisher");
        fixture.agent.addProducer(publisher.leg, ForwardingFixture.simulcastSpec("v1", new String[] {"q", "h", "f"},
            SSRCS));
        fixture.run();
        return publisher;
    }

    /** One frame time: a packet on each listed layer, each layer in its own sequence space. */
    private void frame(Peer publisher, boolean keyframe, int... layers) {
        timestamp += 3000;
        fixture.nowNs += 33_000_000L;
        for (int layer : layers) {
            int seq = sequences[layer]++;
            fixture.receiveRtp(publisher, SSRCS[layer], 96, seq, timestamp, payload(keyframe, layer, seq));
        }
    }

    private static byte[] payload(boolean keyframe, int layer, int seq) {
        return ForwardingFixture.vp8Payload(keyframe, 100 + layer, seq);
    }

    private static int layerOf(byte[] packet) {
        return ForwardingFixture.payloadOf(packet).length - 100;
    }


    @Test
    void theSubscriberGetsTheTopLayerAndMovesDownAtAKeyframeOfTheLayerItPrefers() {
        Peer publisher = publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        frame(publisher, true, 0, 1, 2);
        frame(publisher, false, 0, 1, 2);
        assertThat(fixture.rtpTo(subscriber)).extracting(SimulcastConsumerTest::layerOf).containsExactly(2, 2);

        fixture.sent.clear();
        fixture.nowNs += Producer.ENCODER_REQUEST_GAP_NS;
        fixture.agent.setPreferredLayer(subscriber.leg, "c-s", 0);
        fixture.run();
        assertThat(fixture.pliSsrcsTo(publisher)).containsExactly(SSRCS[0]);
        frame(publisher, false, 0, 1, 2);
        frame(publisher, true, 0, 1, 2);
        frame(publisher, false, 0, 1, 2);

        List<byte[]> received = fixture.rtpTo(subscriber);
        assertThat(received).extracting(SimulcastConsumerTest::layerOf).containsExactly(2, 0, 0);
        RtpPacket lastTop = ForwardingFixture.wrap(received.get(0));
        RtpPacket firstLow = ForwardingFixture.wrap(received.get(1));
        assertThat(firstLow.ssrc()).isEqualTo(0x2000);
        assertThat(firstLow.sequenceNumber()).isEqualTo((lastTop.sequenceNumber() + 1) & 0xFFFF);
        assertThat(firstLow.timestamp() - lastTop.timestamp()).as("the timestamp moves on").isPositive();
    }

    /**
     * libwebrtc's encoder ignores a keyframe request within 300 ms of the one before, whatever its encoding: a
     * request for another encoding waits out the gap instead of being lost, and goes out on the agent's next tick.
     */
    @Test
    void aKeyframeRequestForAnotherEncodingSoonAfterOneWaitsOutTheEncodersGap() {
        Peer publisher = publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        assertThat(fixture.pliSsrcsTo(publisher)).as("the request the subscriber starts at").containsExactly(SSRCS[2]);
        frame(publisher, true, 0, 1, 2);

        fixture.sent.clear();
        fixture.agent.setPreferredLayer(subscriber.leg, "c-s", 0);
        fixture.run();
        assertThat(fixture.pliSsrcsTo(publisher)).as("within the gap").isEmpty();
        fixture.nowNs += Producer.ENCODER_REQUEST_GAP_NS - 33_000_000L - ForwardingAgent.TICK_NS;
        fixture.run();
        assertThat(fixture.pliSsrcsTo(publisher)).as("just before the gap ends").isEmpty();
        fixture.nowNs += ForwardingAgent.TICK_NS;
        fixture.run();
        assertThat(fixture.pliSsrcsTo(publisher)).as("once it has passed").containsExactly(SSRCS[0]);

        frame(publisher, true, 0, 1, 2);
        assertThat(fixture.rtpTo(subscriber)).extracting(SimulcastConsumerTest::layerOf).containsExactly(0);
    }

    @Test
    void whenTheTopLayerStopsArrivingTheSubscriberFallsBackToTheHighestThatDoes() {
        Peer publisher = publisher();
        Peer subscriber = fixture.subscriber("s", 0x2000);
        frame(publisher, true, 0, 1, 2);
        // the publisher's uplink shrinks: its top encoding stops for longer than the active window
        for (int i = 0; i < 60; i++) {
            frame(publisher, false, 0, 1);
        }
        fixture.sent.clear();
        fixture.nowNs += ForwardingAgent.LAYER_INTERVAL_NS;
        fixture.run();

        assertThat(fixture.pliSsrcsTo(publisher)).contains(SSRCS[1]);
        frame(publisher, true, 0, 1);
        assertThat(fixture.rtpTo(subscriber)).extracting(SimulcastConsumerTest::layerOf).containsExactly(1);
    }
}
