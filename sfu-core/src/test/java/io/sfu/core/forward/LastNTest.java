package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Last-N: each subscriber gets the video of the N most recent speakers other than itself, others paused. */
class LastNTest {
    private static final int ALICE_AUDIO = 0xA1;
    private static final int ALICE_VIDEO = 0xA2;
    private static final int BOB_AUDIO = 0xB1;
    private static final int BOB_VIDEO = 0xB2;
    private static final int CAROL_SEES_ALICE = 0x2000;
    private static final int CAROL_SEES_BOB = 0x3000;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private int audioSequence;
    private int videoSequence = 100;

    private Peer publisher(String participant, int audioSsrc, int videoSsrc) {
        Peer peer = fixture.peer(participant);
        fixture.agent.extensionIds(peer.leg, new ReceiveExtensionIds(0, 0, 0, 0, 1));
        fixture.agent.addProducer(peer.leg, ForwardingFixture.audioSpec("a-" + participant, participant, audioSsrc));
        ProducerSpec video = ForwardingFixture.videoSpec("v-" + participant, videoSsrc, 0);
        fixture.agent.addProducer(peer.leg, new ProducerSpec(video.trackId(), participant, video.roomKey(),
            video.mid(), true, 90_000, video.codecs(), video.encodings(), true, true, false, false,
            new TrackCounters()));
        fixture.run();
        return peer;
    }

    /** Half a second of audio from both: {@code loud} at -30 dBov, the other silent; then the election. */
    private void speaks(Peer loud, int loudSsrc, Peer quiet, int quietSsrc) {
        for (int i = 0; i < 25; i++, audioSequence++) {
            fixture.receiveAudio(loud, loudSsrc, audioSequence, 1, 30);
            fixture.receiveAudio(quiet, quietSsrc, audioSequence, 1, 127);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
    }

    /** One video frame from each publisher, keyframes when asked. */
    private void videoFrame(Peer alice, Peer bob, boolean keyframe) {
        int seq = videoSequence++;
        fixture.receiveRtp(alice, ALICE_VIDEO, 96, seq, 3000L * seq, ForwardingFixture.vp8Payload(keyframe, 300, seq));
        fixture.receiveRtp(bob, BOB_VIDEO, 96, seq, 3000L * seq, ForwardingFixture.vp8Payload(keyframe, 400, seq));
    }

    private long videoTo(Peer subscriber, int ssrc) {
        List<byte[]> received = fixture.rtpTo(subscriber);
        return received.stream().filter(packet -> ForwardingFixture.wrap(packet).ssrc() == ssrc).count();
    }

    @Test
    void withLastNOfOneASubscriberSeesTheLatestSpeakerAndSwitchesAtTheirKeyframeWhenAnotherSpeaks() {
        Peer alice = publisher("alice", ALICE_AUDIO, ALICE_VIDEO);
        Peer bob = publisher("bob", BOB_AUDIO, BOB_VIDEO);
        Peer carol = fixture.peer("carol");
        fixture.agent.setLastN(carol.leg, 1);
        fixture.agent.addConsumer(carol.leg, ForwardingFixture.consumerSpec("c-alice", "v-alice", CAROL_SEES_ALICE,
            0));
        fixture.agent.addConsumer(carol.leg, ForwardingFixture.consumerSpec("c-bob", "v-bob", CAROL_SEES_BOB, 0));
        fixture.run();

        // nobody has spoken: the first to publish is first in line
        videoFrame(alice, bob, true);
        videoFrame(alice, bob, false);
        assertThat(videoTo(carol, CAROL_SEES_ALICE)).isEqualTo(2);
        assertThat(videoTo(carol, CAROL_SEES_BOB)).isZero();

        fixture.sent.clear();
        speaks(bob, BOB_AUDIO, alice, ALICE_AUDIO);
        assertThat(fixture.dominantSpeakers).containsExactly("room:bob");
        assertThat(fixture.rtcpTo(bob)).as("a keyframe asked of bob").anyMatch(ForwardingFixture::isPli);

        videoFrame(alice, bob, false);
        assertThat(videoTo(carol, CAROL_SEES_BOB)).as("bob's video waits for a keyframe").isZero();
        videoFrame(alice, bob, true);
        videoFrame(alice, bob, false);
        assertThat(videoTo(carol, CAROL_SEES_BOB)).isEqualTo(2);
        assertThat(videoTo(carol, CAROL_SEES_ALICE)).as("alice's video paused").isZero();
    }

    @Test
    void aSpeakerIsNeverCountedAgainstTheirOwnLastN() {
        Peer alice = publisher("alice", ALICE_AUDIO, ALICE_VIDEO);
        Peer bob = publisher("bob", BOB_AUDIO, BOB_VIDEO);
        // alice's own subscriber leg (of the same participant) with last-N 1: she sees bob, not a slot spent on herself
        io.sfu.core.transport.WebRtcTransport transport = new io.sfu.core.transport.WebRtcTransport("alice-subscriber",
            new io.sfu.core.ice.IceLiteSession(io.sfu.core.ice.IceCredentials.of("uas1", "p".repeat(22)),
                () -> fixture.nowNs));
        Leg aliceSubscriber = fixture.agent.openLeg(transport, "room", "alice", 0x77);
        fixture.run();
        speaks(alice, ALICE_AUDIO, bob, BOB_AUDIO);
        fixture.agent.setLastN(aliceSubscriber, 1);
        fixture.agent.addConsumer(aliceSubscriber, ForwardingFixture.consumerSpec("c-bob", "v-bob", CAROL_SEES_BOB,
            0));
        fixture.run();

        Consumer consumer = aliceSubscriber.consumers.get(0);
        assertThat(consumer.isPaused()).isFalse();
    }
}
