package io.sfu.core.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The spatial-layer decisions of one consumer, packet by packet, by each packet's layer and picture timestamp. */
class SpatialLayerFilterTest {
    private static final long PICTURE_TICKS = 3000;

    private final SpatialLayerFilter filter = new SpatialLayerFilter();

    @Test
    void aLatePacketOfAPictureBeforeASwitchDownIsDecidedAsItsPictureWas() {
        filter.prefer(2);
        assertThat(filter.admit(0, 0, true)).isTrue();
        assertThat(filter.admit(2, 0, false)).isTrue();
        filter.prefer(0);
        assertThat(filter.admit(0, PICTURE_TICKS, false)).as("the next picture goes down").isTrue();
        assertThat(filter.admit(2, PICTURE_TICKS, false)).isFalse();
        assertThat(filter.admit(2, 0, false)).as("late, of the picture before the switch").isTrue();
        assertThat(filter.current()).isZero();
    }

    @Test
    void goingUpWaitsForAKeyframe() {
        filter.prefer(0);
        assertThat(filter.admit(0, 0, true)).isTrue();
        filter.prefer(1);
        assertThat(filter.admit(1, PICTURE_TICKS, false)).isFalse();
        assertThat(filter.admit(0, 2 * PICTURE_TICKS, true)).isTrue();
        assertThat(filter.admit(1, 2 * PICTURE_TICKS, false)).as("the keyframe's upper layer").isTrue();
        assertThat(filter.admit(1, PICTURE_TICKS, false)).as("late, from before the keyframe").isFalse();
    }

    @Test
    void theTimestampWrappingLongAfterASwitchChangesNothing() {
        filter.prefer(0);
        assertThat(filter.admit(0, 0, true)).isTrue();
        filter.prefer(1);
        assertThat(filter.admit(0, PICTURE_TICKS, true)).isTrue();
        // a picture every 3000 ticks, past half the timestamp space and past its wrap
        long timestamp = PICTURE_TICKS;
        for (long picture = 0; picture < (1L << 33) / PICTURE_TICKS; picture++) {
            timestamp = (timestamp + PICTURE_TICKS) & 0xFFFF_FFFFL;
            if (!filter.admit(1, timestamp, false)) {
                throw new AssertionError("layer 1 of the picture at " + timestamp + " was not forwarded");
            }
        }
        assertThat(filter.admit(1, (timestamp - PICTURE_TICKS) & 0xFFFF_FFFFL, false)).as("a late one").isTrue();
    }

    @Test
    void aPacketWithoutALayerIndexIsAlwaysForwardedAndItsMarkerLeftAlone() {
        filter.prefer(0);
        assertThat(filter.admit(-1, 0, false)).isTrue();
        assertThat(filter.admit(-1, PICTURE_TICKS, false)).isTrue();
        assertThat(filter.endsPicture(-1, true)).isFalse();
    }
}
