package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfu.core.testing.ManualClock;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final ManualClock clock = new ManualClock(123_456_789L);

    @Test
    void aBurstPassesThenTheSustainedRate() {
        RateLimiter limiter = new RateLimiter(10, 3, clock::nanoTime);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();

        clock.advanceNs(100_000_000L);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void anIdleBucketRefillsOnlyToItsBurst() {
        RateLimiter limiter = new RateLimiter(10, 2, clock::nanoTime);
        clock.advanceNs(60_000_000_000L);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void worksAcrossTheWrapOfTheNanoClock() {
        clock.setNs(Long.MAX_VALUE - 50_000_000L);
        RateLimiter limiter = new RateLimiter(10, 1, clock::nanoTime);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        clock.advanceNs(100_000_000L);
        assertThat(limiter.tryAcquire()).isTrue();
    }
}
