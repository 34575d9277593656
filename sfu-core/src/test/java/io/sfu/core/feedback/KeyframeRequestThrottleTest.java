package io.sfu.core.feedback;

import io.sfu.core.testing.Allocations;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyframeRequestThrottleTest {
    private static final long MS = 1_000_000L;

    private long now = -3_000 * MS; // nanoTime may be negative

    @Test
    void firstRequestPassesAndOthersWithinTheIntervalAreSuppressedAndCounted() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(500 * MS);
        assertThat(throttle.tryPli(now)).isTrue();
        assertThat(throttle.tryPli(now + 1 * MS)).isFalse();
        assertThat(throttle.tryPli(now + 499 * MS)).isFalse();
        assertThat(throttle.passedCount()).isEqualTo(1);
        assertThat(throttle.suppressedCount()).isEqualTo(2);
    }

    @Test
    void requestPassesAgainOnceTheIntervalHasElapsedSinceTheLastPassed() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(500 * MS);
        throttle.tryPli(now);
        throttle.tryPli(now + 400 * MS); // suppressed: does not restart the interval
        assertThat(throttle.tryPli(now + 500 * MS)).isTrue();
        assertThat(throttle.tryPli(now + 999 * MS)).isFalse();
        assertThat(throttle.tryPli(now + 1_000 * MS)).isTrue();
    }

    @Test
    void pliAndFirShareTheInterval() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(500 * MS);
        assertThat(throttle.tryPli(now)).isTrue();
        assertThat(throttle.tryFir(now + 100 * MS)).isEqualTo(KeyframeRequestThrottle.SUPPRESSED);
        assertThat(throttle.tryFir(now + 500 * MS)).isZero();
        assertThat(throttle.tryPli(now + 600 * MS)).isFalse();
    }

    @Test
    void firSequenceNumberGrowsByOnePerPassedFirAndWrapsAt256() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(10 * MS);
        for (int i = 0; i < 300; i++) {
            assertThat(throttle.tryFir(now + i * 10 * MS)).isEqualTo(i % 256);
            // suppressed requests and PLIs do not use up a number
            assertThat(throttle.tryFir(now + i * 10 * MS + MS)).isEqualTo(KeyframeRequestThrottle.SUPPRESSED);
        }
        throttle.tryPli(now + 300 * 10 * MS);
        assertThat(throttle.nextFirSequenceNumber()).isEqualTo(300 % 256);
    }

    @Test
    void zeroIntervalLetsEveryRequestThrough() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(0);
        assertThat(throttle.tryPli(now)).isTrue();
        assertThat(throttle.tryPli(now)).isTrue();
    }

    @Test
    void defaultIntervalIsHalfASecond() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle();
        assertThat(throttle.minIntervalNs()).isEqualTo(500 * MS);
        assertThatThrownBy(() -> new KeyframeRequestThrottle(-1)).hasMessageContaining("minIntervalNs");
    }

    @Test
    void requestsAllocateNothing() {
        KeyframeRequestThrottle throttle = new KeyframeRequestThrottle(5 * MS);
        long[] t = {now};
        long[] sink = new long[1];
        assertThat(Allocations.bytesPerRun(() -> {
            t[0] += MS;
            sink[0] += throttle.tryFir(t[0]) + (throttle.tryPli(t[0]) ? 1 : 0);
        })).isLessThan(0.01);
    }
}
