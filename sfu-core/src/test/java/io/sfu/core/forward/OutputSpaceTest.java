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

    @Test
    void droppedPacketsTakeNoNumber() {
        space.switchTo(65_530, 0, CLOCK, 0);
        assertThat(space.take(65_530)).isEqualTo(65_530);
        space.drop(65_531);
        space.drop(65_532);
        assertThat(space.take(65_533)).isEqualTo(65_531);
        space.drop(65_534);
        assertThat(space.take(65_535)).isEqualTo(65_532);
        space.drop(0);
        assertThat(space.take(1)).as("across the wrap").isEqualTo(65_533);
        assertThat(space.take(2)).isEqualTo(65_534);
    }

    @Test
    void aNackFindsThePacketItNamesAcrossDrops() {
        space.switchTo(100, 0, CLOCK, 0);
        space.take(100);
        space.drop(101);
        space.take(102);

        assertThat(space.inSequence(100)).isEqualTo(100);
        assertThat(space.inSequence(101)).isEqualTo(102);
        assertThat(space.inSequence(102)).as("not sent yet").isEqualTo(-1);
    }

    @Test
    void aLatePacketTakesTheNumberKeptForIt() {
        space.switchTo(10, 0, CLOCK, 0);
        space.take(10);
        // 11 is late; 12 and 13 are dropped
        space.drop(12);
        space.drop(13);
        assertThat(space.take(14)).isEqualTo(12);
        assertThat(space.take(11)).isEqualTo(11);
        assertThat(space.inSequence(11)).isEqualTo(11);
        assertThat(space.take(12)).as("a copy of a dropped packet").isEqualTo(-1);
    }

    @Test
    void aLatePacketThatIsDroppedLeavesItsNumberUnused() {
        space.switchTo(10, 0, CLOCK, 0);
        space.take(10);
        space.drop(12);
        assertThat(space.take(13)).isEqualTo(12);
        space.drop(11);

        assertThat(space.inSequence(11)).as("the number kept for it names nothing").isEqualTo(-1);
        assertThat(space.take(11)).isEqualTo(-1);
    }

    @Test
    void packetsBeforeTheFirstDropStayMappedAfterIt() {
        space.switchTo(1000, 0, CLOCK, 0);
        for (int i = 0; i < 10; i++) {
            space.take(1000 + i);
        }
        space.drop(1010);
        assertThat(space.take(1011)).isEqualTo(1010);
        assertThat(space.inSequence(1003)).isEqualTo(1003);
        assertThat(space.take(1005)).as("a duplicate of a packet before the drop").isEqualTo(1005);
    }

    @Test
    void packetsOlderThanTheWindowAreNotForwardedOnceDropsBegan() {
        space.switchTo(0, 0, CLOCK, 0);
        space.take(0);
        space.drop(1);
        for (int i = 2; i <= OutputSpace.DROP_WINDOW + 2; i++) {
            space.take(i);
        }
        assertThat(space.take(0)).isEqualTo(-1);
        assertThat(space.inSequence(0)).isEqualTo(-1);
    }

    @Test
    void aSwitchForgetsTheMappingsOfTheLayerBefore() {
        space.switchTo(500, 0, CLOCK, 0);
        space.take(500);
        space.drop(501);
        assertThat(space.take(502)).isEqualTo(501);
        space.onSent(501, 3000, 1_000_000L);

        space.switchTo(7000, 0, CLOCK, 2_000_000L);
        assertThat(space.take(7000)).isEqualTo(502);
        assertThat(space.inSequence(501)).as("a packet of the layer before").isEqualTo(-1);
        assertThat(space.take(7001)).isEqualTo(503);
    }
}
