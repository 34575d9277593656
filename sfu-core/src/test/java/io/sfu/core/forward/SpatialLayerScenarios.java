package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;

import java.util.Arrays;
import java.util.List;

/**
 * The spatial-layer switches the VP9 and the dependency-descriptor tests both play on a track "v1" with spatial
 * layers (whatever tells them): each returns what the subscriber received, for the caller to check as its stream
 * allows.
 */
final class SpatialLayerScenarios {
    static final int SUBSCRIBER_SSRC = 0x2000;
    static final int SUBSCRIBER_PAYLOAD_TYPE = 110;

    private SpatialLayerScenarios() {
    }

    /**
     * A subscriber of "v1" (consumer "c-" + id), published under {@code payloadType}, receiving spatial layers up to
     * {@code maxSpatialLayer} (or the highest no taller than a positive {@code maxHeight}) and temporal layers up to
     * {@code maxTemporalLayer}.
     */
    static Peer subscriber(ForwardingFixture fixture, int payloadType, String id, int ssrc, int maxSpatialLayer,
                           int maxHeight, int maxTemporalLayer, TrackCounters counters) {
        Peer subscriber = fixture.peer(id);
        int[] payloadTypes = new int[128];
        Arrays.fill(payloadTypes, -1);
        payloadTypes[payloadType] = SUBSCRIBER_PAYLOAD_TYPE;
        int[] rtx = new int[128];
        Arrays.fill(rtx, -1);
        rtx[SUBSCRIBER_PAYLOAD_TYPE] = SUBSCRIBER_PAYLOAD_TYPE + 1;
        fixture.agent.addConsumer(subscriber.leg, new ConsumerSpec("c-" + id, "v1", ssrc, ssrc + 1, payloadTypes,
            rtx, new int[256], Integer.MAX_VALUE, counters, maxTemporalLayer, maxSpatialLayer, maxHeight));
        fixture.run();
        return subscriber;
    }

    /**
     * After four pictures, a subscriber "c-s" of every layer falls to layer 0 between the first layer frame of picture
     * 4 and the rest of it; pictures 5 to 7 follow.
     */
    static <P> List<byte[]> goDownWithinAPicture(ForwardingFixture fixture, SvcSource<P> source, Peer publisher,
                                                 Peer subscriber) {
        source.startWithKeyframe(fixture, publisher, 4);
        fixture.sent.clear();
        List<P> picture = source.nextPicture(false);
        source.send(fixture, publisher, picture.get(0));
        source.send(fixture, publisher, picture.get(1));
        fixture.agent.setMaxSpatialLayer(subscriber.leg, "c-s", 0, 0);
        fixture.run();
        picture.subList(2, picture.size()).forEach(packet -> source.send(fixture, publisher, packet));
        for (int i = 5; i < 8; i++) {
            source.picture(fixture, publisher, false);
        }
        return fixture.rtpTo(subscriber);
    }

    /**
     * After four pictures, a subscriber "c-s" of layer 0 asks for layer 1 (the keyframe request it makes is in what
     * the publisher received); three delta pictures, a keyframe and one more follow.
     */
    static <P> List<byte[]> goUpAtAKeyframe(ForwardingFixture fixture, SvcSource<P> source, Peer publisher,
                                            Peer subscriber) {
        source.startWithKeyframe(fixture, publisher, 4);
        // past the throttle of the keyframe request the subscription started with
        fixture.nowNs += ForwardingAgent.DEFAULT_KEYFRAME_INTERVAL_NS;
        fixture.sent.clear();
        fixture.agent.setMaxSpatialLayer(subscriber.leg, "c-s", 1, 0);
        fixture.run();
        for (int i = 0; i < 3; i++) {
            source.picture(fixture, publisher, false);
        }
        source.picture(fixture, publisher, true);
        source.picture(fixture, publisher, false);
        return fixture.rtpTo(subscriber);
    }

    /** After four pictures, a subscriber "c-s" asks for a maxHeight of 180; two pictures follow. */
    static <P> List<byte[]> capTheHeight(ForwardingFixture fixture, SvcSource<P> source, Peer publisher,
                                         Peer subscriber) {
        source.startWithKeyframe(fixture, publisher, 4);
        fixture.agent.setMaxSpatialLayer(subscriber.leg, "c-s", ConsumerSpec.ALL_SPATIAL_LAYERS, 180);
        fixture.run();
        for (int i = 0; i < 2; i++) {
            source.picture(fixture, publisher, false);
        }
        return fixture.rtpTo(subscriber);
    }

    /** {@code source} after it sent a keyframe picture and {@code pictures - 1} more. */
    static <S extends SvcSource<?>> S started(ForwardingFixture fixture, Peer publisher, S source, int pictures) {
        source.startWithKeyframe(fixture, publisher, pictures);
        return source;
    }

    /** The spatial layer of each packet a subscriber received, from its size (see {@link Vp9SvcSource#sizeOf}). */
    static List<Integer> spatialLayers(List<byte[]> packets) {
        return packets.stream().map(Vp9SvcSource::spatialLayerOf).toList();
    }
}
