package io.sfu.core.forward;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which frames of a VP8 stream with temporal layers one consumer forwards (RFC 7741 §4.2: TID and Y). */
class TemporalLayerFilterTest {
    private final TemporalLayerFilter filter = new TemporalLayerFilter();

    @Test
    void aStreamWithoutTemporalLayersIsForwardedWhole() {
        filter.prefer(0);
        assertThat(filter.admit(-1, 0, true)).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(filter.admit(-1, 0, false)).isTrue();
        }
    }

    @Test
    void frameAboveTheTargetAreDroppedAndTheBaseLayerIsAlwaysForwarded() {
        filter.prefer(1);
        assertThat(filter.admit(0, 0, true)).isTrue();
        assertThat(filter.admit(2, 1 << 2, false)).as("TL2, even a sync frame").isFalse();
        assertThat(filter.admit(1, 1 << 1, false)).isTrue();
        assertThat(filter.admit(2, 0, false)).isFalse();
        assertThat(filter.admit(0, 0, false)).isTrue();
        assertThat(filter.forwardedLayer()).isEqualTo(1);
    }

    @Test
    void goingUpWaitsForAFrameOfTheLayerThatDependsOnlyOnTheBaseLayer() {
        filter.prefer(0);
        filter.admit(0, 0, true);
        filter.prefer(2);

        assertThat(filter.admit(2, 0, false)).as("TL2 referring to a TL1 frame never sent").isFalse();
        assertThat(filter.admit(1, 0, false)).as("TL1 referring to a TL1 frame never sent").isFalse();
        assertThat(filter.admit(0, 0, false)).isTrue();
        assertThat(filter.forwardedLayer()).isZero();
        assertThat(filter.admit(2, 1 << 2, false)).as("TL2 sync").isTrue();
        assertThat(filter.admit(1, 1 << 1, false)).as("TL1 sync").isTrue();
        assertThat(filter.admit(2, 0, false)).as("TL2 after both synced").isTrue();
        assertThat(filter.forwardedLayer()).isEqualTo(2);
    }

    @Test
    void aLayerSyncedAboveALayerStillAwaitingItsSyncIsTakenDownAtItsNextDependentFrame() {
        filter.prefer(0);
        filter.admit(0, 0, true);
        filter.prefer(2);

        assertThat(filter.admit(2, 1 << 2, false)).isTrue();
        assertThat(filter.admit(2, 0, false)).as("may refer to TL1, which is not up").isFalse();
        assertThat(filter.admit(1, 1 << 1, false)).isTrue();
        assertThat(filter.admit(2, 0, false)).as("TL2 went down again and waits for its next sync").isFalse();
        assertThat(filter.admit(2, 1 << 2, false)).isTrue();
        assertThat(filter.admit(2, 0, false)).isTrue();
    }

    @Test
    void goingDownTakesEffectAtTheNextFrame() {
        filter.admit(0, 0, true);
        assertThat(filter.admit(2, 0, false)).isTrue();
        filter.prefer(0);
        assertThat(filter.admit(1, 0, false)).isFalse();
        assertThat(filter.admit(2, 1 << 2, false)).isFalse();
        assertThat(filter.forwardedLayer()).isZero();

        filter.prefer(2);
        assertThat(filter.admit(1, 0, false)).as("down means its chain is broken").isFalse();
    }

    @Test
    void aKeyframeTakesEveryLayerUpToTheTargetUp() {
        filter.prefer(0);
        filter.admit(0, 0, true);
        filter.prefer(2);
        assertThat(filter.admit(0, 0, true)).isTrue();
        assertThat(filter.admit(1, 0, false)).isTrue();
        assertThat(filter.admit(2, 0, false)).isTrue();
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
        filter.admit(0, 0, true);
        assertThat(filter.admitsLate(1)).isTrue();
        assertThat(filter.admitsLate(2)).isFalse();
        filter.admit(1, 0, false);
        assertThat(filter.forwardedLayer()).isEqualTo(1);
    }

    @Test
    void nothingIsUpAfterAResetUntilAKeyframe() {
        filter.admit(0, 0, true);
        filter.reset();
        assertThat(filter.forwardedLayer()).isEqualTo(-1);
        assertThat(filter.admitsLate(0)).isFalse();
    }

    @Test
    void aSwitchPointOfADecodeTargetTakesEveryLayerOfItUp() {
        // as the dependency descriptor marks Chromium's L1T3: the TL1 frame "-SS" starts decode targets 1 and 2
        filter.prefer(0);
        filter.admit(0, 0, true);
        filter.prefer(2);
        assertThat(filter.admit(2, 0, false)).as("--D").isFalse();
        assertThat(filter.admit(1, 0b111, false)).as("-SS").isTrue();
        assertThat(filter.admit(2, 0, false)).as("--D, after a switch point of its decode target").isTrue();
        assertThat(filter.forwardedLayer()).isEqualTo(2);
    }

    @Test
    void aBaseLayerFrameEveryLayerCanStartAtTakesThemUp() {
        filter.prefer(0);
        filter.admit(0, 0, true);
        filter.prefer(2);
        assertThat(filter.admit(0, 0b1, false)).as("SRR").isTrue();
        assertThat(filter.admit(2, 0, false)).isFalse();
        assertThat(filter.admit(0, 0b111, false)).as("SSS").isTrue();
        assertThat(filter.admit(2, 0, false)).isTrue();
        assertThat(filter.admit(1, 0, false)).isTrue();
    }
}
