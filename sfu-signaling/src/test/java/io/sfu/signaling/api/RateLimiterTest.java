package io.sfu.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private long nowNanos = 123_456_789L;

    @Test
    void aBurstPassesThenTheSustainedRate() {
        RateLimiter limiter = new RateLimiter(10, 3, () -> nowNanos);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();

        nowNanos += 100_000_000L;
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void anIdleBucketRefillsOnlyToItsBurst() {
        RateLimiter limiter = new RateLimiter(10, 2, () -> nowNanos);
        nowNanos += 60_000_000_000L;
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void worksAcrossTheWrapOfTheNanoClock() {
        nowNanos = Long.MAX_VALUE - 50_000_000L;
        RateLimiter limiter = new RateLimiter(10, 1, () -> nowNanos);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        nowNanos += 100_000_000L;
        assertThat(limiter.tryAcquire()).isTrue();
    }
}
