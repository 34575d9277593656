package io.sfu.core.forward;

import io.sfu.core.forward.ForwardingFixture.Peer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Dominant-speaker election from RFC 6464 audio levels. */
class AudioLevelObserverTest {
    private final ForwardingFixture fixture = new ForwardingFixture();

    @Test
    void theLoudestVoiceBecomesDominantAndAnEquallyLoudOneDoesNotTakeOver() {
        Peer alice = fixture.peer("alice");
        Peer bob = fixture.peer("bob");
        fixture.agent.addProducer(alice.leg, ForwardingFixture.audioSpec("a", "alice", 0xA));
        fixture.agent.addProducer(bob.leg, ForwardingFixture.audioSpec("b", "bob", 0xB));
        fixture.agent.extensionIds(alice.leg, new ReceiveExtensionIds(0, 0, 0, 0, 1));
        fixture.agent.extensionIds(bob.leg, new ReceiveExtensionIds(0, 0, 0, 0, 1));
        fixture.run();
        int seq = 0;

        // alice speaks at -30 dBov, bob is silent
        for (int i = 0; i < 25; i++, seq++) {
            fixture.receiveAudio(alice, 0xA, seq, 1, 30);
            fixture.receiveAudio(bob, 0xB, seq, 1, 127);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
        assertThat(fixture.dominantSpeakers).containsExactly("room:alice");

        // bob as loud as alice: no change
        for (int i = 0; i < 25; i++, seq++) {
            fixture.receiveAudio(alice, 0xA, seq, 1, 30);
            fixture.receiveAudio(bob, 0xB, seq, 1, 29);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
        assertThat(fixture.dominantSpeakers).containsExactly("room:alice");

        // alice falls silent, bob speaks: bob takes over
        for (int i = 0; i < 25; i++, seq++) {
            fixture.receiveAudio(alice, 0xA, seq, 1, 127);
            fixture.receiveAudio(bob, 0xB, seq, 1, 29);
        }
        fixture.nowNs += 600_000_000L;
        fixture.run();
        assertThat(fixture.dominantSpeakers).containsExactly("room:alice", "room:bob");
    }
}
