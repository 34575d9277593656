package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;

import java.util.List;

/**
 * A test stream with spatial layers on one SSRC (VP9 or AV1 SVC) sent picture by picture to the fixture's agent:
 * {@code P} is what one of its packets is before it is sent.
 */
interface SvcSource<P> {
    /** The packets of the next picture (numbers advanced), without sending them. */
    List<P> nextPicture(boolean keyframe);

    /** Sends one packet to the agent as the publisher. */
    void send(ForwardingFixture fixture, Peer publisher, P packet);

    /** Sends the next picture to the agent, advancing the clock by a picture interval. */
    default void picture(ForwardingFixture fixture, Peer publisher, boolean keyframe) {
        fixture.nowNs += LayeredVp8Source.FRAME_NS;
        for (P packet : nextPicture(keyframe)) {
            send(fixture, publisher, packet);
        }
    }

    /** Sends a keyframe picture and then {@code count - 1} delta pictures. */
    default void startWithKeyframe(ForwardingFixture fixture, Peer publisher, int count) {
        for (int i = 0; i < count; i++) {
            picture(fixture, publisher, i == 0);
        }
    }
}
