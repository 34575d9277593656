package io.sfu.core.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which frames of a VP8 stream with temporal layers one consumer forwards (RFC 7741 §4.2: TID and Y). */
class TemporalLayerFilterTest {
    private final TemporalLayerFilter filter = new TemporalLayerFilter();

    @Test
    void aStreamWithoutTemporalLayersIsForwardedWhole() {
        filter.prefer(0);
        assertThat(filter.admit(-1, false, true)).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(filter.admit(-1, false, false)).isTrue();
        }
    }

    @Test
    void frameAboveTheTargetAreDroppedAndTheBaseLayerIsAlwaysForwarded() {
        filter.prefer(1);
        assertThat(filter.admit(0, false, true)).isTrue();
        assertThat(filter.admit(2, true, false)).as("TL2, even a sync frame").isFalse();
        assertThat(filter.admit(1, true, false)).isTrue();
        assertThat(filter.admit(2, false, false)).isFalse();
        assertThat(filter.admit(0, false, false)).isTrue();
        assertThat(filter.forwardedLayer()).isEqualTo(1);
    }

    @Test
    void goingUpWaitsForAFrameOfTheLayerThatDependsOnlyOnTheBaseLayer() {
        filter.prefer(0);
        filter.admit(0, false, true);
        filter.prefer(2);

        assertThat(filter.admit(2, false, false)).as("TL2 referring to a TL1 frame never sent").isFalse();
        assertThat(filter.admit(1, false, false)).as("TL1 referring to a TL1 frame never sent").isFalse();
        assertThat(filter.admit(0, false, false)).isTrue();
        assertThat(filter.forwardedLayer()).isZero();
        assertThat(filter.admit(2, true, false)).as("TL2 sync").isTrue();
        assertThat(filter.admit(1, true, false)).as("TL1 sync").isTrue();
        assertThat(filter.admit(2, false, false)).as("TL2 after both synced").isTrue();
        assertThat(filter.forwardedLayer()).isEqualTo(2);
    }

    @Test
    void aLayerSyncedAboveALayerStillAwaitingItsSyncIsTakenDownAtItsNextDependentFrame() {
        filter.prefer(0);
        filter.admit(0, false, true);
        filter.prefer(2);

        assertThat(filter.admit(2, true, false)).isTrue();
        assertThat(filter.admit(2, false, false)).as("may refer to TL1, which is not up").isFalse();
        assertThat(filter.admit(1, true, false)).isTrue();
        assertThat(filter.admit(2, false, false)).as("TL2 went down again and waits for its next sync").isFalse();
        assertThat(filter.admit(2, true, false)).isTrue();
        assertThat(filter.admit(2, false, false)).isTrue();
    }

    @Test
    void goingDownTakesEffectAtTheNextFrame() {
        filter.admit(0, false, true);
        assertThat(filter.admit(2, false, false)).isTrue();
        filter.prefer(0);
        assertThat(filter.admit(1, false, false)).isFalse();
        assertThat(filter.admit(2, true, false)).isFalse();
        assertThat(filter.forwardedLayer()).isZero();

        filter.prefer(2);
        assertThat(filter.admit(1, false, false)).as("down means its chain is broken").isFalse();
    }

    @Test
    void aKeyframeTakesEveryLayerUpToTheTargetUp() {
        filter.prefer(0);
        filter.admit(0, false, true);
        filter.prefer(2);
        assertThat(filter.admit(0, false, true)).isTrue();
        assertThat(filter.admit(1, false, false)).isTrue();
        assertThat(filter.admit(2, false, false)).isTrue();
    }

    @Test
    void theTargetIsTheLowerOfThePreferenceAndTheAllocation() {
        filter.prefer(2);
        filter.allocate(1);
        assertThat(filter.target()).isEqualTo(1);
        filter.allocate(TemporalLayerFilter.ALL);
        filter.prefer(0);
        assertThat(filter.target()).isZero();
        filter.prefer(7);
        assertThat(filter.target()).isEqualTo(TemporalLayerFilter.ALL);
    }

    @Test
    void aLateFrameIsForwardedOnlyWhenItsLayerIsUpAndChangesNothing() {
        filter.prefer(1);
        filter.admit(0, false, true);
        assertThat(filter.admitsLate(1)).isTrue();
        assertThat(filter.admitsLate(2)).isFalse();
        filter.admit(1, false, false);
        assertThat(filter.forwardedLayer()).isEqualTo(1);
    }

    @Test
    void nothingIsUpAfterAResetUntilAKeyframe() {
        filter.admit(0, false, true);
        filter.reset();
        assertThat(filter.forwardedLayer()).isEqualTo(-1);
        assertThat(filter.admitsLate(0)).isFalse();
    }
}
