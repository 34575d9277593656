package io.sfu.core.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer's sequence and timestamp spaces stay continuous across layer switches. */
class OutputSpaceTest {
    private static final int CLOCK = 90_000;
    private final OutputSpace space = new OutputSpace();

    @Test
    void theFirstLayerKeepsItsOwnNumbers() {
        space.switchTo(1000, 50_000, CLOCK, 0);

        assertThat(space.outSequence(1000)).isEqualTo(1000);
        assertThat(space.outTimestamp(50_000)).isEqualTo(50_000);
        assertThat(space.precedesSwitch(999)).isTrue();
        assertThat(space.precedesSwitch(1000)).isFalse();
    }

    @Test
    void aSwitchContinuesTheSequenceAndMovesTheTimestampOnByTheTimeElapsed() {
        space.switchTo(1000, 50_000, CLOCK, 0);
        space.onSent(1000, 50_000, 0);
        space.onSent(1001, 53_000, 33_000_000L);

        // the new layer has numbers of its own; 100 ms later it starts at a keyframe
        space.switchTo(7, 900_000, CLOCK, 133_000_000L);

        assertThat(space.outSequence(7)).isEqualTo(1002);
        assertThat(space.outSequence(8)).isEqualTo(1003);
        assertThat(space.inSequence(1003)).isEqualTo(8);
        assertThat(space.outTimestamp(900_000)).isEqualTo(53_000 + 9_000);
        assertThat(space.precedesSwitch(6)).as("a packet of the new layer before the switch").isTrue();
    }

    @Test
    void numbersWrapAroundBothSpaces() {
        space.switchTo(65_535, 0xFFFF_FFFFL, CLOCK, 0);
        space.onSent(65_535, 0xFFFF_FFFFL, 0);
        space.switchTo(100, 0, CLOCK, 1_000_000L);

        assertThat(space.outSequence(100)).isZero();
        assertThat(space.outTimestamp(0)).isEqualTo(89);
    }

    @Test
    void theSwitchPointTrailsALongLivedLayerSoTheComparisonNeverWraps() {
        space.switchTo(0, 0, CLOCK, 0);
        for (int i = 0; i < 70_000; i++) {
            int seq = i & 0xFFFF;
            assertThat(space.precedesSwitch(seq)).as("packet %d", i).isFalse();
            space.onSent(space.outSequence(seq), 3000L * i, i);
        }
    }

    @Test
    void aReplacementTakesOverTheSpaces() {
        space.switchTo(500, 10_000, CLOCK, 0);
        space.onSent(500, 10_000, 0);
        OutputSpace next = new OutputSpace();
        next.continueFrom(space);

        next.switchTo(20, 70, CLOCK, 10_000_000L);

        assertThat(next.outSequence(20)).isEqualTo(501);
        assertThat(next.outTimestamp(70)).isEqualTo(10_000 + 900);
    }
}
