package io.sfu.core.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.forward.ForwardingFixture.Peer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a subscriber's downlink is shared between the video tracks it receives: each first gets its lowest layer,
 * then the dominant speaker's video and shared screens what they want, then the others the rest by what each wants
 * (a track shown small wants less); before anyone has spoken and with equal wants, evenly.
 */
class DownlinkShareTest {
    private static final int[] ALICE_VIDEO = {0xA10, 0xA20, 0xA30};
    private static final int[] BOB_VIDEO = {0xB10, 0xB20, 0xB30};
    private static final int ALICE_AUDIO = 0xA1;
    private static final int BOB_AUDIO = 0xB1;
    /** Payload bytes per 33 ms frame of each layer: about 24, 73 and 242 kbit/s. */
    private static final int[] SIZES = {100, 300, 1000};
    private static final int CAROL_SEES_ALICE = 0x2000;
    private static final int CAROL_SEES_BOB = 0x3000;

    private final ForwardingFixture fixture = new ForwardingFixture();
    private final int[] sequences = {1000, 2000, 3000};
    private long timestamp = 90_000;
    private int audioSequence;

    private Peer publisher(String participant, int audioSsrc, int[] videoSsrcs) {
        return publisher(participant, audioSsrc, videoSsrcs, false);
    }

    /** As {@link #publisher(String, int, int[])}, the video a shared screen when {@code screen}. */
    private Peer publisher(String participant, int audioSsrc, int[] videoSsrcs, boolean screen) {
        Peer peer = fixture.peer(participant);
        fixture.agent.extensionIds(peer.leg, new ReceiveExtensionIds(0, 0, 0, 0, 1));
        fixture.agent.addProducer(peer.leg, ForwardingFixture.audioSpec("a-" + participant, participant, audioSsrc));
        ProducerSpec video = ForwardingFixture.simulcastSpec("v-" + participant, new String[] {"q", "h", "f"},
            videoSsrcs);
        fixture.agent.addProducer(peer.leg, new ProducerSpec(video.trackId(), participant, video.roomKey(),
            video.mid(), true, 90_000, video.codecs(), video.encodings(), true, true, false, screen,
            new TrackCounters()));
        fixture.run();
        return peer;
    }

    /** One frame time: every layer of both publishers. */
    private void frame(Peer alice, Peer bob, boolean keyframe) {
        timestamp += 3000;
        fixture.nowNs += 33_000_000L;
        for (int layer = 0; layer < 3; layer++) {
            int seq = sequences[layer]++;
            fixture.receiveRtp(alice, ALICE_VIDEO[layer], 96, seq, timestamp,
                ForwardingFixture.vp8Payload(keyframe, SIZES[layer], seq));
            fixture.receiveRtp(bob, BOB_VIDEO[layer], 96, seq, timestamp,
                ForwardingFixture.vp8Payload(keyframe, SIZES[layer], seq));
        }
    }

    /** Half a second of audio: {@code loud} at -30 dBov, the other silent; the election follows. */
    private void speaks(Peer loud, int loudSsrc, Peer quiet, int quietSsrc) {
        for (int i = 0; i < 25; i++, audioSequence++) {
            fixture.receiveAudio(loud, loudSsrc, audioSequence, 1, 30);
            fixture.receiveAudio(quiet, quietSsrc, audioSequence, 1, 127);
        }
    }

    /** The layer of the last packet carol got on {@code ssrc}, by its size. */
    private int layerTo(Peer carol, int ssrc) {
        List<byte[]> packets = fixture.rtpTo(carol).stream()
            .filter(p -> ForwardingFixture.wrap(p).ssrc() == ssrc).toList();
        assertThat(packets).as("video on %x", ssrc).isNotEmpty();
        int size = ForwardingFixture.payloadOf(packets.get(packets.size() - 1)).length;
        for (int layer = 0; layer < SIZES.length; layer++) {
            if (SIZES[layer] == size) {
                return layer;
            }
        }
        return -1;
    }

    /**
     * Carol, who receives alice's and bob's video on a downlink of 400 kbit/s, where the two top layers (242 kbit/s
     * each, 278 with the margin to move up) do not both fit; the first keyframes have gone out.
     */
    private Peer subscriberOfBoth(Peer alice, Peer bob) {
        Peer carol = fixture.peer("carol");
        fixture.agent.addConsumer(carol.leg, ForwardingFixture.consumerSpec("c-alice", "v-alice", CAROL_SEES_ALICE,
            0));
        fixture.agent.addConsumer(carol.leg, ForwardingFixture.consumerSpec("c-bob", "v-bob", CAROL_SEES_BOB, 0));
        fixture.run();
        carol.leg.bandwidth.onReceiverEstimate(400_000);
        frame(alice, bob, true);
        return carol;
    }

    /**
     * A second and a half of frames (three layer decisions) ending in a keyframe, then what carol receives of one
     * more frame once her pacer let everything go.
     */
    private int[] layersAfterAWhile(Peer alice, Peer bob, Peer carol) {
        for (int i = 0; i < 45; i++) {
            frame(alice, bob, i == 40);
        }
        fixture.drainPacer(carol);
        fixture.sent.clear();
        frame(alice, bob, false);
        fixture.drainPacer(carol);
        return new int[] {layerTo(carol, CAROL_SEES_ALICE), layerTo(carol, CAROL_SEES_BOB)};
    }

    @Test
    void theDominantSpeakersVideoGetsWhatItWantsBeforeTheOthersShareTheRest() {
        Peer alice = publisher("alice", ALICE_AUDIO, ALICE_VIDEO);
        Peer bob = publisher("bob", BOB_AUDIO, BOB_VIDEO);
        Peer carol = subscriberOfBoth(alice, bob);

        assertThat(layersAfterAWhile(alice, bob, carol)).as("nobody spoke: 200 kbit/s each, the middle layers")
            .containsExactly(1, 1);

        speaks(bob, BOB_AUDIO, alice, ALICE_AUDIO);
        assertThat(layersAfterAWhile(alice, bob, carol)).as("bob spoke: his top layer, alice the rest")
            .containsExactly(1, 2);
        // what the control plane reads: each subscription's target and share of the 400 kbit/s
        TrackCounters toAlice = carol.leg.consumers.get(0).spec.counters();
        TrackCounters toBob = carol.leg.consumers.get(1).spec.counters();
        assertThat(toBob.targetLayer()).isEqualTo(2);
        assertThat(toAlice.targetLayer()).isEqualTo(1);
        assertThat(toBob.allocatedBps()).isGreaterThan(toAlice.allocatedBps());
        assertThat(toBob.allocatedBps() + toAlice.allocatedBps()).isBetween(390_000L, 400_000L);

        speaks(alice, ALICE_AUDIO, bob, BOB_AUDIO);
        assertThat(layersAfterAWhile(alice, bob, carol)).as("alice spoke").containsExactly(2, 1);
    }

    @Test
    void aSharedScreenIsServedBeforeOtherVideo() {
        Peer alice = publisher("alice", ALICE_AUDIO, ALICE_VIDEO);
        Peer bob = publisher("bob", BOB_AUDIO, BOB_VIDEO, true);
        Peer carol = subscriberOfBoth(alice, bob);

        assertThat(layersAfterAWhile(alice, bob, carol)).as("nobody spoke: bob's screen its top layer, alice the rest")
            .containsExactly(1, 2);
    }

    @Test
    void aTrackShownSmallTakesWhatItNeedsAndLeavesTheRestToTheOthers() {
        Peer alice = publisher("alice", ALICE_AUDIO, ALICE_VIDEO);
        Peer bob = publisher("bob", BOB_AUDIO, BOB_VIDEO);
        Peer carol = subscriberOfBoth(alice, bob);
        assertThat(layersAfterAWhile(alice, bob, carol)).as("both shown large: 200 kbit/s each").containsExactly(1, 1);

        // carol shows alice in a thumbnail: her lowest layer is all she wants, bob's video takes the rest
        fixture.agent.setPreferredLayer(carol.leg, "c-alice", 0);
        fixture.run();

        assertThat(layersAfterAWhile(alice, bob, carol)).containsExactly(0, 2);
    }

    @Test
    void waterFillingGivesEachNeedUpToOneLevelAndEveryNeedWhenTheyAllFit() {
        assertThat(Leg.waterLevel(new long[] {100, 100, 100}, 0, 3, 150)).isEqualTo(50);
        assertThat(Leg.waterLevel(new long[] {10, 300, 200}, 0, 3, 310)).as("10 taken whole, 150 each for the rest")
            .isEqualTo(150);
        assertThat(Leg.waterLevel(new long[] {0, 0, 5, 258}, 2, 2, 400)).as("both fit").isEqualTo(258);
        assertThat(Leg.waterLevel(new long[] {7}, 0, 0, 100)).as("no needs").isZero();
    }
}
